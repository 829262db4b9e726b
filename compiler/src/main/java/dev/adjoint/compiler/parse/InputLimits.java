package dev.adjoint.compiler.parse;

import dev.adjoint.compiler.diag.Diagnostics;
import dev.adjoint.compiler.diag.SourceFile;

/** Rejects runaway input (huge files, megabyte lines, absurd nesting) before the parser sees it. */
final class InputLimits {
    private InputLimits() {
    }

    static boolean check(SourceFile source, Diagnostics diagnostics) {
        String text = source.text();
        if (text.length() > ModelParser.MAX_SOURCE_CHARS) {
            diagnostics.error(source.spanAt(0, 0), "file is too large: " + text.length()
                    + " characters (at most " + ModelParser.MAX_SOURCE_CHARS + ")");
            return false;
        }
        boolean ok = true;
        int lineStart = 0;
        int depth = 0;
        boolean depthReported = false;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '\n';
            if (c == '\n') {
                int length = i - lineStart;
                if (length > ModelParser.MAX_LINE_CHARS) {
                    diagnostics.error(source.spanAt(lineStart + ModelParser.MAX_LINE_CHARS, 1),
                            "line is too long: " + length + " characters (at most "
                                    + ModelParser.MAX_LINE_CHARS + ")");
                    ok = false;
                }
                lineStart = i + 1;
            } else if (c == '(' || c == '[' || c == '{') {
                depth++;
                if (depth > ModelParser.MAX_NESTING && !depthReported) {
                    diagnostics.error(source.spanAt(i, 1), "brackets are nested too deeply (more than "
                            + ModelParser.MAX_NESTING + " levels)");
                    depthReported = true;
                    ok = false;
                }
            } else if (c == ')' || c == ']' || c == '}') {
                depth = Math.max(0, depth - 1);
            }
        }
        return ok && commentsClosed(source, diagnostics);
    }

    /** An unclosed block comment would otherwise lex as '/' '*' and give a puzzling error far away. */
    private static boolean commentsClosed(SourceFile source, Diagnostics diagnostics) {
        String text = source.text();
        int i = 0;
        while (i < text.length() - 1) {
            if (text.startsWith("//", i)) {
                int eol = text.indexOf('\n', i);
                i = eol < 0 ? text.length() : eol + 1;
            } else if (text.startsWith("/*", i)) {
                int close = text.indexOf("*/", i + 2);
                if (close < 0) {
                    diagnostics.error(source.spanAt(i, 2), "syntax error: unterminated block comment (missing '*/')");
                    return false;
                }
                i = close + 2;
            } else {
                i++;
            }
        }
        return true;
    }
}
