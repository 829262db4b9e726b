package dev.adjoint.compiler.ops;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.emit.JavaCode;
import dev.adjoint.compiler.emit.LoweringContext;
import dev.adjoint.compiler.eval.EvalContext;
import dev.adjoint.compiler.eval.NdArray;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Differentiability;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** {@code one_hot(labels, n, dtype=f32)}: {@code i32[...]} labels to {@code dtype[..., n]} rows of 0s and one 1. */
public record OneHotOp(int n, DType dtype) implements Op {

    public OneHotOp {
        Objects.requireNonNull(dtype, "dtype");
    }

    @Override
    public String name() {
        return "one_hot";
    }

    @Override
    public TensorType infer(List<TensorType> args) {
        TypeRules.arity(name(), args, 1);
        TensorType labels = args.get(0);
        if (labels.dtype() != DType.I32) {
            throw new ShapeException(0, "one_hot: labels must be integer class indices (i32), got " + labels);
        }
        if (n < 1) {
            throw new ShapeException(1, "one_hot: the number of classes must be at least 1, got " + n);
        }
        if (dtype == DType.BOOL) {
            throw new ShapeException(2, "one_hot: dtype must be f32, f64 or i32, got bool");
        }
        List<Dim> dims = new ArrayList<>(labels.shape().dims());
        dims.add(Dim.of(n));
        return new TensorType(dtype, new Shape(dims));
    }

    @Override
    public String attributes() {
        return "n=" + n + ", dtype=" + dtype;
    }

    @Override
    public Differentiability differentiability() {
        return Differentiability.PIECEWISE_CONSTANT;
    }

    /** Labels {@code [...]} to rows {@code [..., n]} of 0s with a 1 at the label. */
    @Override
    public NdArray eval(EvalContext ctx, Node y, List<NdArray> args) {
        NdArray labels = args.get(0);
        double[] out = new double[labels.size() * n];
        for (int r = 0; r < labels.size(); r++) {
            out[r * n + label("one_hot", labels, r, n)] = 1;
        }
        return new NdArray(ctx.shape(y.shape()), out);
    }

    /** Label number {@code r} (row-major) as a class index; out of range is an error naming its row. */
    static int label(String op, NdArray labels, int r, int classes) {
        double value = labels.data()[r];
        if (!(value >= 0 && value < classes) || value != Math.rint(value)) {
            String text = value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
            throw new IllegalArgumentException(op + ": label " + text + " in row " + row(labels.shape(), r)
                    + " is out of range for " + classes + " classes (valid: 0.." + (classes - 1) + ")");
        }
        return (int) value;
    }

    /** {@code 3} for labels of rank 1, {@code [1, 2]} for higher ranks. */
    private static String row(int[] shape, int r) {
        if (shape.length <= 1) {
            return Integer.toString(r);
        }
        int[] index = new int[shape.length];
        for (int d = shape.length - 1, rest = r; d >= 0; d--) {
            index[d] = rest % shape[d];
            rest /= shape[d];
        }
        return Arrays.toString(index);
    }

    @Override
    public CodeBlock lower(LoweringContext ctx, Node y) {
        return CodeBlock.of("$T.oneHot($L, $L, $L);\n", JavaCode.rt("CrossEntropy"), ctx.ref(y.input(0)), n,
                ctx.ref(y));
    }

    /** No arithmetic: {@inheritDoc} */
    @Override
    public Dim flops(Node y) {
        return Dim.of(0);
    }
}
