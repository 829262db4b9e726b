package dev.adjoint.compiler.diag;

import dev.adjoint.runtime.io.Utf8;
import java.util.ArrayList;
import java.util.List;

/** A model source: its display name (the path as the user gave it) and its text, with a line index. */
public final class SourceFile {
    private final String name;
    private final String text;
    private final int[] lineStarts;

    public SourceFile(String name, String text) {
        this.name = name;
        this.text = text;
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                starts.add(i + 1);
            }
        }
        lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The source in a file's bytes, read as UTF-8 with a leading byte order mark skipped. The first byte
     * sequence that is not UTF-8 is an error in {@code diagnostics}, at its line and column; the source returned
     * then shows such bytes as U+FFFD, so the error can show its line.
     */
    public static SourceFile decode(String name, byte[] bytes, Diagnostics diagnostics) {
        try {
            return new SourceFile(name, Utf8.decode(bytes));
        } catch (Utf8.MalformedException e) {
            SourceFile shown = new SourceFile(name, Utf8.decodeLeniently(bytes));
            int line = Math.min(e.line(), shown.lineCount());
            int offset = Math.min(shown.lineStarts[line - 1] + e.column() - 1, shown.text.length());
            diagnostics.error(shown.spanAt(offset, 1), e.problem());
            return shown;
        }
    }

    public String name() {
        return name;
    }

    public String text() {
        return text;
    }

    public int lineCount() {
        return lineStarts.length;
    }

    /** The text of a 1-based line, without its line terminator. */
    public String line(int line) {
        if (line < 1 || line > lineStarts.length) {
            return "";
        }
        int start = lineStarts[line - 1];
        int end = line < lineStarts.length ? lineStarts[line] - 1 : text.length();
        if (end > start && text.charAt(end - 1) == '\r') {
            end--;
        }
        return text.substring(start, Math.max(start, end));
    }

    /** The 1-based line holding a character offset. */
    public int lineOf(int offset) {
        int lo = 0;
        int hi = lineStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts[mid] <= offset) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo + 1;
    }

    /** The span of {@code length} characters starting at a character offset. */
    public Span spanAt(int offset, int length) {
        int line = lineOf(offset);
        return new Span(this, line, offset - lineStarts[line - 1] + 1, offset, offset + Math.max(0, length));
    }
}
