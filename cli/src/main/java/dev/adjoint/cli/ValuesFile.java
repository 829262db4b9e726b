package dev.adjoint.cli;

import dev.adjoint.compiler.json.Json;
import dev.adjoint.compiler.json.JsonException;
import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.Dim;
import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.ElementType;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.InputSpec;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Tensor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --values V.json} file of {@code adjoint grad}: {@code dims}, {@code inputs} and {@code params},
 * read against a compiled model's declarations into tensors of the declared element types. Every problem
 * is a {@link ValuesException} naming the file and the entry ({@code V.json: inputs.x: ...}).
 */
final class ValuesFile {
    private static final Set<String> SECTIONS = Set.of("dims", "inputs", "params");

    /** What the file gives; params not given are absent (the caller initializes them from the seed). */
    record Values(Map<String, Integer> dims, Map<String, Tensor> inputs, Map<String, Tensor> params) {
    }

    /** A bad values file; the message is complete. */
    static final class ValuesException extends Exception {
        private static final long serialVersionUID = 1L;

        ValuesException(String message) {
            super(message, null, false, false);
        }
    }

    private final String file;

    private ValuesFile(String file) {
        this.file = file;
    }

    static Values read(String file, String text, AdjointModel model) throws ValuesException {
        return new ValuesFile(file).read(text, model);
    }

    private Values read(String text, AdjointModel model) throws ValuesException {
        Object root;
        try {
            root = Json.parse(text);
        } catch (JsonException e) {
            throw fail(e.getMessage());
        }
        if (!(root instanceof Map<?, ?> top)) {
            throw fail("expected a JSON object with \"dims\", \"inputs\" and \"params\"");
        }
        for (Object key : top.keySet()) {
            if (!SECTIONS.contains(key)) {
                throw fail("unknown section \"" + key + "\"; expected dims, inputs and params");
            }
        }
        Map<String, Integer> dims = dims(section(top, "dims"));
        java.util.Set<String> declared = new java.util.LinkedHashSet<>();
        for (InputSpec spec : model.inputs()) {
            spec.dims().forEach(d -> {
                if (d instanceof Dim.Named n) {
                    declared.add(n.name());
                }
            });
        }
        for (String d : dims.keySet()) {
            if (!declared.contains(d)) {
                throw fail("dims." + d + ": the inputs of model " + model.name() + " have no dim " + d
                        + (declared.isEmpty() ? "" : " (their dims: " + String.join(", ", declared) + ")"));
            }
        }
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        Map<?, ?> givenInputs = section(top, "inputs");
        for (Object key : givenInputs.keySet()) {
            if (model.inputs().stream().noneMatch(s -> s.name().equals(key))) {
                throw fail("inputs." + key + ": the model " + model.name() + " has no input " + key + " (inputs: "
                        + String.join(", ", model.inputs().stream().map(InputSpec::name).toList()) + ")");
            }
        }
        for (InputSpec spec : model.inputs()) {
            Object value = givenInputs.get(spec.name());
            if (value == null) {
                throw fail("inputs." + spec.name() + ": missing; the model needs input " + spec.name() + " : "
                        + spec.declared());
            }
            Tensor t = tensor("inputs." + spec.name(), value, spec.elementType());
            checkDims(spec, t, dims);
            inputs.put(spec.name(), t);
        }
        Map<String, Tensor> params = new LinkedHashMap<>();
        Map<?, ?> givenParams = section(top, "params");
        for (Map.Entry<?, ?> e : givenParams.entrySet()) {
            String name = (String) e.getKey();
            Tensor current = model.parameters().get(name);
            if (current == null) {
                throw fail("params." + name + ": the model " + model.name() + " has no param " + name + " (params: "
                        + String.join(", ", model.parameters().keySet()) + ")");
            }
            Tensor t = tensor("params." + name, e.getValue(), current.elementType());
            if (!Arrays.equals(t.shape(), current.shape())) {
                throw fail("params." + name + ": expected " + current.typeString() + ", got shape "
                        + Arrays.toString(t.shape()));
            }
            params.put(name, t);
        }
        return new Values(dims, inputs, params);
    }

