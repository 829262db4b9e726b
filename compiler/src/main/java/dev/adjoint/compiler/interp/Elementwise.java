package dev.adjoint.compiler.interp;

import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ops.BinaryFn;
import dev.adjoint.compiler.ops.CompareFn;
import dev.adjoint.compiler.ops.UnaryFn;
import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

/** Elementwise ops: one function per element, with NumPy broadcasting for two or three arguments. */
final class Elementwise {
    /** sqrt(2 / pi) and the cubic coefficient of the tanh approximation of gelu. */
    private static final double GELU_C = Math.sqrt(2 / Math.PI);
    private static final double GELU_A = 0.044715;

    private Elementwise() {
    }

    /** The switches below have no default: a new enum constant is a compile error here, not a wrong value. */
    static double unary(UnaryFn fn, double x) {
        return switch (fn) {
            case NEG -> -x;
            case EXP -> Math.exp(x);
            case LOG -> Math.log(x);
            case LOG1P -> Math.log1p(x);
            case SQRT -> Math.sqrt(x);
            case SQUARE -> x * x;
            case ABS -> Math.abs(x);
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case TANH -> Math.tanh(x);
            case SIGMOID -> sigmoid(x);
            case RELU -> Math.max(x, 0.0);
            case SOFTPLUS -> Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x)));
            case GELU -> 0.5 * x * (1 + Math.tanh(GELU_C * (x + GELU_A * x * x * x)));
            case SIGN -> Math.signum(x);
        };
    }

    /** Never computes exp of a large positive number. */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    /**
     * d/dx of {@code 0.5 x (1 + tanh(u))} with {@code u = c (x + a x^3)}:
     * {@code 0.5 (1 + tanh u) + 0.5 x (1 - tanh^2 u) c (1 + 3 a x^2)}. WhereOp {@code tanh u} is exactly
     * ±1 the second term is 0 (written out, it would be 0 * infinity for huge |x|).
     */
    static double geluDerivative(double x) {
        double t = Math.tanh(GELU_C * (x + GELU_A * x * x * x));
        double sech2 = 1 - t * t;
        double tail = sech2 == 0 ? 0 : 0.5 * x * sech2 * GELU_C * (1 + 3 * GELU_A * x * x);
        return 0.5 * (1 + t) + tail;
    }

    static double binary(BinaryFn fn, double a, double b) {
        return switch (fn) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case POW -> Math.pow(a, b);
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
        };
    }

    static boolean compare(CompareFn fn, double a, double b) {
        return switch (fn) {
            case LT -> a < b;
            case LE -> a <= b;
            case GT -> a > b;
            case GE -> a >= b;
            case EQ -> a == b;
            case NE -> a != b;
        };
    }

    /** {@code cast}: to i32 truncates toward zero like Java's {@code (int)}; floats keep the double value. */
    static double cast(DType to, double x) {
        return to == DType.I32 ? (int) x : x;
    }

    static NdArray map(NdArray x, DoubleUnaryOperator f) {
        double[] out = new double[x.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.applyAsDouble(x.data()[i]);
        }
        return new NdArray(x.shape().clone(), out);
    }

    /** {@code f(a, b)} broadcast to {@code shape}. */
    static NdArray map2(NdArray a, NdArray b, int[] shape, DoubleBinaryOperator f) {
        int[] sa = Index.broadcastStrides(a.shape(), shape);
        int[] sb = Index.broadcastStrides(b.shape(), shape);
        double[] out = new double[Index.size(shape)];
        int[] index = new int[shape.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = f.applyAsDouble(a.data()[Index.dot(index, sa)], b.data()[Index.dot(index, sb)]);
            Index.next(index, shape);
        }
        return new NdArray(shape, out);
    }

    /** {@code where(mask, a, b)} broadcast to {@code shape}. */
    static NdArray where(NdArray mask, NdArray a, NdArray b, int[] shape) {
        int[] sm = Index.broadcastStrides(mask.shape(), shape);
        int[] sa = Index.broadcastStrides(a.shape(), shape);
        int[] sb = Index.broadcastStrides(b.shape(), shape);
        double[] out = new double[Index.size(shape)];
        int[] index = new int[shape.length];
        for (int i = 0; i < out.length; i++) {
            boolean pick = mask.data()[Index.dot(index, sm)] != 0;
            out[i] = pick ? a.data()[Index.dot(index, sa)] : b.data()[Index.dot(index, sb)];
            Index.next(index, shape);
        }
        return new NdArray(shape, out);
    }
}
