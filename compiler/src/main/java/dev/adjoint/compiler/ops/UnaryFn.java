package dev.adjoint.compiler.ops;

import static dev.adjoint.compiler.ops.CompareFn.GT;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ad.GradBuilder;
import dev.adjoint.compiler.emit.JavaCode;
import dev.adjoint.compiler.emit.JavaExpr;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Node;
import java.util.function.DoubleUnaryOperator;

/**
 * The elementwise functions of one argument, as a table: each row carries the function's name, its scalar
 * formula (the reference evaluation and the constant folder), its derivative, its Java expression and the
 * textbook rule printed above its adjoint in generated code. {@code NEG} is unary minus.
 *
 * <p>Kinks follow PyTorch: relu'(0) = 0, abs'(0) = sign(0) = 0. Masked derivatives select with
 * {@code where}, never multiply by a mask.
 *
 * <p>{@code exp}, {@code log}, {@code tanh} and {@code sigmoid} lower to the runtime's {@code FastMath}: branch-free,
 * in the element type (float arithmetic for {@code f32}), within 1 to 4 ulps of {@code StrictMath}, and inlined by
 * the JIT into fused loops ({@code Math.tanh} is a native call on JDK 17). The reference evaluation uses
 * {@code Math}.
 */
public enum UnaryFn {
    NEG("neg", true, x -> -x,
            (g, x, y, dy) -> g.neg(dy),
            (x, t) -> JavaExpr.exact("-$L", x),
            "d(-u)/du = -1"),
    EXP("exp", false, Math::exp,
            (g, x, y, dy) -> g.mul(dy, y),                                       // exp' = exp = y
            (x, t) -> JavaExpr.exact("$T.exp($L)", JavaCode.rt("FastMath"), x),
            "d(exp u)/du = exp(u)"),
    LOG("log", false, Math::log,
            (g, x, y, dy) -> g.div(dy, x),
            (x, t) -> JavaExpr.exact("$T.log($L)", JavaCode.rt("FastMath"), x),
            "d(log u)/du = 1 / u"),
    LOG1P("log1p", false, Math::log1p,
            (g, x, y, dy) -> g.div(dy, g.add(g.constant(1, x), x)),
            (x, t) -> JavaExpr.wide("$T.log1p($L)", Math.class, x),
            "d(log1p u)/du = 1 / (1 + u)"),
    SQRT("sqrt", false, Math::sqrt,
            (g, x, y, dy) -> g.div(g.mul(dy, 0.5), y),                         // dy * 0.5 / sqrt(x)
            (x, t) -> JavaExpr.wide("$T.sqrt($L)", Math.class, x),
            "d(sqrt u)/du = 1 / (2 sqrt(u))"),
    SQUARE("square", true, x -> x * x,
            (g, x, y, dy) -> g.mul(dy, g.mul(x, 2)),
            (x, t) -> JavaExpr.exact("$L * $L", x, x),
            "d(u^2)/du = 2u"),
    ABS("abs", true, Math::abs,
            (g, x, y, dy) -> g.mul(dy, g.unary(sign(), x)),               // abs'(0) = sign(0) = 0
            (x, t) -> JavaExpr.exact("$T.abs($L)", Math.class, x),
            "d|u|/du = sign(u)"),
    SIN("sin", false, Math::sin,
            (g, x, y, dy) -> g.mul(dy, g.unary(cos(), x)),
            (x, t) -> JavaExpr.wide("$T.sin($L)", Math.class, x),
            "d(sin u)/du = cos(u)"),
    COS("cos", false, Math::cos,
            (g, x, y, dy) -> g.mul(dy, g.neg(g.unary(sin(), x))),
            (x, t) -> JavaExpr.wide("$T.cos($L)", Math.class, x),
            "d(cos u)/du = -sin(u)"),
    TANH("tanh", false, Math::tanh,
            (g, x, y, dy) -> g.mul(dy, g.sub(g.constant(1, y), g.square(y))),   // 1 - y^2
            (x, t) -> JavaExpr.exact("$T.tanh($L)", JavaCode.rt("FastMath"), x),
            "d(tanh u)/du = 1 - tanh(u)^2"),
    SIGMOID("sigmoid", false, UnaryFn::sigmoid,
            (g, x, y, dy) -> g.mul(dy, g.mul(y, g.sub(g.constant(1, y), y))),   // y (1 - y)
            (x, t) -> JavaExpr.exact("$T.sigmoid($L)", JavaCode.rt("FastMath"), x),
            "d(sigmoid u)/du = s (1 - s)"),
    RELU("relu", false, x -> Math.max(x, 0.0),
            (g, x, y, dy) -> g.where(g.compare(GT, x, 0), dy, g.constant(0, dy)),   // relu'(0) = 0
            (x, t) -> JavaExpr.exact("$T.max($L, $L)", Math.class, x, JavaCode.literal(0, t)),
            "d(relu u)/du = [u > 0]"),
    SOFTPLUS("softplus", false, x -> Math.max(x, 0.0) + Math.log1p(Math.exp(-Math.abs(x))),
            (g, x, y, dy) -> g.mul(dy, g.unary(sigmoid(), x)),
            (x, t) -> JavaExpr.exact("$T.softplus($L)", JavaCode.rt("Activations"), x),
            "d(softplus u)/du = sigmoid(u)"),
    /** The tanh approximation of GELU; its derivative is the one fused op {@link GeluGradOp}. */
    GELU("gelu", false, UnaryFn::gelu,
            (g, x, y, dy) -> g.op(new GeluGradOp(), x, dy),
            (x, t) -> JavaExpr.exact("$T.gelu($L)", JavaCode.rt("Activations"), x),
            "d(gelu u)/du = gelu'(u)"),
    /** Piecewise constant: no gradient flows through it. */
    SIGN("sign", true, Math::signum,
            (g, x, y, dy) -> null,
            (x, t) -> t == DType.I32 ? JavaExpr.exact("$T.signum($L)", Integer.class, x)
                    : JavaExpr.exact("$T.signum($L)", Math.class, x),
            "d(sign u)/du = 0");