    private Map<?, ?> section(Map<?, ?> top, String name) throws ValuesException {
        Object s = top.get(name);
        if (s == null) {
            return Map.of();
        }
        if (!(s instanceof Map<?, ?> m)) {
            throw fail(name + ": expected a JSON object");
        }
        return m;
    }

    private Map<String, Integer> dims(Map<?, ?> given) throws ValuesException {
        Map<String, Integer> dims = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : given.entrySet()) {
            if (!(e.getValue() instanceof Double d) || d != Math.rint(d) || d < 0 || d > Integer.MAX_VALUE) {
                throw fail("dims." + e.getKey() + ": expected a non-negative integer, got " + e.getValue());
            }
            dims.put((String) e.getKey(), (int) (double) d);
        }
        return dims;
    }

    /** Input shapes must agree with the dims the file states (the model checks consistency between inputs). */
    private void checkDims(InputSpec spec, Tensor t, Map<String, Integer> dims) throws ValuesException {
        if (t.rank() != spec.rank()) {
            return; // the model's own check reports a rank mismatch with the declared type
        }
        for (int axis = 0; axis < spec.rank(); axis++) {
            if (spec.dims().get(axis) instanceof Dim.Named named && dims.containsKey(named.name())
                    && dims.get(named.name()) != t.dim(axis)) {
                throw fail("inputs." + spec.name() + ": dims." + named.name() + " is " + dims.get(named.name())
                        + " but the input has " + t.dim(axis) + " on axis " + axis + " (declared "
                        + spec.declared() + ")");
            }
        }
    }

    /** A nested list of numbers (or a bare number for a scalar) as a tensor of {@code type}. */
    private Tensor tensor(String where, Object json, ElementType type) throws ValuesException {
        List<Integer> shape = new ArrayList<>();
        Object o = json;
        while (o instanceof List<?> l) {
            shape.add(l.size());
            if (l.isEmpty()) {
                break;
            }
            o = l.get(0);
        }
        int[] dims = shape.stream().mapToInt(Integer::intValue).toArray();
        int size = 1;
        for (int d : dims) {
            size = Math.multiplyExact(size, d);
        }
        double[] flat = new double[size];
        int[] next = {0};
        flatten(where, json, 0, dims, flat, next);
        switch (type) {
            case F32: {
                float[] f = new float[size];
                for (int i = 0; i < size; i++) {
                    f[i] = (float) flat[i];
                }
                return FloatTensor.wrap(f, dims);
            }
            case F64:
                return DoubleTensor.wrap(flat, dims);
            default: {
                int[] v = new int[size];
                for (int i = 0; i < size; i++) {
                    if (flat[i] != Math.rint(flat[i]) || Math.abs(flat[i]) > Integer.MAX_VALUE) {
                        throw fail(where + ": element " + i + " is " + flat[i] + ", not an i32 integer");
                    }
                    v[i] = (int) flat[i];
                }
                return IntTensor.wrap(v, dims);
            }
        }
    }

    private void flatten(String where, Object json, int depth, int[] shape, double[] out, int[] next)
            throws ValuesException {
        if (depth == shape.length) {
            if (!(json instanceof Double d)) {
                throw fail(where + ": expected a number at depth " + depth + ", got "
                        + (json instanceof List ? "a list (the nesting is ragged)" : String.valueOf(json)));
            }
            out[next[0]++] = d;
            return;
        }
        if (!(json instanceof List<?> l) || l.size() != shape[depth]) {
            throw fail(where + ": ragged nesting: expected a list of " + shape[depth] + " at depth " + depth
                    + ", got " + (json instanceof List<?> l2 ? "a list of " + l2.size() : String.valueOf(json)));
        }
        for (Object item : l) {
            flatten(where, item, depth + 1, shape, out, next);
        }
    }

    private ValuesException fail(String message) {
        return new ValuesException(file + ": " + message);
    }
}
