package dev.adjoint.compiler.diag;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Collects diagnostics during one compilation; errors do not stop the compiler from finding more. */
public final class Diagnostics {
    /** After this many errors the rest are dropped (a runaway file should not print megabytes). */
    public static final int MAX_ERRORS = 100;

    private final List<Diagnostic> list = new ArrayList<>();
    private final java.util.Set<String> seen = new java.util.HashSet<>();
    private int errors;
    private boolean truncated;

    public void error(Span span, String message) {
        add(Diagnostic.error(span, message));
    }

    /** Adds a diagnostic; an identical one at the same place (say, from every unrolled iteration) is kept once. */
    public void add(Diagnostic d) {
        if (!seen.add(d.span().file().name() + ":" + d.span().start() + ":" + d.severity() + ":" + d.message())) {
            return;
        }
        if (d.isError()) {
            if (errors >= MAX_ERRORS) {
                truncated = true;
                return;
            }
            errors++;
        }
        list.add(d);
    }

    public boolean hasErrors() {
        return errors > 0;
    }

    public int errorCount() {
        return errors;
    }

    public boolean truncated() {
        return truncated;
    }

    /** All diagnostics, ordered by position (stable for equal positions). */
    public List<Diagnostic> sorted() {
        List<Diagnostic> copy = new ArrayList<>(list);
        copy.sort(Comparator.comparing((Diagnostic d) -> d.span().file().name())
                .thenComparingInt(d -> d.span().start()));
        return List.copyOf(copy);
    }

    /** Every diagnostic formatted, followed by an error count line when there are errors. */
    public String format() {
        StringBuilder out = new StringBuilder();
        for (Diagnostic d : sorted()) {
            out.append(d.format());
        }
        if (truncated) {
            out.append("too many errors; only the first ").append(MAX_ERRORS).append(" are shown\n");
        }
        if (errors > 0) {
            out.append(errors).append(errors == 1 ? " error\n" : " errors\n");
        }
        return out.toString();
    }
}
