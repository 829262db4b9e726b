package dev.adjoint.cli;

import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.TensorType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a model's tensors take in memory, for the message of a model that does not fit in the Java heap: the
 * total and the largest tensor by name. The params are allocated when the model is constructed; a command
 * that draws inputs itself ({@code gradcheck}) adds them; values and gradients come on top when it runs.
 */
final class ModelMemory {
    /** One allocation: {@code param w : f32[30000, 30000]} and its bytes. */
    private record Part(String what, long bytes) {
    }

    private final ModelGraph graph;
    private final List<Part> parts = new ArrayList<>();

    private ModelMemory(ModelGraph graph) {
        this.graph = graph;
    }

    /** The params of {@code graph}. */
    static ModelMemory params(ModelGraph graph) {
        ModelMemory m = new ModelMemory(graph);
        for (Graph.Param p : graph.params()) {
            m.parts.add(new Part("param " + p.name() + " : " + p.node().type(), bytes(p.node().type(), Map.of(), 1)));
        }
        return m;
    }

    /** These tensors and the model's inputs, its dims sized from {@code dims} ({@code otherDims} for the rest). */
    ModelMemory withInputs(Map<String, Integer> dims, int otherDims) {
        for (Graph.Input in : graph.inputs()) {
            parts.add(new Part("input " + in.name() + " : " + in.node().type(),
                    bytes(in.node().type(), dims, otherDims)));
        }
        return this;
    }

    /** The bytes of a tensor of this type (saturating at {@code Long.MAX_VALUE}). */
    static long bytes(TensorType type, Map<String, Integer> dims, int otherDims) {
        double n = type.dtype() == DType.F64 ? 8 : 4;
        for (Dim d : type.shape().dims()) {
            n *= d.coefficient();
            for (String s : d.symbols()) {
                n *= dims.getOrDefault(s, otherDims);
            }
        }
        return n >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) n;
    }

    private long total() {
        double t = 0;
        for (Part p : parts) {
            t += p.bytes();
        }
        return t >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) t;
    }

    /** Null if these tensors fit in a heap of {@code maxHeap} bytes; else why not. */
    String exceeds(long maxHeap) {
        long total = total();
        return total <= maxHeap ? null
                : "model " + graph.name() + " does not fit in memory: " + describe(total) + ", and the Java heap holds"
                        + " at most " + size(maxHeap) + HINT;
    }

    /** Why the model ran out of memory while {@code doing} (e.g. "constructing it", "running it"). */
    String outOfMemory(String doing, long maxHeap) {
        return "model " + graph.name() + " ran out of memory " + doing + ": " + describe(total())
                + ", and the Java heap holds at most " + size(maxHeap) + "; the values and gradients of a run need"
                + " more on top" + HINT;
    }

    private static final String HINT = "; give Java more heap, as in ADJOINT_JAVA_OPTS=-Xmx16g";

    private String describe(long total) {
        if (parts.isEmpty()) {
            return "it has no params";
        }
        Part largest = parts.get(0);
        for (Part p : parts) {
            if (p.bytes() > largest.bytes()) {
                largest = p;
            }
        }
        String kinds = parts.stream().allMatch(p -> p.what().startsWith("param")) ? "its params" : "its params and"
                + " inputs";
        return kinds + " need " + size(total) + (parts.size() == 1 ? " (" + largest.what() + ")"
                : " (the largest, " + largest.what() + ", needs " + size(largest.bytes()) + ")");
    }

    static String size(long bytes) {
        return Bytes.size(bytes);
    }
}
