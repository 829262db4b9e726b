package dev.adjoint.cli;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.Dim;
import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.ElementType;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.InputSpec;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.io.Json;
import dev.adjoint.runtime.io.Printable;
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
    /** The most elements one tensor holds (the longest Java array). */
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

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
        } catch (Json.SyntaxException e) {
            throw fail(e.getMessage());
        }
        if (!(root instanceof Map<?, ?> top)) {
            throw fail("expected a JSON object with \"dims\", \"inputs\" and \"params\"");
        }
        for (Object key : top.keySet()) {
            if (!SECTIONS.contains(key)) {
                throw fail("unknown section \"" + Printable.escape((String) key)
                        + "\"; expected dims, inputs and params");
            }
        }
        Map<String, Integer> dims = dims(section(top, "dims"), model);
        Map<String, Tensor> inputs = new LinkedHashMap<>();
        Map<?, ?> givenInputs = section(top, "inputs");
        for (Object key : givenInputs.keySet()) {
            if (model.inputs().stream().noneMatch(s -> s.name().equals(key))) {
                throw fail("inputs." + Printable.escape((String) key) + ": the model " + model.name()
                        + " has no input " + Printable.escape((String) key) + " (inputs: "
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
            String name = Printable.escape((String) e.getKey());
            Tensor current = model.parameters().get((String) e.getKey());
            if (current == null) {
                throw fail("params." + name + ": the model " + model.name() + " has no param " + name + " (params: "
                        + String.join(", ", model.parameters().keySet()) + ")");
            }
            Tensor t = tensor("params." + name, e.getValue(), current.elementType());
            if (!Arrays.equals(t.shape(), current.shape())) {
                throw fail("params." + name + ": expected " + current.typeString() + ", got shape "
                        + Arrays.toString(t.shape()));
            }
            params.put((String) e.getKey(), t);
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

    /** The {@code dims} section: each a dim some input of the model uses, with a size that fits an int. */
    private Map<String, Integer> dims(Map<?, ?> given, AdjointModel model) throws ValuesException {
        Set<String> known = new java.util.LinkedHashSet<>();
        for (InputSpec spec : model.inputs()) {
            for (Dim d : spec.dims()) {
                if (d instanceof Dim.Named n) {
                    known.add(n.name());
                } else if (d instanceof Dim.Product p) {
                    known.addAll(p.names());
                }
            }
        }
        Map<String, Integer> dims = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : given.entrySet()) {
            String name = Printable.escape((String) e.getKey());
            if (!known.contains(e.getKey())) {
                throw fail("dims." + name + ": the inputs of model " + model.name() + " have no dim " + name
                        + (known.isEmpty() ? "" : " (their dims: " + String.join(", ", known) + ")"));
            }
            Long size = integer(e.getValue());
            if (size == null || size < 0 || size > Integer.MAX_VALUE) {
                throw fail("dims." + name + ": expected a non-negative integer below 2^31, got " + show(e.getValue()));
            }
            dims.put((String) e.getKey(), size.intValue());
        }
        return dims;
    }

    /** A JSON number that is an integer ({@code 3} or {@code 3.0}), or null. */
    private static Long integer(Object json) {
        if (json instanceof Long l) {
            return l;
        }
        if (json instanceof Double d && d == Math.rint(d) && Math.abs(d) < 0x1p62) {
            return (long) (double) d;
        }
        return null;
    }

    /** Input shapes must agree with the dims the file states (the model checks consistency between inputs). */
    private void checkDims(InputSpec spec, Tensor t, Map<String, Integer> dims) throws ValuesException {
        if (t.rank() != spec.rank()) {
            return; // the model's own check reports a rank mismatch with the declared type
        }
        for (int axis = 0; axis < spec.rank(); axis++) {
            Dim d = spec.dims().get(axis);
            List<String> names = d instanceof Dim.Named n ? List.of(n.name())
                    : d instanceof Dim.Product p ? p.names() : List.of();
            if (names.isEmpty() || !dims.keySet().containsAll(names)) {
                continue;
            }
            long expected = d instanceof Dim.Product p ? p.coefficient() : 1;
            for (String name : names) {
                expected *= dims.get(name);
                expected = Math.min(expected, (long) Integer.MAX_VALUE + 1);
            }
            if (expected != t.dim(axis)) {
                String given = String.join(", ", new java.util.LinkedHashSet<>(names).stream()
                        .map(x -> "dims." + x + " is " + dims.get(x)).toList());
                throw fail("inputs." + spec.name() + ": " + given + (d instanceof Dim.Named ? "" : ", so " + d
                        + " is " + expected) + " but the input has " + t.dim(axis) + " on axis " + axis + " (declared "
                        + spec.declared() + ")");
            }
        }
    }

    /**
     * A nested list of numbers (or a bare number for a scalar) as a tensor of {@code type}. The whole nesting
     * is checked before anything is allocated, so a ragged or absurdly shaped list costs nothing.
     */
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
        long count = check(where, json, 0, dims);
        if (count > MAX_ELEMENTS) {
            throw fail(where + ": shape " + Arrays.toString(dims) + " has " + count + " elements; a tensor holds at"
                    + " most " + MAX_ELEMENTS);
        }
        int size = (int) count;
        Object data = switch (type) {
            case F32 -> new float[size];
            case F64 -> new double[size];
            default -> new int[size];
        };
        fill(where, json, data, type, new int[] {0});
        return switch (type) {
            case F32 -> FloatTensor.wrap((float[]) data, dims);
            case F64 -> DoubleTensor.wrap((double[]) data, dims);
            default -> IntTensor.wrap((int[]) data, dims);
        };
    }

    /** The number of elements, after checking that every list at {@code depth} has {@code shape[depth]} items. */
    private long check(String where, Object json, int depth, int[] shape) throws ValuesException {
        if (depth == shape.length) {
            if (!(json instanceof Number)) {
                throw fail(where + ": expected a number at depth " + depth + ", got "
                        + (json instanceof List ? "a list (the nesting is ragged)" : show(json)));
            }
            return 1;
        }
        if (!(json instanceof List<?> l) || l.size() != shape[depth]) {
            throw fail(where + ": ragged nesting: expected a list of " + shape[depth] + " at depth " + depth
                    + ", got " + (json instanceof List<?> l2 ? "a list of " + l2.size() : show(json)));
        }
        long count = 0;
        for (Object item : l) {
            count += check(where, item, depth + 1, shape);
        }
        return count;
    }

    private void fill(String where, Object json, Object data, ElementType type, int[] next) throws ValuesException {
        if (json instanceof List<?> l) {
            for (Object item : l) {
                fill(where, item, data, type, next);
            }
            return;
        }
        int i = next[0]++;
        Number n = (Number) json;
        switch (type) {
            case F32 -> {
                float f = n.floatValue();
                if (Float.isInfinite(f)) {
                    throw fail(where + ": element " + i + " is " + n + ", too large for f32 (at most 3.4e38)");
                }
                ((float[]) data)[i] = f;
            }
            case F64 -> ((double[]) data)[i] = n.doubleValue();
            default -> {
                Long v = integer(n);
                if (v == null || v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                    throw fail(where + ": element " + i + " is " + n + ", not an i32 integer");
                }
                ((int[]) data)[i] = v.intValue();
            }
        }
    }

    /** A JSON value as a message shows it. */
    private static String show(Object json) {
        if (json instanceof String s) {
            return "the string \"" + Printable.escape(s.length() <= 40 ? s : s.substring(0, 40) + "...") + "\"";
        }
        return json instanceof Map ? "an object" : String.valueOf(json);
    }

    private ValuesException fail(String message) {
        return new ValuesException(file + ": " + message);
    }
}
