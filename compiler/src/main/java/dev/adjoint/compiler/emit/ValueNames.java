package dev.adjoint.compiler.emit;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.NodeNames;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Java name of every value: parameters are fields of the model; every other value is a field of the
 * per-call {@code Workspace w}, named by the graph's one naming scheme ({@link NodeNames}: {@code h},
 * {@code h_2} for a later loop iteration, {@code dh} for its adjoint, {@code t7} for an unnamed value), made a
 * valid, distinct Java identifier.
 */
final class ValueNames {
    private final NodeNames labels;
    private final Names wsNames;
    private final Map<Node, CodeBlock> refs = new IdentityHashMap<>();
    private final Map<Node, String> wsFields = new IdentityHashMap<>();
    private final Map<String, String> dimFields = new LinkedHashMap<>();
    private final String w;

    /**
     * @param paramFields the model-class field of each parameter
     * @param w the name of the workspace variable in generated methods
     */
    ValueNames(Graph g, Map<Graph.Param, String> paramFields, String w) {
        this.labels = new NodeNames(g);
        this.w = w;
        this.wsNames = new Names(w);
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
        for (Node n : g.nodes()) {
            if (!refs.containsKey(n)) {
                String field = wsNames.allocate(labels.of(n));
                refs.put(n, CodeBlock.of("$N.$N", w, field));
                wsFields.put(n, field);
            }
        }
    }

    /** How generated code reads the node's buffer: {@code w.h}, {@code W1}. */
    CodeBlock ref(Node n) {
        return refs.get(n);
    }

    /** The Workspace field holding the node's buffer (not for parameters). */
    String workspaceField(Node n) {
        return wsFields.get(n);
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
