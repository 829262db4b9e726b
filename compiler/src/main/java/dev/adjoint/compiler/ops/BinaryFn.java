package dev.adjoint.compiler.ops;

import static dev.adjoint.compiler.ops.CompareFn.EQ;
import static dev.adjoint.compiler.ops.CompareFn.GE;
import static dev.adjoint.compiler.ops.CompareFn.GT;
import static dev.adjoint.compiler.ops.CompareFn.LT;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ad.GradBuilder;
import dev.adjoint.compiler.ad.Vjp;
import dev.adjoint.compiler.emit.JavaExpr;
import dev.adjoint.compiler.ir.Node;
import java.util.function.DoubleBinaryOperator;
import java.util.function.Supplier;

/**
 * The elementwise arithmetic functions of two arguments, as a table: each row carries the name and operator,
 * the scalar formula, the derivative (each adjoint summed back over the axes its operand was broadcast
 * along), the Java expression and the textbook rule for each side.
 */
public enum BinaryFn {
    ADD("add", "+", true, (a, b) -> a + b,
            (g, v) -> v.each(
                    () -> g.sumTo(v.dy(), v.shape(0)),
                    () -> g.sumTo(v.dy(), v.shape(1))),
            (a, b) -> JavaExpr.exact("$L + $L", a, b),
            "d(a + b)/da = 1", "d(a + b)/db = 1"),
    SUB("sub", "-", true, (a, b) -> a - b,
            (g, v) -> v.each(
                    () -> g.sumTo(v.dy(), v.shape(0)),
                    () -> g.sumTo(g.neg(v.dy()), v.shape(1))),
            (a, b) -> JavaExpr.exact("$L - $L", a, b),
            "d(a - b)/da = 1", "d(a - b)/db = -1"),
    MUL("mul", "*", true, (a, b) -> a * b,
            (g, v) -> v.each(
                    () -> g.sumTo(g.mul(v.dy(), v.x(1)), v.shape(0)),
                    () -> g.sumTo(g.mul(v.dy(), v.x(0)), v.shape(1))),
            (a, b) -> JavaExpr.exact("$L * $L", a, b),
            "d(a * b)/da = b", "d(a * b)/db = a"),
    /** d(a/b) = dy/b and -(dy/b) * y: one division shared by both sides, no b^2 to overflow. */
    DIV("div", "/", false, (a, b) -> a / b,
            (g, v) -> v.each(
                    () -> g.sumTo(g.div(v.dy(), v.x(1)), v.shape(0)),
                    () -> g.sumTo(g.neg(g.mul(g.div(v.dy(), v.x(1)), v.y())), v.shape(1))),
            (a, b) -> JavaExpr.exact("$L / $L", a, b),
            "d(a / b)/da = 1 / b", "d(a / b)/db = -a / b^2"),
    POW("pow", "^", false, Math::pow, BinaryFn::pow,
            (a, b) -> JavaExpr.wide("$T.pow($L, $L)", Math.class, a, b),
            "d(a^b)/da = b a^(b-1)", "d(a^b)/db = a^b log(a)"),
    /** Ties (a == b) give half of dy to each side, like torch.maximum. */
    MAX("max", "max", true, Math::max, (g, v) -> minMax(g, v, GT),
            (a, b) -> JavaExpr.exact("$T.max($L, $L)", Math.class, a, b),
            "d max(a, b)/da = [a is the max]", "d max(a, b)/db = [b is the max]"),
    /** Ties (a == b) give half of dy to each side, like torch.minimum. */
    MIN("min", "min", true, Math::min, (g, v) -> minMax(g, v, LT),
            (a, b) -> JavaExpr.exact("$T.min($L, $L)", Math.class, a, b),
            "d min(a, b)/da = [a is the min]", "d min(a, b)/db = [b is the min]");

    /** The adjoints of both operands. */
    @FunctionalInterface
    interface Derivative {
        Node[] vjp(GradBuilder g, Vjp v);
    }

