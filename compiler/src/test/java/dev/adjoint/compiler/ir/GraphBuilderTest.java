package dev.adjoint.compiler.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.compiler.ops.BinaryOp;
import dev.adjoint.compiler.ops.BinaryFn;
import dev.adjoint.compiler.ops.ConstantOp;
import dev.adjoint.compiler.ops.InputOp;
import dev.adjoint.compiler.ops.MatMulOp;
import dev.adjoint.compiler.ops.ParamOp;
import dev.adjoint.compiler.ops.ReduceOp;
import dev.adjoint.compiler.ops.ReduceFn;
import dev.adjoint.compiler.ops.UnaryOp;
import dev.adjoint.compiler.ops.UnaryFn;
import java.util.List;
import org.junit.jupiter.api.Test;

class GraphBuilderTest {
    private static final TensorType X = new TensorType(DType.F32, Shape.of(Dim.sym("B"), Dim.of(64)));
    private static final TensorType W = new TensorType(DType.F32, Shape.of(64, 32));

    @Test
    void sameOpAndInputsGiveTheSameNode() {
        GraphBuilder g = new GraphBuilder();
        Node x = g.add(new InputOp("x", X));
        Node w = g.add(new ParamOp("W", W));
        Node h1 = g.add(new MatMulOp(), x, w);
        Node h2 = g.add(new MatMulOp(), x, w);
        assertSame(h1, h2);
        assertSame(x, g.add(new InputOp("x", X)));
        assertSame(g.add(new ConstantOp(2, DType.F32)), g.add(new ConstantOp(2.0, DType.F32)));
        Node r1 = g.add(new UnaryOp(UnaryFn.RELU), h1);
        assertSame(r1, g.add(new UnaryOp(UnaryFn.RELU), h2));
        assertSame(g.add(ReduceOp.of(ReduceFn.SUM, r1.shape(), List.of(-1L), false), r1),
                g.add(ReduceOp.of(ReduceFn.SUM, r1.shape(), List.of(1L), false), r1));
        assertEquals(6, g.size());
        assertEquals(new TensorType(DType.F32, Shape.of(Dim.sym("B"), Dim.of(32))), h1.type());
    }

    @Test
    void differentAttributesOrInputsGiveDifferentNodes() {
        GraphBuilder g = new GraphBuilder();
        Node x = g.add(new InputOp("x", X));
        Node y = g.add(new InputOp("y", X));
        assertNotSame(x, y);
        assertNotSame(g.add(new UnaryOp(UnaryFn.EXP), x), g.add(new UnaryOp(UnaryFn.LOG), x));
        assertNotSame(g.add(new BinaryOp(BinaryFn.SUB), x, y), g.add(new BinaryOp(BinaryFn.SUB), y, x));
        assertNotSame(g.add(new ReduceOp(ReduceFn.SUM, List.of(1), false), x),
                g.add(new ReduceOp(ReduceFn.SUM, List.of(1), true), x));
        assertNotSame(g.add(new ReduceOp(ReduceFn.SUM, List.of(1), false), x),
                g.add(new ReduceOp(ReduceFn.MEAN, List.of(1), false), x));
        assertNotSame(g.add(new ConstantOp(1, DType.F32)), g.add(new ConstantOp(1, DType.F64)));
        assertNotSame(g.add(new InputOp("x", X)), g.add(new InputOp("x", W)));
        assertEquals(12, g.size()); // the second sum[axes=[1], keepdims=false] and InputOp x were interned
    }

    @Test
    void rejectedNodesAreNotCreated() {
        GraphBuilder g = new GraphBuilder();
        Node x = g.add(new InputOp("x", X));
        ShapeException e = assertThrows(ShapeException.class, () -> g.add(new MatMulOp(), x, x));
        assertEquals("matmul: [B, 64] @ [B, 64]: inner dimensions 64 and B differ", e.getMessage());
        assertEquals(1, g.size());
    }

    @Test
    void nodesPrintOpAttributesInputsAndType() {
        GraphBuilder g = new GraphBuilder();
        Node x = g.add(new InputOp("x", X));
        Node s = g.add(ReduceOp.of(ReduceFn.SUM, x.shape(), List.of(1L), false), x);
        assertEquals("%0 = x[input][] : f32[B, 64]", x.toString());
        assertEquals("%1 = sum[axes=[1], keepdims=false][%0] : f32[B]", s.toString());
    }
}
