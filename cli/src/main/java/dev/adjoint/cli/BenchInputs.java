package dev.adjoint.cli;

import dev.adjoint.runtime.Dim;
import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.InputSpec;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;

/**
 * The inputs {@code adjoint bench} feeds a model: seeded random values of the declared types and shapes,
 * the named dims bound by {@code --dims}; float inputs uniform in [-1, 1), labels uniform over their classes.
 */
final class BenchInputs {
    private BenchInputs() {}

    /** Parses {@code B=32,H=64}; a malformed entry is an error naming it. */
    static Map<String, Integer> parseDims(String text) {
        Map<String, Integer> dims = new LinkedHashMap<>();
        if (text == null || text.isBlank()) {
            return dims;
        }
        for (String part : text.split(",")) {
            String p = part.strip();
            int eq = p.indexOf('=');
            try {
                if (eq <= 0) {
                    throw new NumberFormatException();
                }
                int v = Integer.parseInt(p.substring(eq + 1).strip());
                if (v < 1) {
                    throw new IllegalArgumentException("--dims " + text + ": " + p + " must be at least 1");
                }
                dims.put(p.substring(0, eq).strip(), v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--dims " + text + ": '" + p + "' is not NAME=SIZE (e.g. B=32)");
            }
        }
        return dims;
    }

    /**
     * One tensor per input, filled from {@code seed}.
     *
     * @param classes the class count of each label input (inputs not in it are filled with 0)
     * @ naming the dims that {@code --dims} must bind, or a dim it binds that no input has
     */
    static Map<String, Tensor> make(List<InputSpec> inputs, Map<String, Integer> dims, Map<String, Integer> classes,
            long seed) {
        TreeSet<String> missing = new TreeSet<>();
        TreeSet<String> used = new TreeSet<>();
        for (InputSpec in : inputs) {
            for (Dim d : in.dims()) {
                if (d instanceof Dim.Named n) {
                    used.add(n.name());
                    if (!dims.containsKey(n.name())) {
                        missing.add(n.name());
                    }
                }
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException("give the size of " + String.join(", ", missing)
                    + " with --dims (for example --dims " + missing.first() + "=32)");
        }
        for (String d : dims.keySet()) {
            if (!used.contains(d)) {
                throw new IllegalArgumentException("--dims " + d + ": no input has a dim " + d
                        + (used.isEmpty() ? " (the model's inputs have fixed shapes)" : " (dims: "
                        + String.join(", ", used) + ")"));
            }
        }
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (InputSpec in : inputs) {
            int[] shape = new int[in.rank()];
            int size = 1;
            for (int i = 0; i < shape.length; i++) {
                Dim d = in.dims().get(i);
                shape[i] = d instanceof Dim.Named n ? dims.get(n.name()) : ((Dim.Fixed) d).size();
                size *= shape[i];
            }
            out.put(in.name(), switch (in.elementType()) {
                case F32 -> {
                    float[] v = new float[size];
                    for (int i = 0; i < size; i++) {
                        v[i] = (float) r.nextDouble(-1, 1);
                    }
                    yield FloatTensor.wrap(v, shape);
                }
                case F64 -> DoubleTensor.wrap(r.doubles(size, -1, 1).toArray(), shape);
                default -> {
                    int n = classes.getOrDefault(in.name(), 1);
                    yield IntTensor.wrap(r.ints(size, 0, n).toArray(), shape);
                }
            });
        }
        return out;
    }
}
