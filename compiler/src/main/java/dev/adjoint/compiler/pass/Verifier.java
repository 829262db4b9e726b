package dev.adjoint.compiler.pass;

import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ir.TensorType;
import dev.adjoint.compiler.ops.InputOp;
import dev.adjoint.compiler.ops.ParamOp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The invariants every stage of the pipeline keeps:
 * <ol>
 *   <li>schedule order: node {@code i} has id {@code i}, and its inputs come before it (and belong to the graph);
 *   <li>types: each node's type is what its op infers from its inputs' types now;
 *   <li>hash-consing: no two nodes apply one op to the same inputs;
 *   <li>roots and declarations: outputs, the loss, gradients, inputs and params are nodes of the graph; inputs
 *       and params are their leaf ops, the loss is a float scalar, a gradient has its variable's type;
 *   <li>side tables: spans, names and adjoint-of entries refer to nodes of the graph.
 * </ol>
 */
public final class Verifier {
    private Verifier() {
    }

    /**
     * Checks every invariant of {@code g}.
     *
     * @param stage the stage name for the message ({@code after pass cse})
     * @throws VerificationException naming the stage, the invariant and the node
     */
    public static void verify(Graph g, String stage) {
        List<String> problems = problems(g);
        if (!problems.isEmpty()) {
            throw new VerificationException("graph of model " + g.model() + " is malformed after " + stage + ": "
                    + String.join("; ", problems));
        }
    }

    /** Every invariant {@code g} breaks, one sentence each (at most a few per kind). */
    public static List<String> problems(Graph g) {
        List<String> out = new ArrayList<>();
        Map<String, Node> seen = new HashMap<>();
        for (int i = 0; i < g.size(); i++) {
            Node n = g.nodes().get(i);
            if (n.id() != i) {
                out.add("node " + n + " is at position " + i + " of the schedule");
                continue;
            }
            List<TensorType> types = new ArrayList<>();
            boolean inputsOk = true;
            for (Node in : n.inputs()) {
                if (!g.contains(in)) {
                    out.add("node " + n + " uses " + in + ", which is not a node of the graph");
                    inputsOk = false;
                } else if (in.id() >= i) {
                    out.add("node " + n + " uses " + in + " before it is computed");
                    inputsOk = false;
                }
                types.add(in.type());
            }
            if (!inputsOk) {
                continue;
            }
            try {
                TensorType inferred = n.op().infer(types);
                if (!inferred.equals(n.type())) {
                    out.add("node " + n + " has type " + n.type() + " but its op infers " + inferred);
                }
            } catch (ShapeException e) {
                out.add("node " + n + " no longer type-checks: " + e.getMessage());
            }
            StringBuilder key = new StringBuilder(n.op().toString()).append('(');
            n.inputs().forEach(in -> key.append(in.id()).append(','));
            Node twin = seen.putIfAbsent(key.append(')').toString(), n);
            if (twin != null) {
                out.add("nodes " + twin + " and " + n + " are the same computation (not hash-consed)");
            }
        }
        for (Graph.Input in : g.inputs()) {
            root(g, out, "input " + in.name(), in.node());
            if (g.contains(in.node()) && !(in.node().op() instanceof InputOp op && op.name().equals(in.name()))) {
                out.add("input " + in.name() + " is the node " + in.node() + ", not its input leaf");
            }
        }
        for (Graph.Param p : g.params()) {
            root(g, out, "param " + p.name(), p.node());
            if (g.contains(p.node()) && !(p.node().op() instanceof ParamOp op && op.name().equals(p.name()))) {
                out.add("param " + p.name() + " is the node " + p.node() + ", not its param leaf");
            }
        }
        for (Graph.Output o : g.outputs()) {
            root(g, out, "output " + o.name(), o.node());
        }
        if (g.loss() != null) {
            root(g, out, "loss " + g.loss().name(), g.loss().node());
            Node l = g.loss().node();
            if (l != null && !(l.dtype().isFloat() && l.shape().isScalar())) {
                out.add("loss " + g.loss().name() + " is " + l.type() + ", not a float scalar");
            }
        }
        for (Graph.Gradient d : g.gradients()) {
            root(g, out, "the variable of gradient d" + d.name(), d.wrt());
            if (d.adjoint() != null) {
                root(g, out, "gradient d" + d.name(), d.adjoint());
                if (d.wrt() != null && !d.adjoint().type().equals(d.wrt().type())) {
                    out.add("gradient d" + d.name() + " is " + d.adjoint().type() + " but " + d.name() + " is "
                            + d.wrt().type());
                }
            }
        }
        sideTable(g, out, "span", g.spans().keySet());
        sideTable(g, out, "name", g.names().keySet());
        sideTable(g, out, "adjoint-of", g.adjointOf().keySet());
        sideTable(g, out, "adjoint-of target", g.adjointOf().values());
        return out;
    }

    private static void root(Graph g, List<String> out, String what, Node n) {
        if (n == null) {
            out.add(what + " has no node");
        } else if (!g.contains(n)) {
            out.add(what + " is " + n + ", which is not a node of the graph");
        }
    }

    private static void sideTable(Graph g, List<String> out, String table, Iterable<Node> keys) {
        for (Node n : keys) {
            if (!g.contains(n)) {
                out.add("the " + table + " table has " + n + ", which is not a node of the graph");
                return;
            }
        }
    }
}
