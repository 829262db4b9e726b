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
        return ok;
    }
}
