package dev.adjoint.compiler.diag;

import dev.adjoint.runtime.io.Printable;

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

    /**
     * The header line alone: {@code file:line:col: error: message}. Control characters and other characters
     * unsafe on a terminal are shown as {@code \}{@code uXXXX} escapes.
     */
    public String header() {
        return Printable.escape(span.where() + ": " + severity + ": " + message);
    }

    /** Header, source line and caret, each line ending in a newline. */
    public String format() {
        StringBuilder out = new StringBuilder(header()).append('\n');
        String line = span.file().line(span.line());
        if (line.length() > 400) {
            return out.toString(); // runaway lines are not echoed
        }
        out.append("  ").append(shown(line)).append('\n').append("  ");
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

    /** The source line with each character unsafe on a terminal (but a tab) as '?', so the caret still lines up. */
    private static String shown(String line) {
        StringBuilder sb = new StringBuilder(line.length());
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            sb.append(c != '\t' && Printable.isUnsafe(c) ? '?' : c);
        }
        return sb.toString();
    }
}
