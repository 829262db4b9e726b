package dev.adjoint.compiler.opt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.GraphBuilder;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.TensorType;
import dev.adjoint.compiler.ops.BinaryFn;
import dev.adjoint.compiler.ops.BinaryOp;
import dev.adjoint.compiler.ops.ConstantOp;
import dev.adjoint.compiler.ops.InputOp;
import dev.adjoint.compiler.ops.UnaryFn;
import dev.adjoint.compiler.ops.UnaryOp;
import dev.adjoint.compiler.pass.Verifier;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Scalars of constants fold, rounded as the generated code rounds them; nothing else does. */
class ConstantFoldTest {

    private static Double fold(Node n) {
        return ConstantFold.fold(n, n.inputs());
    }

    @Test
    void foldsAScalarOfConstantsWithTheOpsOwnEvaluation() {
        GraphBuilder b = new GraphBuilder();
        Node two = b.add(new ConstantOp(2, DType.F64));
        Node sqrt = b.add(new UnaryOp(UnaryFn.SQRT), two);
        assertEquals(Math.sqrt(2), fold(sqrt));
        Node sum = b.add(new BinaryOp(BinaryFn.ADD), sqrt, two);
        assertNull(fold(sum), "an input that is not a constant yet");
    }

    @Test
    void f32RoundsOperandsAndResultLikeTheGeneratedCode() {
        GraphBuilder b = new GraphBuilder();
        Node tenth = b.add(new ConstantOp(0.1, DType.F32));
        Node e = b.add(new UnaryOp(UnaryFn.EXP), tenth);
        // the generated code computes (float) Math.exp(0.1f)
        assertEquals((double) (float) Math.exp(0.1f), fold(e));
        assertFalse(fold(e) == Math.exp(0.1));
    }

    @Test
    void leavesNonFiniteResultsAndI32OverflowWhereTheyArise() {
        GraphBuilder b = new GraphBuilder();
        Node zero = b.add(new ConstantOp(0, DType.F64));
        assertNull(fold(b.add(new UnaryOp(UnaryFn.LOG), zero)), "log(0) = -inf stays in the code");
        Node big = b.add(new ConstantOp(Integer.MAX_VALUE, DType.I32));
        assertNull(fold(b.add(new BinaryOp(BinaryFn.ADD), big, big)), "int arithmetic would wrap around");
    }

    @Test
    void tensorsAreNotFolded() {
        GraphBuilder b = new GraphBuilder();
        Node x = b.add(new InputOp("x", new TensorType(DType.F64, Shape.of(3))));
        assertNull(fold(b.add(new UnaryOp(UnaryFn.EXP), x)));
    }

    @Test
    void thePassReplacesFoldedNodesAndKeepsTheGraphWellFormed() {
        GraphBuilder b = new GraphBuilder();
        Node x = b.add(new InputOp("x", new TensorType(DType.F64, Shape.of(3))));
        Node half = b.add(new BinaryOp(BinaryFn.DIV), b.add(new ConstantOp(1, DType.F64)),
                b.add(new ConstantOp(2, DType.F64)));
        Node y = b.add(new BinaryOp(BinaryFn.MUL), x, half);
        Graph g = Graph.of("M", null, List.of(), List.of(new Graph.Input("x", x, false, null)), List.of(),
                List.of(new Graph.Output("y", y, null)), null, b.nodes(), Map.of(), Map.of());
        Graph folded = new ConstantFold().run(g);
        Verifier.verify(folded, "constant-fold");
        Node out = folded.outputs().get(0).node();
        assertTrue(out.input(1).op() instanceof ConstantOp c && c.value() == 0.5, out.toString());
    }
}
