package dev.adjoint.compiler.diag;

/**
 * A place in a model source: 1-based line and column of the first character, and the character
 * offsets [start, end) it covers (used to draw the caret under the offending token).
 */
public record Span(SourceFile file, int line, int column, int start, int end) {

    /** The smallest span covering both (same file). */
    public Span to(Span other) {
        if (other == null) {
            return this;
        }
        Span first = start <= other.start ? this : other;
        return new Span(file, first.line, first.column, Math.min(start, other.start), Math.max(end, other.end));
    }

    /** {@code file:line:col}. */
    public String where() {
        return file.name() + ":" + line + ":" + column;
    }

    @Override
    public String toString() {
        return where();
    }
}
