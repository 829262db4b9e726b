package dev.adjoint.compiler.elab;

import dev.adjoint.compiler.diag.Span;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ops.ArangeOp;
import dev.adjoint.compiler.ops.BroadcastOp;
import dev.adjoint.compiler.ops.CastOp;
import dev.adjoint.compiler.ops.CompareFn;
import dev.adjoint.compiler.ops.CompareOp;
import dev.adjoint.compiler.ops.ReshapeOp;
import java.util.ArrayList;
import java.util.List;

/**
 * The constructors of LANGUAGE.md: {@code zeros}, {@code ones}, {@code full}, {@code eye} and {@code arange}, whose
 * sizes may be integers, {@code const}s and {@code dim}s. A filled tensor is a scalar constant broadcast to the
 * shape (read by index, never stored, where the plan can); {@code eye(n)} is {@code arange(n)} compared with itself
 * as a column. None of them carries a gradient. A {@code dim} in a size must be bound by some input, which the
 * model checks when it is complete ({@link ExprEvaluator#constructedDims}).
 */
final class Constructors {

    private Constructors() {
    }

    /** {@code zeros(shape, dtype=f32)} and {@code ones(...)}: {@code value} everywhere. */
    static Value filled(ExprEvaluator ev, CallArgs c, double value) {
        CallArgs.Arg[] a = c.bind(ev.diagnostics(), 1, "shape", "dtype");
        if (a == null) {
            return Value.ERROR;
        }
        ArgReader r = new ArgReader(ev, c);
        DType dtype = r.dtype(a[1], "dtype", ev.typeWord("f32"));
        List<Dim> shape = sizes(ev, c, a[0]);
        return r.failed() || shape == null ? Value.ERROR : fill(ev, c, new Value.Num(value, true), shape, dtype);
    }

    /** {@code full(shape, value, dtype=f32)}. */
    static Value full(ExprEvaluator ev, CallArgs c) {
        CallArgs.Arg[] a = c.bind(ev.diagnostics(), 2, "shape", "value", "dtype");
        if (a == null) {
            return Value.ERROR;
        }
        ArgReader r = new ArgReader(ev, c);
        DType dtype = r.dtype(a[2], "dtype", ev.typeWord("f32"));
        List<Dim> shape = sizes(ev, c, a[0]);
        if (!(a[1].value() instanceof Value.Num v)) {
            ev.diagnostics().error(a[1].span(), "full: argument 'value' must be a compile-time number, got "
                    + Value.describe(a[1].value()) + "; to fill with a computed scalar s, write s * ones([...])");
            return Value.ERROR;
        }
        if (r.failed() || shape == null) {
            return Value.ERROR;
        }
        if (dtype == DType.I32 && !v.integral()) {
            ev.diagnostics().error(a[1].span(), "full: the value " + v.text() + " is not an integer, but dtype is i32");
            return Value.ERROR;
        }
        return fill(ev, c, v, shape, dtype);
    }

    private static Value fill(ExprEvaluator ev, CallArgs c, Value.Num value, List<Dim> shape, DType dtype) {
        Node scalar = ev.constant(value, dtype, c.callSpan);
        if (scalar == null) {
            return Value.ERROR;
        }
        return shape.isEmpty() ? new Value.Tensor(scalar)
                : ev.apply(new BroadcastOp(new Shape(shape)), c.callSpan, List.of(), scalar);
    }

    /** {@code eye(n, dtype=f32)}: the {@code [n, n]} identity matrix. */
    static Value eye(ExprEvaluator ev, CallArgs c) {
        CallArgs.Arg[] a = c.bind(ev.diagnostics(), 1, "n", "dtype");
        if (a == null) {
            return Value.ERROR;
        }
        ArgReader r = new ArgReader(ev, c);
        DType dtype = r.dtype(a[1], "dtype", ev.typeWord("f32"));
        Dim n = size(ev, c, a[0], "n");
        if (r.failed() || n == null) {
            return Value.ERROR;
        }
        Value index = ev.apply(new ArangeOp(n, DType.I32), c.callSpan, List.of());
        if (!(index instanceof Value.Tensor i)) {
            return Value.ERROR;
        }
        Value column = ev.apply(new ReshapeOp(Shape.of(n, Dim.of(1))), c.callSpan, List.of(), i.node());
        if (!(column instanceof Value.Tensor col)) {
            return Value.ERROR;
        }
        Value diagonal = ev.apply(new CompareOp(CompareFn.EQ), c.callSpan, List.of(), col.node(), i.node());
        if (!(diagonal instanceof Value.Tensor d)) {
            return Value.ERROR;
        }
        return ev.apply(new CastOp(dtype), c.callSpan, List.of(), d.node());
    }

    /** {@code arange(n, dtype=i32)}: {@code 0, 1, ..., n-1}. */
    static Value arange(ExprEvaluator ev, CallArgs c) {
        CallArgs.Arg[] a = c.bind(ev.diagnostics(), 1, "n", "dtype");
        if (a == null) {
            return Value.ERROR;
        }
        ArgReader r = new ArgReader(ev, c);
        DType dtype = r.dtype(a[1], "dtype", DType.I32);
        Dim n = size(ev, c, a[0], "n");
        return r.failed() || n == null ? Value.ERROR : ev.apply(new ArangeOp(n, dtype), c.callSpan, List.of());
    }

    /** A shape: a list of sizes ({@code [B, 3]}, {@code []} for a scalar), or one size for a vector. */
    private static List<Dim> sizes(ExprEvaluator ev, CallArgs c, CallArgs.Arg a) {
        List<Value> items = a.value() instanceof Value.ListV l ? l.items() : List.of(a.value());
        List<Dim> dims = new ArrayList<>();
        for (Value v : items) {
            Dim d = dim(v);
            if (d == null) {
                if (!(v instanceof Value.Err)) {
                    ev.diagnostics().error(a.span(), c.fn + ": each size of the shape must be a positive integer, a"
                            + " const or a dim (as in [B, 3]); got " + Value.describe(v));
                }
                return null;
            }
            dims.add(d);
        }
        ev.constructedDims(dims, c.callSpan);
        return dims;
    }

    private static Dim size(ExprEvaluator ev, CallArgs c, CallArgs.Arg a, String param) {
        Dim d = dim(a.value());
        if (d == null) {
            if (!(a.value() instanceof Value.Err)) {
                ev.diagnostics().error(a.span(), c.fn + ": argument '" + param + "' must be a positive integer, a const"
                        + " or a dim, got " + Value.describe(a.value()));
            }
            return null;
        }
        ev.constructedDims(List.of(d), c.callSpan);
        return d;
    }

    /** A size as a dimension, or null: a positive integer number, or a dim (a product of dims). */
    private static Dim dim(Value v) {
        if (v instanceof Value.Num n && n.integral() && n.value() >= 1 && n.value() <= Integer.MAX_VALUE) {
            return Dim.of(n.asLong());
        }
        return v instanceof Value.DimV d ? d.dim() : null;
    }

    /** Where a dim of a constructed shape was written (the model checks that an input binds it). */
    record Use(Dim dim, Span span) {
    }
}
