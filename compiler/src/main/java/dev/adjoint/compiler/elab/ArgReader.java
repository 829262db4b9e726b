package dev.adjoint.compiler.elab;

import dev.adjoint.compiler.diag.Diagnostics;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.ShapeException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads typed builtin arguments, reporting "wrong type of argument" errors that name the function, the
 * parameter, what was expected and what was given. After any error {@link #failed()} is true.
 */
final class ArgReader {
    private final ExprEvaluator ev;
    private final Diagnostics diagnostics;
    private final String fn;
    private final dev.adjoint.compiler.diag.Span callSpan;
    private boolean failed;

    ArgReader(ExprEvaluator ev, CallArgs call) {
        this.ev = ev;
        this.diagnostics = ev.diagnostics();
        this.fn = call.fn;
        this.callSpan = call.callSpan;
    }

    boolean failed() {
        return failed;
    }

    private <T> T fail(CallArgs.Arg a, String param, String expected) {
        diagnostics.error(a.span(), fn + ": argument '" + param + "' must be " + expected + ", got "
                + Value.describe(a.value()));
        failed = true;
        return null;
    }

    /** A tensor; a number becomes a constant of {@code like} (when given). */
    Node tensor(CallArgs.Arg a, String param, DType like) {
        if (a.value() instanceof Value.Tensor t) {
            return t.node();
        }
        if (a.value() instanceof Value.Num n && like != null) {
            Node c = ev.constant(n, like, a.span());
            failed |= c == null;
            return c;
        }
        return fail(a, param, "a tensor");
    }

    long integer(CallArgs.Arg a, String param, long absent) {
        if (a == null) {
            return absent;
        }
        if (a.value() instanceof Value.Num n && n.integral()) {
            return n.asLong();
        }
        fail(a, param, "a compile-time integer");
        return absent;
    }

    double number(CallArgs.Arg a, String param, double absent) {
        if (a == null) {
            return absent;
        }
        if (a.value() instanceof Value.Num n) {
            return n.value();
        }
        fail(a, param, "a compile-time number");
        return absent;
    }

    boolean bool(CallArgs.Arg a, String param, boolean absent) {
        if (a == null) {
            return absent;
        }
        if (a.value() instanceof Value.Bool b) {
            return b.value();
        }
        fail(a, param, "true or false");
        return absent;
    }

    DType dtype(CallArgs.Arg a, String param, DType absent) {
        if (a == null) {
            return absent;
        }
        if (a.value() instanceof Value.TypeV t) {
            return t.dtype();
        }
        fail(a, param, "an element type (f32, f64 or i32)");
        return absent;
    }

    /** An axis list: an integer or a list of integers (possibly negative); null when absent. */
    List<Long> axes(CallArgs.Arg a, String param) {
        if (a == null) {
            return null;
        }
        if (a.value() instanceof Value.Num n && n.integral()) {
            return List.of(n.asLong());
        }
        if (a.value() instanceof Value.ListV l) {
            List<Long> out = new ArrayList<>();
            for (Value v : l.items()) {
                if (!(v instanceof Value.Num n) || !n.integral()) {
                    return fail(a, param, "an integer or a list of integers");
                }
                out.add(n.asLong());
            }
            return out;
        }
        return fail(a, param, "an integer or a list of integers");
    }

    /** A list of values of any kind (for shapes and concat). */
    List<Value> list(CallArgs.Arg a, String param, String expected) {
        if (a.value() instanceof Value.ListV l) {
            return l.items();
        }
        return fail(a, param, expected);
    }

    /** Normalizes one axis of {@code shape}; reports an out-of-range axis at the argument. */
    int axis(CallArgs.Arg a, Shape shape, long axis) {
        try {
            return shape.normalizeAxis(fn, axis);
        } catch (ShapeException e) {
            diagnostics.error(a == null ? callSpan : a.span(), e.getMessage());
            failed = true;
            return 0;
        }
    }
}
