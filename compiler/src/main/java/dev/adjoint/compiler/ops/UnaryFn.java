package dev.adjoint.compiler.ops;

/** The elementwise functions of one argument. {@code NEG} is unary minus. */
public enum UnaryFn {
    NEG("neg", true),
    EXP("exp", false),
    LOG("log", false),
    LOG1P("log1p", false),
    SQRT("sqrt", false),
    SQUARE("square", true),
    ABS("abs", true),
    SIN("sin", false),
    COS("cos", false),
    TANH("tanh", false),
    SIGMOID("sigmoid", false),
    RELU("relu", false),
    SOFTPLUS("softplus", false),
    /** The tanh approximation of GELU. */
    GELU("gelu", false),
    SIGN("sign", true);

    private final String text;
    private final boolean acceptsI32;

    UnaryFn(String text, boolean acceptsI32) {
        this.text = text;
        this.acceptsI32 = acceptsI32;
    }

    /** The name as written in a model ({@code exp}); {@code neg} for unary minus. */
    public String text() {
        return text;
    }

    /** True when the function is also defined on {@code i32} (exactly, without rounding). */
    public boolean acceptsI32() {
        return acceptsI32;
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
}
