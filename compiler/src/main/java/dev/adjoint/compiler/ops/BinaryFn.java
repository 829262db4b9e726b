package dev.adjoint.compiler.ops;

/** The elementwise arithmetic functions of two arguments. */
public enum BinaryFn {
    ADD("add", "+", true),
    SUB("sub", "-", true),
    MUL("mul", "*", true),
    DIV("div", "/", false),
    POW("pow", "^", false),
    MAX("max", "max", true),
    MIN("min", "min", true);

    private final String text;
    private final String symbol;
    private final boolean acceptsI32;

    BinaryFn(String text, String symbol, boolean acceptsI32) {
        this.text = text;
        this.symbol = symbol;
        this.acceptsI32 = acceptsI32;
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
}