    /** sqrt(2 / pi) and the cubic coefficient of the tanh approximation of gelu. */
    static final double GELU_C = Math.sqrt(2 / Math.PI);
    static final double GELU_A = 0.044715;

    /** {@code dx} from {@code x}, {@code y = f(x)} and {@code dy}; null for no gradient. */
    @FunctionalInterface
    interface Derivative {
        Node vjp(GradBuilder g, Node x, Node y, Node dy);
    }

    /** The Java expression of {@code f(x)} for the element expression {@code x} of type {@code t}. */
    @FunctionalInterface
    interface Java {
        JavaExpr of(CodeBlock x, DType t);
    }

    private final String text;
    private final boolean acceptsI32;
    private final DoubleUnaryOperator formula;
    private final Derivative derivative;
    private final Java java;
    private final String rule;

    UnaryFn(String text, boolean acceptsI32, DoubleUnaryOperator formula, Derivative derivative, Java java,
            String rule) {
        this.text = text;
        this.acceptsI32 = acceptsI32;
        this.formula = formula;
        this.derivative = derivative;
        this.java = java;
        this.rule = rule;
    }

    /** The name as written in a model ({@code exp}); {@code neg} for unary minus. */
    public String text() {
        return text;
    }

    /** True when the function is also defined on {@code i32} (exactly, without rounding). */
    public boolean acceptsI32() {
        return acceptsI32;
    }

    /** The function at {@code x}, in double precision: the reference evaluation and the constant folder. */
    public double apply(double x) {
        return formula.applyAsDouble(x);
    }

    Node vjp(GradBuilder g, Node x, Node y, Node dy) {
        return derivative.vjp(g, x, y, dy);
    }

    JavaExpr java(CodeBlock x, DType t) {
        return java.of(x, t);
    }

    /**
     * Whether the runtime's {@code ArrayMath} has this function over whole arrays (vectorized, with exactly the bits
     * of the {@code FastMath} call the element expression makes): {@code exp}, {@code log}, {@code tanh},
     * {@code sigmoid}.
     */
    public boolean hasArrayKernel() {
        return this == EXP || this == LOG || this == TANH || this == SIGMOID;
    }

    /** The textbook derivative, for comments: {@code d(tanh u)/du = 1 - tanh(u)^2}. */
    String rule() {
        return rule;
    }

    /** The function named {@code word} in a model, or null. */
    public static UnaryFn fromText(String word) {
        for (UnaryFn f : values()) {
            if (f.text.equals(word)) {
                return f;
            }
        }
        return null;
    }

    // Rows that refer to later rows do so through these methods (an enum constant's initializer cannot name a
    // later constant directly).
    private static UnaryFn sign() {
        return SIGN;
    }

    private static UnaryFn cos() {
        return COS;
    }

    private static UnaryFn sin() {
        return SIN;
    }

    private static UnaryFn sigmoid() {
        return SIGMOID;
    }

    /** Never computes exp of a large positive number. */
    static double sigmoid(double x) {
        if (x >= 0) {
            return 1 / (1 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1 + e);
    }

    static double gelu(double x) {
        return 0.5 * x * (1 + Math.tanh(GELU_C * (x + GELU_A * x * x * x)));
    }
}
