package dev.adjoint.compiler.ops;

import static dev.adjoint.compiler.ops.Fixtures.f32;
import static dev.adjoint.compiler.ops.Fixtures.f64;
import static dev.adjoint.compiler.ops.Fixtures.i32;
import static dev.adjoint.compiler.ops.Fixtures.infer;
import static dev.adjoint.compiler.ops.Fixtures.rejects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.TensorType;
import org.junit.jupiter.api.Test;

class LeafOpsTest {

    @Test
    void inputHasItsDeclaredType() {
        InputOp x = new InputOp("x", f32("B", 64));
        assertEquals(f32("B", 64), infer(x));
        assertEquals("x", x.name());
        assertEquals("input", x.attributes());
        assertEquals(i32("B"), infer(new InputOp("y", i32("B"))));
        rejects(-1, "x: expects 0 arguments, got 1", x, f32());
    }

    @Test
    void paramIsDifferentiableWithAFixedShape() {
        ParamOp w = new ParamOp("W1", f32(64, 32));
        assertEquals(f32(64, 32), infer(w));
        assertEquals("W1", w.name());
        assertEquals("param", w.attributes());
        assertEquals(f64(), infer(new ParamOp("s", f64())));
        rejects(-1, "param W: needs a differentiable f32 or f64 tensor, got i32[3]", new ParamOp("W", i32(3)));
        rejects(-1, "param W: its shape [B, 3] uses the dim B; a param's shape may use only integers and consts",
                new ParamOp("W", f32("B", 3)));
    }

    @Test
    void constantIsAScalarOfItsType() {
        ConstantOp c = new ConstantOp(0.5, DType.F32);
        assertEquals(TensorType.scalar(DType.F32), infer(c));
        assertEquals("constant", c.name());
        assertEquals("value=0.5", c.attributes());
        assertEquals("value=3", new ConstantOp(3, DType.I32).attributes());
        assertEquals("value=1e-5", new ConstantOp(1e-5, DType.F64).attributes());
        assertEquals("value=-2.5e20", new ConstantOp(-2.5e20, DType.F64).attributes());
        assertEquals("value=true", new ConstantOp(1, DType.BOOL).attributes());
        assertEquals(TensorType.scalar(DType.I32), infer(new ConstantOp(-7, DType.I32)));
        assertEquals(TensorType.scalar(DType.BOOL), infer(new ConstantOp(0, DType.BOOL)));
        assertNotEquals(new ConstantOp(1, DType.F32), new ConstantOp(1, DType.F64));
    }

    @Test
    void constantRejectsValuesItsTypeCannotHold() {
        rejects(-1, "constant: 0.5 is not an i32 value (an integer from -2147483648 to 2147483647);"
                + " convert the other operand with cast(x, f32)", new ConstantOp(0.5, DType.I32));
        rejects(-1, "constant: 3000000000 is not an i32 value (an integer from -2147483648 to 2147483647);"
                + " convert the other operand with cast(x, f32)", new ConstantOp(3e9, DType.I32));
        rejects(-1, "constant: 2 is not a bool value (1 or 0)", new ConstantOp(2, DType.BOOL));
    }
}
