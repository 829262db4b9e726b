package dev.adjoint.compiler.eval;

import static dev.adjoint.compiler.eval.Fixture.assertClose;
import static dev.adjoint.compiler.eval.Fixture.assertScalar;
import static dev.adjoint.compiler.eval.Fixture.matrix;
import static dev.adjoint.compiler.eval.Fixture.row;
import static dev.adjoint.compiler.eval.Fixture.vector;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.TensorType;
import dev.adjoint.compiler.ops.BinaryFn;
import dev.adjoint.compiler.ops.BinaryOp;
import dev.adjoint.compiler.ops.ConstantOp;
import dev.adjoint.compiler.ops.DimValueOp;
import dev.adjoint.compiler.ops.InputOp;
import dev.adjoint.compiler.ops.ParamOp;
import dev.adjoint.compiler.ops.ReduceFn;
import dev.adjoint.compiler.ops.ReduceOp;
import dev.adjoint.compiler.ops.UnaryFn;
import dev.adjoint.compiler.ops.UnaryOp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InterpreterTest {
    private final Fixture f = new Fixture();

    private Node symbolicInput(String name, DType dtype, Dim... dims) {
        return f.builder.add(new InputOp(name, new TensorType(dtype, Shape.of(dims))));
    }

    @Test
    void symbolicDimsTakeTheirBoundValues() {
        f.dims.put("B", 2);
        Node x = symbolicInput("x", DType.F64, Dim.sym("B"), Dim.of(3));
        f.leaves.put(x, matrix(row(1, 2, 3), row(4, 5, 6)));
        Node mean = f.add(new ReduceOp(ReduceFn.MEAN, List.of(0, 1), false), x);
        assertScalar(3.5, f.eval(mean), 1e-15);
        Interpreter interp = new Interpreter(Map.of("B", 2, "T", 5));
        assertArrayEquals(new int[] {2, 30, 1}, interp.concreteShape(Shape.of(Dim.sym("B"),
                new Dim(3, List.of("B", "T")), Dim.of(1))));
        assertScalar(12, interp.eval(f.add(new DimValueOp(new Dim(6, List.of("B")), DType.F64)), Map.of()), 0);
    }

    @Test
    void aLeafOfTheWrongShapeIsRejected() {
        f.dims.put("B", 2);
        Node x = symbolicInput("x", DType.F32, Dim.sym("B"), Dim.of(64));
        f.leaves.put(x, NdArray.zeros(2, 63));
        Node y = f.add(new UnaryOp(UnaryFn.EXP), x);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.eval(y));
        assertEquals("interpreter: input x : f32[B, 64] needs shape [2, 64] (B=2), got [2, 63]", e.getMessage());
        Node w = f.builder.add(new ParamOp("W", new TensorType(DType.F64, Shape.of(3))));
        f.leaves.put(w, NdArray.scalar(1));
        e = assertThrows(IllegalArgumentException.class, () -> f.eval(w));
        assertEquals("interpreter: param W : f64[3] needs shape [3], got []", e.getMessage());
    }

    @Test
    void missingLeavesAndDimsAreErrors() {
        Node w = f.builder.add(new ParamOp("W", new TensorType(DType.F64, Shape.of(3))));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.eval(f.add(new UnaryOp(UnaryFn.NEG), w)));
        assertEquals("interpreter: no value given for param W : f64[3]", e.getMessage());
        Node x = symbolicInput("x", DType.F64, Dim.sym("B"));
        f.leaves.put(x, vector(1, 2));
        e = assertThrows(IllegalArgumentException.class, () -> f.eval(x));
        assertEquals("interpreter: no value for dim B (bound: {})", e.getMessage());
    }

    @Test
    void integerAndMaskLeavesMustHoldValuesOfTheirType() {
        Node y = f.labels("y", vector(1, 2.5));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.eval(y));
        assertEquals("interpreter: input y : i32[2] was given 2.5 at element 1, which is not an i32 value"
                + " (a whole number in the int range)", e.getMessage());
        Node m = f.input("m", DType.BOOL, vector(0, 1, 2));
        e = assertThrows(IllegalArgumentException.class, () -> f.eval(m));
        assertEquals("interpreter: input m : bool[3] was given 2.0 at element 2, which is not a bool value (0 or 1)",
                e.getMessage());
    }

    @Test
    void i32OverflowIsAnErrorNotAWrapAround() {
        Node big = f.labels("big", vector(Integer.MAX_VALUE));
        Node sum = f.add(new BinaryOp(BinaryFn.ADD), big, big);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.eval(sum));
        assertEquals("interpreter: %1 = add[%0, %0] : i32[1] computed 4.294967294E9 at element 0, which is not an i32"
                + " value (a whole number in the int range)", e.getMessage());
    }

    @Test
    void sharedNodesAreEvaluatedOnce() {
        // Each level uses the previous one twice: 2^60 paths, 120 nodes.
        Node x = f.input("x", vector(3, -1));
        Node half = f.add(new ConstantOp(0.5, DType.F64));
        Node y = x;
        for (int i = 0; i < 60; i++) {
            y = f.add(new BinaryOp(BinaryFn.MUL), f.add(new BinaryOp(BinaryFn.ADD), y, y), half);
        }
        Map<Node, NdArray> values = new Interpreter(Map.of()).run(List.of(y), f.leaves);
        assertEquals(f.builder.size(), values.size());
        assertClose(vector(3, -1), values.get(y));
        assertSame(f.leaves.get(x), values.get(x));
    }

    @Test
    void deepGraphsNeedNoDeepRecursion() {
        Node x = f.input("x", NdArray.scalar(0));
        Node one = f.add(new ConstantOp(1, DType.F64));
        Node y = x;
        for (int i = 0; i < 100_000; i++) {
            y = f.add(new BinaryOp(BinaryFn.ADD), y, one);
        }
        assertScalar(100_000, f.eval(y), 0);
    }

    @Test
    void aValueGivenForAnInnerNodeIsUsedAsIs() {
        Node x = f.input("x", vector(1, 2));
        Node e = f.add(new UnaryOp(UnaryFn.EXP), x);
        Node y = f.add(new UnaryOp(UnaryFn.NEG), e);
        Node z = f.builder.add(new ParamOp("unused", new TensorType(DType.F64, Shape.of(2))));
        Node w = f.add(new BinaryOp(BinaryFn.ADD), f.add(new UnaryOp(UnaryFn.NEG), z), z);
        Map<Node, NdArray> given = Map.of(e, vector(5, 6), x, vector(1, 2), w, vector(0, 0));
        Map<Node, NdArray> values = new Interpreter(Map.of()).run(List.of(y, w), given);
        assertClose(vector(-5, -6), values.get(y));
        assertEquals(List.of(e, y, w), List.copyOf(values.keySet()));
    }
}
