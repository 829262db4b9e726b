package dev.adjoint.compiler.ops;

import static dev.adjoint.compiler.ops.Fixtures.bool;
import static dev.adjoint.compiler.ops.Fixtures.f32;
import static dev.adjoint.compiler.ops.Fixtures.f64;
import static dev.adjoint.compiler.ops.Fixtures.i32;
import static dev.adjoint.compiler.ops.Fixtures.infer;
import static dev.adjoint.compiler.ops.Fixtures.rejects;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.adjoint.compiler.ir.DType;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ElementwiseOpsTest {

    private static final Set<UnaryFn> INTEGER_UNARY = EnumSet.of(UnaryFn.NEG, UnaryFn.ABS, UnaryFn.SQUARE, UnaryFn.SIGN);

    // ---- unary ---------------------------------------------------------------------------------

    @Test
    void unaryNamesAreTheModelNames() {
        assertEquals("neg", new UnaryOp(UnaryFn.NEG).name());
        assertEquals("log1p", new UnaryOp(UnaryFn.LOG1P).name());
        assertEquals("gelu", new UnaryOp(UnaryFn.GELU).name());
        assertEquals("sign", new UnaryOp(UnaryFn.SIGN).name());
        assertEquals("", new UnaryOp(UnaryFn.EXP).attributes());
        assertEquals(UnaryFn.SOFTPLUS, UnaryFn.fromText("softplus"));
        assertEquals(null, UnaryFn.fromText("neg2"));
    }

    @ParameterizedTest
    @EnumSource(UnaryFn.class)
    void unaryKeepsTheType(UnaryFn fn) {
        UnaryOp op = new UnaryOp(fn);
        assertEquals(f32("B", 3), infer(op, f32("B", 3)));
        assertEquals(f64(), infer(op, f64()));
        if (INTEGER_UNARY.contains(fn)) {
            assertEquals(i32("B"), infer(op, i32("B")));
        } else {
            rejects(0, fn.text() + ": needs a differentiable f32 or f64 tensor, got i32[B]", op, i32("B"));
        }
        rejects(0, fn.text() + ": a comparison mask (bool[B]) is not a number; use where(mask, a, b)", op, bool("B"));
        rejects(-1, fn.text() + ": expects 1 argument, got 2", op, f32(), f32());
    }

    @Test
    void leakyRelu() {
        LeakyReluOp op = new LeakyReluOp(0.01);
        assertEquals("leaky_relu", op.name());
        assertEquals("alpha=0.01", op.attributes());
        assertEquals(f32("B", 3), infer(op, f32("B", 3)));
        rejects(0, "leaky_relu: needs a differentiable f32 or f64 tensor, got i32[B]", op, i32("B"));
        assertNotEquals(op, new LeakyReluOp(0.2));
    }

    @Test
    void cast() {
        CastOp op = new CastOp(DType.F64);
        assertEquals("cast", op.name());
        assertEquals("to=f64", op.attributes());
        assertEquals(f64("B", 3), infer(op, f32("B", 3)));
        assertEquals(f64("B"), infer(op, i32("B")));
        assertEquals(f64("B"), infer(op, bool("B")));
        assertEquals(i32(), infer(new CastOp(DType.I32), f32()));
        assertEquals(f32(2), infer(new CastOp(DType.F32), f32(2)));
        rejects(1, "cast: cannot cast to bool; make a mask with a comparison such as x > 0", new CastOp(DType.BOOL), f32());
    }

    // ---- binary --------------------------------------------------------------------------------

    @Test
    void binaryNamesAndSymbols() {
        assertEquals("add", new BinaryOp(BinaryFn.ADD).name());
        assertEquals("pow", new BinaryOp(BinaryFn.POW).name());
        assertEquals("^", BinaryFn.POW.symbol());
        assertEquals("/", BinaryFn.DIV.symbol());
        assertEquals("max", BinaryFn.MAX.symbol());
        assertEquals("min", new BinaryOp(BinaryFn.MIN).name());
    }

    @Test
    void binaryBroadcasts() {
        BinaryOp add = new BinaryOp(BinaryFn.ADD);
        assertEquals(f32("B", 32), infer(add, f32("B", 32), f32(32)));
        assertEquals(f32("B", 32), infer(add, f32(), f32("B", 32)));
        assertEquals(f64("B", 3), infer(new BinaryOp(BinaryFn.MUL), f64("B", 1), f64(1, 3)));
        assertEquals(f32("B", "C"), infer(new BinaryOp(BinaryFn.SUB), f32("B", 1), f32("C")));
        rejects(-1, "add: shapes [B, 3] and [4] do not broadcast: dimension 3 vs 4", add, f32("B", 3), f32(4));
        rejects(-1, "div: shapes [B] and [64] do not broadcast: dimension B vs 64", new BinaryOp(BinaryFn.DIV),
                f32("B"), f32(64));
    }

    @ParameterizedTest
    @EnumSource(value = BinaryFn.class, names = {"ADD", "SUB", "MUL", "MAX", "MIN"})
    void integerArithmeticWhereExact(BinaryFn fn) {
        assertEquals(i32("B"), infer(new BinaryOp(fn), i32("B"), i32()));
    }

    @Test
    void divisionAndPowerNeedFloats() {
        rejects(-1, "div: needs f32 or f64 operands, got i32[B] / i32[]; convert first with cast(x, f32)",
                new BinaryOp(BinaryFn.DIV), i32("B"), i32());
        rejects(-1, "pow: needs f32 or f64 operands, got i32[3] ^ i32[3]; convert first with cast(x, f32)",
                new BinaryOp(BinaryFn.POW), i32(3), i32(3));
        assertEquals(f32(3), infer(new BinaryOp(BinaryFn.POW), f32(3), f32()));
    }

    @Test
    void binaryTypeErrors() {
        BinaryOp add = new BinaryOp(BinaryFn.ADD);
        rejects(-1, "add: mixed f32 and f64 (f32[B, 3] and f64[3]); convert one with cast(x, f64)", add,
                f32("B", 3), f64(3));
        rejects(-1, "max: mixed i32 and f32 (i32[B] and f32[B]); convert one with cast(x, f32)",
                new BinaryOp(BinaryFn.MAX), i32("B"), f32("B"));
        rejects(1, "add: a comparison mask (bool[B]) is not a number; use where(mask, a, b)", add, f32("B"), bool("B"));
        rejects(0, "mul: a comparison mask (bool[B]) is not a number; use where(mask, a, b)", new BinaryOp(BinaryFn.MUL),
                bool("B"), f32("B"));
        rejects(-1, "add: expects 2 arguments, got 1", add, f32());
    }

    // ---- comparisons and where -----------------------------------------------------------------

    @Test
    void comparisonsMakeMasks() {
        CompareOp gt = new CompareOp(CompareFn.GT);
        assertEquals("greater", gt.name());
        assertEquals(">", gt.attributes());
        assertEquals("<=", CompareFn.LE.symbol());
        assertEquals("not_equal", CompareFn.NE.text());
        assertEquals(bool("B", 3), infer(gt, f32("B", 3), f32()));
        assertEquals(bool("B", 3), infer(new CompareOp(CompareFn.EQ), i32("B", 1), i32(3)));
        rejects(-1, "less: shapes [B] and [3] do not broadcast: dimension B vs 3", new CompareOp(CompareFn.LT),
                f32("B"), f32(3));
        rejects(-1, "greater: mixed f32 and f64 (f32[B] and f64[]); convert one with cast(x, f64)", gt, f32("B"), f64());
        rejects(0, "greater: a comparison mask (bool[B]) is not a number; use where(mask, a, b)", gt, bool("B"), f32());
    }

    @Test
    void whereBroadcastsAllThree() {
        WhereOp w = new WhereOp();
        assertEquals("where", w.name());
        assertEquals(f32("B", 3), infer(w, bool("B", 3), f32("B", 3), f32()));
        assertEquals(f64("B", 3), infer(w, bool("B", 1), f64(3), f64("B", 1)));
        assertEquals(i32("B"), infer(w, bool("B"), i32("B"), i32()));
        rejects(-1, "where: shapes [3], [3] and [4] do not broadcast: dimension 3 vs 4", w, bool(3), f32(3), f32(4));
        rejects(-1, "where: shapes [B], [C] and [] do not broadcast: dimension B vs C", w, bool("B"), f32("C"), f32());
    }

    @Test
    void whereRejectsBadArguments() {
        WhereOp w = new WhereOp();
        rejects(0, "where: the first argument must be a comparison mask like x > 0, got f32[B]", w, f32("B"), f32(),
                f32());
        rejects(1, "where: the values to choose from must be numbers, got the mask bool[B] as the second argument", w,
                bool("B"), bool("B"), f32());
        rejects(2, "where: the values to choose from must be numbers, got the mask bool[] as the third argument", w,
                bool("B"), f32(), bool());
        rejects(-1, "where: mixed f32 and f64 (f32[B] and f64[]); convert one with cast(x, f64)", w, bool("B"),
                f32("B"), f64());
        rejects(-1, "where: expects 3 arguments, got 2", w, bool("B"), f32());
    }
}
