package dev.adjoint.cli;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Tensor;
import java.util.Map;

/**
 * Writes the JSON of {@code adjoint grad}: numbers as JSON numbers (f32 values in their shortest float
 * form), arrays nested row-major, scalars bare. A non-finite value is written as {@code NaN},
 * {@code Infinity} or {@code -Infinity}, as Python's json module reads and writes them.
 */
final class TensorJson {
    private TensorJson() {
    }

    /** {@code { "loss": ..., "outputs": {...}, "gradients": {...} }}; null loss and gradients are left out. */
    static String result(Double loss, Map<String, Tensor> outputs, Map<String, Tensor> gradients) {
        StringBuilder out = new StringBuilder("{");
        String sep = " ";
        if (loss != null) {
            out.append(sep).append("\"loss\": ").append(number(loss));
            sep = ",\n  ";
        }
        out.append(sep).append("\"outputs\": ");
        map(out, outputs);
        if (gradients != null) {
            out.append(",\n  \"gradients\": ");
            map(out, gradients);
        }
        return out.append(" }\n").toString();
    }

    private static void map(StringBuilder out, Map<String, Tensor> tensors) {
        out.append('{');
        String sep = "";
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            out.append(sep).append('"').append(escape(e.getKey())).append("\": ");
            tensor(out, e.getValue());
            sep = ", ";
        }
        out.append('}');
    }

    static void tensor(StringBuilder out, Tensor t) {
        int[] index = {0};
        nest(out, t, t.shape(), 0, index);
    }

    private static void nest(StringBuilder out, Tensor t, int[] shape, int depth, int[] index) {
        if (depth == shape.length) {
            out.append(element(t, index[0]++));
            return;
        }
        out.append('[');
        for (int i = 0; i < shape[depth]; i++) {
            if (i > 0) {
                out.append(", ");
            }
            nest(out, t, shape, depth + 1, index);
        }
        out.append(']');
    }

    private static String element(Tensor t, int i) {
        if (t instanceof FloatTensor f) {
            float v = f.data()[i];
            return Float.isFinite(v) ? Float.toString(v) : number(v);
        }
        if (t instanceof IntTensor n) {
            return Integer.toString(n.data()[i]);
        }
        return number(((DoubleTensor) t).data()[i]);
    }

    static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Infinity" : "-Infinity";
        }
        return Double.toString(v);
    }

    /** {@code s} as a JSON string. */
    static String quote(String s) {
        return "\"" + escape(s) + "\"";
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
