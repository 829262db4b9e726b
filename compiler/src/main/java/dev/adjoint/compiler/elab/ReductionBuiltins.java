package dev.adjoint.compiler.elab;

import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ops.ArgmaxOp;
import dev.adjoint.compiler.ops.ReduceOp;
import dev.adjoint.compiler.ops.VarianceOp;
import java.util.List;

/** The reductions with arguments of their own: {@code var}, {@code std} (a correction) and {@code argmax}. */
final class ReductionBuiltins {

    private ReductionBuiltins() {
    }

    /** {@code var(x, axis=..., keepdims=false, correction=1)}, and {@code std} with the same arguments. */
    static Value variance(ExprEvaluator ev, CallArgs c, boolean std) {
        CallArgs.Arg[] a = c.bind(ev.diagnostics(), 1, "x", "axis", "keepdims", "correction");
        if (a == null) {
            return Value.ERROR;
        }
        ArgReader r = new ArgReader(ev, c);
        Node x = r.tensor(a[0], "x", null);
        List<Long> axes = r.axes(a[1], "axis");
        boolean keepdims = r.bool(a[2], "keepdims", false);
        double correction = r.number(a[3], "correction", 1);
        if (r.failed()) {
            return Value.ERROR;
        }
        VarianceOp op;
        try {
            op = new VarianceOp(ReduceOp.normalizeAxes(c.fn, x.shape(), axes), keepdims, correction, std);
        } catch (ShapeException e) {
            ev.diagnostics().error(a[1] != null ? a[1].span() : c.callSpan, e.getMessage());
            return Value.ERROR;
        }
        return ev.apply(op, c.callSpan, ExprEvaluator.spans(a), x);
    }

    /** {@code argmax(x, axis=-1, keepdims=false)}: one axis, an {@code i32} result. */
    static Value argmax(ExprEvaluator ev, CallArgs c) {
        CallArgs.Arg[] a = c.bind(ev.diagnostics(), 1, "x", "axis", "keepdims");
        if (a == null) {
            return Value.ERROR;
        }
        ArgReader r = new ArgReader(ev, c);
        Node x = r.tensor(a[0], "x", null);
        if (a[1] != null && a[1].value() instanceof Value.ListV) {
            ev.diagnostics().error(a[1].span(), "argmax: takes one axis (an integer), not a list; to find the largest"
                    + " of several axes, reshape them into one first");
            return Value.ERROR;
        }
        long axis = r.integer(a[1], "axis", -1);
        boolean keepdims = r.bool(a[2], "keepdims", false);
        if (r.failed()) {
            return Value.ERROR;
        }
        int ax = r.axis(a[1], x.shape(), axis);
        return r.failed() ? Value.ERROR
                : ev.apply(new ArgmaxOp(ax, keepdims), c.callSpan, ExprEvaluator.spans(a), x);
    }
}
