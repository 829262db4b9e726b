package dev.adjoint.compiler.diag;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects diagnostics during one compilation; errors do not stop the compiler from finding more. One
 * diagnostic per place: the same mistake met again (in every iteration of an unrolled loop, in every call of
 * a fn) is reported the first time only.
 */
public final class Diagnostics {
    /** After this many errors the rest are dropped (a runaway file should not print megabytes). */
    public static final int MAX_ERRORS = 100;

    private final List<Diagnostic> list = new ArrayList<>();
    private final Set<String> seen = new HashSet<>();
    /** The fn calls being inlined, innermost first ("fn dense called at line 5"). */
    private final Deque<String> calls = new ArrayDeque<>();
    private int errors;
    private boolean truncated;

    /** Reports an error; inside an inlined fn call, the message also says which call it comes from. */
    public void error(Span span, String message) {
        add(Diagnostic.error(span, calls.isEmpty() ? message : message + " (in " + String.join(", in ", calls)
                + ")"));
    }

    /** Adds a diagnostic, unless one of the same severity is already reported at the same place. */
    public void add(Diagnostic d) {
        if (!seen.add(d.span().file().name() + ":" + d.span().start() + ":" + d.severity())) {
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

    /** Starts inlining a call of a fn: errors in its body name the call, e.g. "fn dense called at line 5". */
    public void enterCall(String call) {
        calls.push(call);
    }

    /** Ends the innermost {@link #enterCall}. */
    public void exitCall() {
        calls.pop();
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
