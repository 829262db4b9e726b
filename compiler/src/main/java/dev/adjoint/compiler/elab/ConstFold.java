package dev.adjoint.compiler.elab;

import dev.adjoint.compiler.diag.Diagnostics;
import dev.adjoint.compiler.diag.Span;
import dev.adjoint.compiler.ops.UnaryFn;

/** Compile-time arithmetic on numbers ({@code 2*H}, {@code sqrt(4.0)}, {@code 1e-3}). */
final class ConstFold {
    private ConstFold() {
    }

    static Value binary(String op, Value.Num a, Value.Num b, Span span, Diagnostics diagnostics) {
        double x = a.value();
        double y = b.value();
        boolean ints = a.integral() && b.integral();
        switch (op) {
            case "+":
                return Value.Num.of(x + y, ints);
            case "-":
                return Value.Num.of(x - y, ints);
            case "*":
                return Value.Num.of(x * y, ints);
            case "/":
                if (y == 0) {
                    diagnostics.error(span, "division by zero in a compile-time expression");
                    return Value.ERROR;
                }
                return Value.Num.of(x / y, ints);
            case "^":
                return Value.Num.of(Math.pow(x, y), ints && y >= 0);
            case "<":
                return new Value.Bool(x < y);
            case "<=":
                return new Value.Bool(x <= y);
            case ">":
                return new Value.Bool(x > y);
            case ">=":
                return new Value.Bool(x >= y);
            case "==":
                return new Value.Bool(x == y);
            case "!=":
                return new Value.Bool(x != y);
            default:
                diagnostics.error(span, "operator '" + op + "' needs tensors, got two numbers");
                return Value.ERROR;
        }
    }

    /** The value of an elementwise function at a compile-time number (same formulas as the runtime's). */
    static double unary(UnaryFn fn, double x) {
        switch (fn) {
            case NEG:
                return -x;
            case EXP:
                return Math.exp(x);
            case LOG:
                return Math.log(x);
            case LOG1P:
                return Math.log1p(x);
            case SQRT:
                return Math.sqrt(x);
            case SQUARE:
                return x * x;
            case ABS:
                return Math.abs(x);
            case SIN:
                return Math.sin(x);
            case COS:
                return Math.cos(x);
            case TANH:
                return Math.tanh(x);
            case SIGMOID:
                return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
            case RELU:
                return x > 0 ? x : 0;
            case SOFTPLUS:
                return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)));
            case GELU:
                return 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x * x * x)));
            case SIGN:
                return Math.signum(x);
            default:
                throw new IllegalArgumentException(fn.toString());
        }
    }
}
