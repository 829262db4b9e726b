package dev.adjoint.compiler.elab;

import dev.adjoint.compiler.diag.Diagnostics;
import dev.adjoint.compiler.diag.Span;

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
}