    /** The Java expression of {@code f(a, b)} for the element expressions {@code a} and {@code b}. */
    @FunctionalInterface
    interface Java {
        JavaExpr of(CodeBlock a, CodeBlock b);
    }

    private final String text;
    private final String symbol;
    private final boolean acceptsI32;
    private final DoubleBinaryOperator formula;
    private final Derivative derivative;
    private final Java java;
    private final String ruleA;
    private final String ruleB;

    BinaryFn(String text, String symbol, boolean acceptsI32, DoubleBinaryOperator formula, Derivative derivative,
            Java java, String ruleA, String ruleB) {
        this.text = text;
        this.symbol = symbol;
        this.acceptsI32 = acceptsI32;
        this.formula = formula;
        this.derivative = derivative;
        this.java = java;
        this.ruleA = ruleA;
        this.ruleB = ruleB;
    }

    /** The op's name in dumps and messages ({@code add}). */
    public String text() {
        return text;
    }

    /** The operator as written ({@code +}), or the function name for {@code max} and {@code min}. */
    public String symbol() {
        return symbol;
    }

    /** True when {@code i32} operands are allowed (the result is exact). */
    public boolean acceptsI32() {
        return acceptsI32;
    }

    /** True for the infix operators, false for the functions {@code max(a, b)} and {@code min(a, b)}. */
    public boolean isInfix() {
        return this != MAX && this != MIN;
    }

    /** The function at {@code (a, b)} in double precision: the reference evaluation and the constant folder. */
    public double apply(double a, double b) {
        return formula.applyAsDouble(a, b);
    }

    Node[] vjp(GradBuilder g, Vjp v) {
        return derivative.vjp(g, v);
    }

    JavaExpr java(CodeBlock a, CodeBlock b) {
        return java.of(a, b);
    }

    /** The textbook derivative with respect to operand {@code i}, for comments. */
    String rule(int i) {
        return i == 0 ? ruleA : ruleB;
    }

    /**
     * {@code y = a ^ b}, as PyTorch's pow_backward: da = dy * b * a^(b-1), 0 where b == 0; db = dy * y * log(a),
     * 0 where a == 0 and b >= 0 (the limit of a^b log a). A constant exponent folds: d(x^3) = 3 x^2.
     */
    private static Node[] pow(GradBuilder g, Vjp v) {
        Node a = v.x(0);
        Node b = v.x(1);
        Node dy = v.dy();
        return v.each(() -> {
            if (b.op() instanceof ConstantOp c) {
                if (c.value() == 0) {
                    return null;
                }
                Node da = c.value() == 1 ? dy : g.mul(dy, g.mul(g.constant(c.value(), a),
                        g.pow(a, g.constant(c.value() - 1, a))));
                return g.sumTo(da, v.shape(0));
            }
            Node da = g.mul(dy, g.mul(b, g.pow(a, g.sub(b, g.constant(1, b)))));
            return g.sumTo(g.where(g.compare(EQ, b, 0), g.constant(0, dy), da), v.shape(0));
        }, () -> {
            Node db = g.mul(dy, g.mul(v.y(), g.log(a)));
            Node atZero = g.where(g.compare(GE, b, 0), g.constant(0, dy), db);
            return g.sumTo(g.where(g.compare(EQ, a, 0), atZero, db), v.shape(1));
        });
    }

    /** {@code max(a, b)} ({@code wins} = GT) or {@code min(a, b)} ({@code wins} = LT): the winner takes dy, ties half. */
    private static Node[] minMax(GradBuilder g, Vjp v, CompareFn wins) {
        Node a = v.x(0);
        Node b = v.x(1);
        Node dy = v.dy();
        Supplier<Node> tie = () -> g.where(g.compare(EQ, a, b), g.mul(dy, 0.5), g.constant(0, dy));
        return v.each(
                () -> g.sumTo(g.where(g.compare(wins, a, b), dy, tie.get()), v.shape(0)),
                () -> g.sumTo(g.where(g.compare(wins, b, a), dy, tie.get()), v.shape(1)));
    }
}
