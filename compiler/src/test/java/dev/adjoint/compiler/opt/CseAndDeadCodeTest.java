package dev.adjoint.compiler.opt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ops.BinaryFn;
import dev.adjoint.compiler.ops.BinaryOp;
import dev.adjoint.compiler.ops.CompareFn;
import dev.adjoint.compiler.ops.CompareOp;
import dev.adjoint.compiler.ops.UnaryFn;
import dev.adjoint.compiler.ops.UnaryOp;
import dev.adjoint.compiler.pass.Verifier;
import org.junit.jupiter.api.Test;

class CseAndDeadCodeTest {

    @Test
    void commutedOperandsMergeAndTheValuesStay() {
        RuleCases g = new RuleCases();
        Node xv = g.add(new BinaryOp(BinaryFn.MUL), g.x, g.v);
        Node vx = g.add(new BinaryOp(BinaryFn.MUL), g.v, g.x);
        Node sum = g.add(new BinaryOp(BinaryFn.ADD), xv, vx);
        Graph after = g.check(new CommonSubexpressions(), "cse", sum);
        Node out = after.outputs().get(0).node();
        assertSame(out.input(0), out.input(1), after.toString());
        assertEquals(1, after.rewrites().get("cse"));
    }

    @Test
    void nonCommutativeOpsKeepTheirOrder() {
        RuleCases g = new RuleCases();
        Node a = g.add(new BinaryOp(BinaryFn.SUB), g.x, g.v);
        Node b = g.add(new BinaryOp(BinaryFn.SUB), g.v, g.x);
        Node lt = g.add(new CompareOp(CompareFn.LT), g.x, g.v);
        Node gt = g.add(new CompareOp(CompareFn.LT), g.v, g.x);
        Node out = g.add(new BinaryOp(BinaryFn.ADD), g.add(new BinaryOp(BinaryFn.MUL), a, b),
                g.add(new dev.adjoint.compiler.ops.WhereOp(), lt, a, g.add(new dev.adjoint.compiler.ops.WhereOp(), gt, b, a)));
        Graph after = new CommonSubexpressions().run(g.graph(out));
        assertEquals(0, after.rewrites().getOrDefault("cse", 0), after.toString());
    }

    @Test
    void deadCodeKeepsOnlyWhatTheRootsNeedAndEveryDeclaredLeaf() {
        RuleCases g = new RuleCases();
        g.add(new UnaryOp(UnaryFn.EXP), g.x);                       // dead
        Node live = g.add(new UnaryOp(UnaryFn.TANH), g.v);
        Graph before = g.graph(live);
        Graph after = new DeadCode().run(before);
        Verifier.verify(after, "dead-code");
        assertEquals(7, after.size(), after.toString());            // six inputs and tanh
        assertEquals(6, after.inputs().size());
        assertTrue(after.nodes().stream().noneMatch(n -> n.op() instanceof UnaryOp u && u.fn() == UnaryFn.EXP));
        assertSame(after, new DeadCode().run(after), "nothing more to remove: the same graph");
    }
}
