package dev.adjoint.compiler.emit;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.NodeNames;
import dev.adjoint.compiler.plan.ExecutionPlan;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Java name of every value: parameters are fields of the model; inputs and stored values are fields of the
 * workspace {@code w}, named by the graph's one naming scheme ({@link NodeNames}: {@code h}, {@code h_2} for a
 * later loop iteration, {@code dh} for its adjoint, {@code t7} for an unnamed value), made valid, distinct Java
 * identifiers. A value field points at the arena buffer the plan gave the value ({@code buf3}); values computed
 * inside a fused loop have no field, only their name, which the comments use.
 */
final class ValueNames {
    private final NodeNames labels;
    private final Names wsNames;
    private final Map<Node, CodeBlock> refs = new IdentityHashMap<>();
    private final Map<Node, String> wsFields = new IdentityHashMap<>();
    private final Map<String, String> dimFields = new LinkedHashMap<>();
    private final Map<Integer, String> buffers = new LinkedHashMap<>();
    private final String w;

    /**
     * @param paramFields the model-class field of each parameter
     * @param w the name of the workspace variable in generated methods
     * @param wsNames the allocator of the workspace's fields
     */
    ValueNames(Graph g, ExecutionPlan plan, Map<Graph.Param, String> paramFields, String w, Names wsNames) {
        this.labels = new NodeNames(g);
        this.w = w;
        this.wsNames = wsNames;
        for (Graph.Input in : g.inputs()) {
            for (Dim d : in.node().shape().dims()) {
                for (String s : d.symbols()) {
                    dimFields.computeIfAbsent(s, wsNames::allocate);
                }
            }
        }
        for (String d : g.dims()) {
            dimFields.computeIfAbsent(d, wsNames::allocate);
        }
        paramFields.forEach((p, field) -> refs.put(p.node(), CodeBlock.of("$N", field)));
        for (ExecutionPlan.Buffer b : plan.buffers()) {
            buffers.put(b.id(), wsNames.allocate("buf" + b.id()));
        }
        java.util.Set<Node> steps = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        plan.steps().forEach(s -> steps.addAll(s.written()));
        for (Node n : g.nodes()) {
            boolean stored = n.op() instanceof dev.adjoint.compiler.ops.InputOp || steps.contains(n)
                    || plan.rootCopies().containsKey(n);
            if (!refs.containsKey(n) && stored) {
                String field = wsNames.allocate(labels.of(n));
                refs.put(n, CodeBlock.of("$N.$N", w, field));
                wsFields.put(n, field);
            }
        }
    }

    /**
     * While set, how {@link #ref} names values instead: the repeated-steps folding ({@link Repeats}) lowers a step
     * with placeholders, and a loop body with its parameters. Null otherwise.
     */
    private java.util.function.Function<Object, CodeBlock> override;

    /** Sets (or, with null, clears) the override of {@link #ref} and {@link #fixed}: it gets a node or a {@link Fixed}. */
    void override(java.util.function.Function<Object, CodeBlock> refs) {
        this.override = refs;
    }

    /**
     * An array field that is not a value's and is set once: a kernel's scratch buffer in the workspace
     * ({@code w.buf7}), or a running statistic in the model ({@code running_mean}).
     */
    record Fixed(String name, boolean inModel, dev.adjoint.compiler.ir.DType dtype) {
    }

    /** An {@code int} literal that tells one call of an op from another (a dropout site). */
    record Site(int value) {
    }

    /** How generated code reads a {@link Fixed} field or writes a {@link Site} (or what an override says). */
    CodeBlock fixed(Object f) {
        return override != null ? override.apply(f) : field(f);
    }

    /** The field of a node ({@link #field(Node)}) or of a {@link Fixed}, whatever the override. */
    CodeBlock field(Object x) {
        if (x instanceof Site site) {
            return CodeBlock.of("$L", site.value());
        }
        if (x instanceof Fixed f) {
            return f.inModel() ? CodeBlock.of("$N", f.name()) : CodeBlock.of("$N.$N", w, f.name());
        }
        return field((Node) x);
    }

    /** How generated code reads the node's buffer: {@code w.h}, {@code W1} (or what an override says). */
    CodeBlock ref(Node n) {
        if (override != null) {
            field(n); // the same failure for a value without a field
            return override.apply(n);
        }
        return field(n);
    }

    /** The field holding the node's buffer, whatever the override: {@code w.h}, {@code W1}. */
    CodeBlock field(Node n) {
        CodeBlock r = refs.get(n);
        if (r == null) {
            throw new IllegalStateException("emitter: " + n + " has no buffer (it is computed inline)");
        }
        return r;
    }

    /** Whether {@code n} has a field (a parameter, an input, or a value with a buffer). */
    boolean hasRef(Node n) {
        return refs.containsKey(n);
    }

    /** The workspace field holding the node's buffer (not for parameters), or null. */
    String workspaceField(Node n) {
        return wsFields.get(n);
    }

    /** Every workspace value field, by node, in schedule order. */
    Map<Node, String> workspaceFields() {
        Map<Node, String> out = new LinkedHashMap<>();
        wsFields.entrySet().stream().sorted((a, b) -> Integer.compare(a.getKey().id(), b.getKey().id()))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    /** The workspace field of an arena buffer. */
    String buffer(ExecutionPlan.Buffer b) {
        return buffers.get(b.id());
    }

    /** The name used in comments and in {@code show}: {@code h}, {@code dW1}, {@code W[0]}, {@code t7}. */
    String label(Node n) {
        return labels.of(n);
    }

    /** Every dim, by its name in the model, to its Workspace field. */
    Map<String, String> dimFields() {
        return Collections.unmodifiableMap(dimFields);
    }

    /** The workspace variable of generated methods. */
    String workspace() {
        return w;
    }
}
