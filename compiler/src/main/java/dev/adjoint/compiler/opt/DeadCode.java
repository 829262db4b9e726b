package dev.adjoint.compiler.opt;

import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Rewriter;
import dev.adjoint.compiler.pass.Pass;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Dead-code elimination: only what the outputs, the loss and the requested gradients need is kept, with every
 * declared input and param (the model's interface does not change). Nodes are renumbered in schedule order.
 */
public final class DeadCode implements Pass {

    @Override
    public String name() {
        return "dead-code";
    }

    @Override
    public Graph run(Graph g) {
        BitSet live = live(g);
        return live.cardinality() == g.size() ? g : Rewriter.rebuild(g, Rewriter.COPY, live);
    }

    /** The ids of the nodes the roots need, and of the declared inputs and params. */
    static BitSet live(Graph g) {
        BitSet live = new BitSet();
        List<Node> stack = new ArrayList<>(g.roots());
        g.inputs().forEach(in -> stack.add(in.node()));
        g.params().forEach(p -> stack.add(p.node()));
        while (!stack.isEmpty()) {
            Node n = stack.remove(stack.size() - 1);
            if (!live.get(n.id())) {
                live.set(n.id());
                stack.addAll(n.inputs());
            }
        }
        return live;
    }
}
