package dev.adjoint.compiler.diag;

/**
 * The one diagnostic type of the compiler: a positioned message. Printed by {@link #format()} as
 * {@code file:line:col: error: message}, the source line, and a caret under the offending token.
 */
public record Diagnostic(Severity severity, Span span, String message) {

    public enum Severity {
        ERROR("error"),
        WARNING("warning"),
        NOTE("note");

        private final String text;

        Severity(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    public static Diagnostic error(Span span, String message) {
        return new Diagnostic(Severity.ERROR, span, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** The header line alone: {@code file:line:col: error: message}. */
    public String header() {
        return span.where() + ": " + severity + ": " + message;
    }

    /** Header, source line and caret, each line ending in a newline. */
    public String format() {
        StringBuilder out = new StringBuilder(header()).append('\n');
        String line = span.file().line(span.line());
        if (line.length() > 400) {
            return out.toString(); // runaway lines are not echoed
        }
        out.append("  ").append(line).append('\n').append("  ");
        int col = Math.max(1, span.column());
        for (int i = 1; i < col && i - 1 < line.length(); i++) {
            out.append(line.charAt(i - 1) == '\t' ? '\t' : ' ');
        }
        out.append('^');
        int width = Math.min(span.end() - span.start(), line.length() - col + 1);
        for (int i = 1; i < width; i++) {
            out.append('~');
        }
        return out.append('\n').toString();
    }
}
