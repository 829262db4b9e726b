package dev.adjoint.compiler.ad;

import dev.adjoint.compiler.diag.Span;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.GraphBuilder;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ops.ConstantOp;
import dev.adjoint.compiler.pass.Pass;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Differentiation as a pass: the forward graph in, the forward-and-gradient graph out. The backward pass is
 * added to the same graph ({@link Autodiff#differentiate}); the gradient of every param and every
 * {@code input grad} becomes a root. A model without a loss passes through unchanged.
 *
 * <p>Side tables: each node of the backward pass gets the span of the forward value whose derivative rule built
 * it, and each adjoint that is a new value (not a forward node or a constant) records which forward value it is
 * the adjoint of, so that it can be named {@code dh} after {@code h}.
 */
public final class Differentiate implements Pass {

    @Override
    public String name() {
        return "differentiate";
    }

    @Override
    public Graph run(Graph g) {
        if (!g.hasLoss()) {
            return g;
        }
        GraphBuilder b = GraphBuilder.extend(g, GraphBuilder.MAX_NODES); // the gradient counts toward the limit
        Gradients grads = Autodiff.differentiate(b, Autodiff.lossOf(g), Autodiff.wrtOf(g));
        List<Graph.Gradient> gradients = new ArrayList<>();
        for (Graph.Param p : g.params()) {
            gradients.add(new Graph.Gradient(p.name(), p.node(), grads.of(p.node())));
        }
        for (Graph.Input in : g.inputs()) {
            if (in.grad()) {
                gradients.add(new Graph.Gradient(in.name(), in.node(), grads.of(in.node())));
            }
        }
        Map<Node, Span> spans = new IdentityHashMap<>(g.spans());
        grads.origin().forEach((n, y) -> {
            Span s = g.spans().get(y);
            if (s != null) {
                spans.putIfAbsent(n, s);
            }
        });
        Map<Node, Node> adjointOf = new IdentityHashMap<>(g.adjointOf());
        grads.adjoints().forEach((x, dx) -> {
            if (dx.id() >= g.size() && !(dx.op() instanceof ConstantOp)) {
                adjointOf.putIfAbsent(dx, x);
            }
        });
        return g.with(g.inputs(), g.params(), g.outputs(), g.loss(), gradients, b.nodes(), spans, g.names(),
                adjointOf);
    }
}
