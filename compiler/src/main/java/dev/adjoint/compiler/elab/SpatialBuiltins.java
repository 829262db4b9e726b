package dev.adjoint.compiler.elab;

import dev.adjoint.compiler.diag.Span;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ops.AvgPool2dOp;
import dev.adjoint.compiler.ops.Conv2dOp;
import dev.adjoint.compiler.ops.InputOp;
import dev.adjoint.compiler.ops.MaxPool2dOp;
import dev.adjoint.compiler.ops.Pair;
import dev.adjoint.compiler.ops.TakeOp;
import java.util.List;

/**
 * The convolution, pooling and gather built-ins of LANGUAGE.md ({@code conv2d}, {@code max_pool2d},
 * {@code avg_pool2d}, {@code take}): their arguments, read and range-checked where they are written; the shape
 * rules are the ops'.
 */
final class SpatialBuiltins {
    private SpatialBuiltins() {
    }

    /** {@code conv2d(x, w, stride=1, padding=0, dilation=1)}. */
    static Value conv2d(ExprEvaluator ev, CallArgs c) {
        CallArgs.Arg[] a = c.bind(ev.diagnostics(), 2, "x", "w", "stride", "padding", "dilation");
        if (a == null) {
            return Value.ERROR;
        }
        ArgReader r = new ArgReader(ev, c);
        Node x = r.tensor(a[0], "x", null);
        Node w = r.tensor(a[1], "w", null);
        Pair stride = pair(ev, c, a[2], "stride", 1, 1);
        Pair padding = pair(ev, c, a[3], "padding", 0, 0);
        Pair dilation = pair(ev, c, a[4], "dilation", 1, 1);
        if (r.failed() || stride == null || padding == null || dilation == null) {
            return Value.ERROR;
        }
        return ev.apply(new Conv2dOp(stride, padding, dilation), c.callSpan, ExprEvaluator.spans(a), x, w);
    }

    /** {@code max_pool2d(x, size, stride=size, padding=0)} and {@code avg_pool2d(...)}. */
    static Value pool(ExprEvaluator ev, CallArgs c, boolean max) {
        CallArgs.Arg[] a = c.bind(ev.diagnostics(), 2, "x", "size", "stride", "padding");
        if (a == null) {
            return Value.ERROR;
        }
        ArgReader r = new ArgReader(ev, c);
        Node x = r.tensor(a[0], "x", null);
        Pair size = pair(ev, c, a[1], "size", 1, 1);
        Pair stride = size == null || a[2] == null ? size : pair(ev, c, a[2], "stride", 1, 1);
        Pair padding = pair(ev, c, a[3], "padding", 0, 0);
        if (r.failed() || size == null || stride == null || padding == null) {
            return Value.ERROR;
        }
        if (2 * padding.h() > size.h() || 2 * padding.w() > size.w()) {
            ev.diagnostics().error(a[3].span(), c.fn + ": padding " + padding + " is more than half the window size "
                    + size + ": a window could lie wholly in the padding");
            return Value.ERROR;
        }
        return ev.apply(max ? new MaxPool2dOp(size, stride, padding) : new AvgPool2dOp(size, stride, padding),
                c.callSpan, ExprEvaluator.spans(a), x);
    }

    /** {@code take(table, indices)}. */
    static Value take(ExprEvaluator ev, CallArgs c) {
        CallArgs.Arg[] a = c.bind(ev.diagnostics(), 2, "table", "indices");
        if (a == null) {
            return Value.ERROR;
        }
        ArgReader r = new ArgReader(ev, c);
        Node table = r.tensor(a[0], "table", null);
        Node indices = r.tensor(a[1], "indices", null);
        if (r.failed()) {
            return Value.ERROR;
        }
        return ev.apply(new TakeOp(written(indices, a[1].span())), c.callSpan, ExprEvaluator.spans(a), table,
                indices);
    }

    /** How the run-time error of an index out of range names the indices: an input's name, else the argument's text. */
    private static String written(Node indices, Span span) {
        if (indices.op() instanceof InputOp in) {
            return in.name();
        }
        String text = span.file().text().substring(span.start(), span.end()).replaceAll("\\s+", " ");
        return text.length() <= 40 ? text : text.substring(0, 37) + "...";
    }

    /**
     * An int (both axes) or a pair {@code [h, w]} of ints, each at least {@code min}; {@code absent} when not
     * given. Null after reporting an error at the argument.
     */
    private static Pair pair(ExprEvaluator ev, CallArgs c, CallArgs.Arg a, String param, int absent, int min) {
        if (a == null) {
            return Pair.of(absent);
        }
        Long h = null;
        Long w = null;
        if (a.value() instanceof Value.Num n && n.integral()) {
            h = n.asLong();
            w = h;
        } else if (a.value() instanceof Value.ListV l && l.items().size() == 2
                && l.items().get(0) instanceof Value.Num n0 && n0.integral()
                && l.items().get(1) instanceof Value.Num n1 && n1.integral()) {
            h = n0.asLong();
            w = n1.asLong();
        }
        if (h == null) {
            ev.diagnostics().error(a.span(), c.fn + ": argument '" + param + "' must be a compile-time integer or a"
                    + " pair of them [h, w], got " + describeValue(a.value()));
            return null;
        }
        long limit = 1 << 20;
        if (h < min || w < min || h > limit || w > limit) {
            String got = h.equals(w) ? h.toString() : List.of(h, w).toString();
            ev.diagnostics().error(a.span(), c.fn + ": " + param + " must be " + (h > limit || w > limit
                    ? "at most " + limit : "at least " + min) + ", got " + got);
            return null;
        }
        return new Pair(h.intValue(), w.intValue());
    }

    private static String describeValue(Value v) {
        if (v instanceof Value.ListV l) {
            return "a list of " + l.items().size() + (l.items().size() == 1 ? " item" : " items");
        }
        return Value.describe(v);
    }
}
