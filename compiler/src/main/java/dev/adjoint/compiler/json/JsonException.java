package dev.adjoint.compiler.json;

/** Malformed JSON, with the 1-based line and column where reading stopped. */
public final class JsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int line;
    private final int column;

    public JsonException(int line, int column, String message) {
        super(line + ":" + column + ": " + message, null, false, false);
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
