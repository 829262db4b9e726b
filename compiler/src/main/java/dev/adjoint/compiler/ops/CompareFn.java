package dev.adjoint.compiler.ops;

/** The comparisons; each makes a {@code bool} mask for {@code where}. Names follow NumPy ({@code less}). */
public enum CompareFn {
    LT("less", "<"),
    LE("less_equal", "<="),
    GT("greater", ">"),
    GE("greater_equal", ">="),
    EQ("equal", "=="),
    NE("not_equal", "!=");

    private final String text;
    private final String symbol;

    CompareFn(String text, String symbol) {
        this.text = text;
        this.symbol = symbol;
    }

    /** The op's name in dumps and messages ({@code less}). */
    public String text() {
        return text;
    }

    /** The operator as written ({@code <}). */
    public String symbol() {
        return symbol;
    }
}
