package dev.adjoint.compiler.elab;

import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ops.BatchNormOp;
import dev.adjoint.compiler.ops.BinaryFn;
import dev.adjoint.compiler.ops.BinaryOp;
import dev.adjoint.compiler.ops.CastOp;
import dev.adjoint.compiler.ops.ClampOp;
import dev.adjoint.compiler.ops.ConcatOp;
import dev.adjoint.compiler.ops.CrossEntropyOp;
import dev.adjoint.compiler.ops.DropoutOp;
import dev.adjoint.compiler.ops.LayerNormOp;
import dev.adjoint.compiler.ops.LeakyReluOp;
import dev.adjoint.compiler.ops.LogSoftmaxOp;
import dev.adjoint.compiler.ops.OneHotOp;
import dev.adjoint.compiler.ops.ParamOp;
import dev.adjoint.compiler.ops.ReduceFn;
import dev.adjoint.compiler.ops.ReduceOp;
import dev.adjoint.compiler.ops.ReshapeOp;
import dev.adjoint.compiler.ops.SoftmaxOp;
import dev.adjoint.compiler.ops.StopGradientOp;
import dev.adjoint.compiler.ops.TransposeOp;
import dev.adjoint.compiler.ops.UnaryFn;
import dev.adjoint.compiler.ops.UnaryOp;
import dev.adjoint.compiler.ops.WhereOp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The built-in functions of LANGUAGE.md: argument binding and checking, then the op(s) each one builds.
 * Shape rules live with the ops ({@code ir.ops}); composites ({@code mse}) are expanded here.
 */
final class Builtins {
    /** One built-in function. */
    interface Builtin {
        Value call(ExprEvaluator ev, CallArgs args);
    }

    private static final Map<String, Builtin> TABLE = new TreeMap<>();

    static {
        for (UnaryFn fn : UnaryFn.values()) {
            if (fn != UnaryFn.NEG && fn != UnaryFn.SIGN) {
                TABLE.put(fn.text(), (ev, c) -> unary(ev, c, fn));
            }
        }
        TABLE.put("leaky_relu", Builtins::leakyRelu);
        TABLE.put("pow", (ev, c) -> binary(ev, c, "^", "x", "y"));
        TABLE.put("max", (ev, c) -> minMax(ev, c, BinaryFn.MAX, ReduceFn.MAX));
        TABLE.put("min", (ev, c) -> minMax(ev, c, BinaryFn.MIN, ReduceFn.MIN));
        TABLE.put("where", Builtins::where);
        TABLE.put("clamp", Builtins::clamp);
        TABLE.put("cast", Builtins::cast);
        TABLE.put("sum", (ev, c) -> reduce(ev, c, ReduceFn.SUM));
        TABLE.put("mean", (ev, c) -> reduce(ev, c, ReduceFn.MEAN));
        TABLE.put("logsumexp", (ev, c) -> reduce(ev, c, ReduceFn.LOGSUMEXP));
        // more reductions, stop_gradient and the constructors (issue 14)
        TABLE.put("prod", (ev, c) -> reduce(ev, c, ReduceFn.PROD));
        TABLE.put("var", (ev, c) -> ReductionBuiltins.variance(ev, c, false));
        TABLE.put("std", (ev, c) -> ReductionBuiltins.variance(ev, c, true));
        TABLE.put("argmax", ReductionBuiltins::argmax);
        TABLE.put("stop_gradient", Builtins::stopGradient);
        TABLE.put("zeros", (ev, c) -> Constructors.filled(ev, c, 0));
        TABLE.put("ones", (ev, c) -> Constructors.filled(ev, c, 1));
        TABLE.put("full", Constructors::full);
        TABLE.put("eye", Constructors::eye);
        TABLE.put("arange", Constructors::arange);
        TABLE.put("reshape", Builtins::reshape);
        TABLE.put("transpose", Builtins::transpose);
        TABLE.put("concat", Builtins::concat);
        TABLE.put("one_hot", Builtins::oneHot);
        TABLE.put("softmax", (ev, c) -> softmaxLike(ev, c, false));
        TABLE.put("log_softmax", (ev, c) -> softmaxLike(ev, c, true));
        TABLE.put("cross_entropy", Builtins::crossEntropy);
        TABLE.put("mse", Builtins::mse);
        TABLE.put("layer_norm", Builtins::layerNorm);
        TABLE.put("batch_norm", Builtins::batchNorm);
        TABLE.put("dropout", Builtins::dropout);
        // convolution, pooling and gather: SpatialBuiltins
        TABLE.put("conv2d", SpatialBuiltins::conv2d);
        TABLE.put("max_pool2d", (ev, c) -> SpatialBuiltins.pool(ev, c, true));
        TABLE.put("avg_pool2d", (ev, c) -> SpatialBuiltins.pool(ev, c, false));
        TABLE.put("take", SpatialBuiltins::take);
    }

    private Builtins() {
    }

    static Builtin lookup(String name) {
        return TABLE.get(name);
    }

    static Set<String> names() {
        return TABLE.keySet();
    }

    private static Value unary(ExprEvaluator ev, CallArgs c, UnaryFn fn) {
        CallArgs.Arg[] a = c.bind(ev.diagnostics(), 1, "x");
        if (a == null) {
            return Value.ERROR;
        }
        if (a[0].value() instanceof Value.Num n) {
            // A whole result is an integer: sqrt(4.0) can be a dimension, as LANGUAGE.md promises.
            return Value.Num.of(fn.apply(n.value()), true);
        }
        ArgReader r = new ArgReader(ev, c);
        Node x = r.tensor(a[0], "x", null);
        return r.failed() ? Value.ERROR : ev.apply(new UnaryOp(fn), c.callSpan, ExprEvaluator.spans(a), x);
    }

    private static Value leakyRelu(ExprEvaluator ev, CallArgs c) {
        CallArgs.Arg[] a = c.bind(ev.diagnostics(), 1, "x", "alpha");
        if (a == null) {
            return Value.ERROR;
        }
        ArgReader r = new ArgReader(ev, c);
        Node x = r.tensor(a[0], "x", null);
        double alpha = r.number(a[1], "alpha", 0.01);
        return r.failed() ? Value.ERROR : ev.apply(new LeakyReluOp(alpha), c.callSpan, ExprEvaluator.spans(a), x);
    }

    /** A two-argument elementwise function written as its operator ({@code pow(x, y)} is {@code x ^ y}). */
    private static Value binary(ExprEvaluator ev, CallArgs c, String op, String p0, String p1) {
        CallArgs.Arg[] a = c.bind(ev.diagnostics(), 2, p0, p1);
        if (a == null) {
            return Value.ERROR;
        }
        return ev.binary(op, c.callSpan, c.callSpan, a[0].value(), a[0].span(), a[1].value(), a[1].span());
    }

    /**
     * {@code max(x, axis=..., keepdims=...)} with one tensor reduces; {@code max(a, b)} is elementwise. The same for
     * {@code min}.
     */
    private static Value minMax(ExprEvaluator ev, CallArgs c, BinaryFn elementwise, ReduceFn reduction) {
        if (c.positional.size() >= 2 || c.keywords.containsKey("b")) {
            return elementwiseMinMax(ev, c, elementwise);
        }
        return reduce(ev, c, reduction);
    }

    /** {@code stop_gradient(x)}: the value of {@code x}, with no gradient through it. */
    private static Value stopGradient(ExprEvaluator ev, CallArgs c) {
        CallArgs.Arg[] a = c.bind(ev.diagnostics(), 1, "x");
        if (a == null) {
            return Value.ERROR;
        }
        if (a[0].value() instanceof Value.Num n) {
            return n;                                           // a number has no gradient anyway
        }
        ArgReader r = new ArgReader(ev, c);
        Node x = r.tensor(a[0], "x", null);
        return r.failed() ? Value.ERROR : ev.apply(new StopGradientOp(), c.callSpan, ExprEvaluator.spans(a), x);
    }

    private static Value elementwiseMinMax(ExprEvaluator ev, CallArgs c, BinaryFn fn) {
        CallArgs.Arg[] a = c.bind(ev.diagnostics(), 2, "a", "b");
        if (a == null) {
            return Value.ERROR;
        }
        if (a[0].value() instanceof Value.Num x && a[1].value() instanceof Value.Num y) {
            double v = fn == BinaryFn.MAX ? Math.max(x.value(), y.value()) : Math.min(x.value(), y.value());
            return Value.Num.of(v, x.integral() && y.integral());
        }
        DType like = likeOf(a[0], a[1]);
        ArgReader r = new ArgReader(ev, c);
        Node x = r.tensor(a[0], "a", like);
        Node y = r.tensor(a[1], "b", like);
        return r.failed() ? Value.ERROR : ev.apply(new BinaryOp(fn), c.callSpan, ExprEvaluator.spans(a), x, y);
    }

    private static DType likeOf(CallArgs.Arg... args) {
        for (CallArgs.Arg a : args) {
            if (a != null && a.value() instanceof Value.Tensor t && t.node().dtype() != DType.BOOL) {
                return t.node().dtype();
            }
        }
        return null;
    }

    /** {@code clamp(x, lo, hi)}: a bound may be a number or a tensor, and one of them may be left out. */
    private static Value clamp(ExprEvaluator ev, CallArgs c) {
        CallArgs.Arg[] a = c.bind(ev.diagnostics(), 1, "x", "lo", "hi");
        if (a == null) {
            return Value.ERROR;
        }
        if (a[1] == null && a[2] == null) {
            ev.diagnostics().error(c.callSpan, "clamp: give a lower bound lo, an upper bound hi, or both");
            return Value.ERROR;
        }
        ArgReader r = new ArgReader(ev, c);
        Node x = r.tensor(a[0], "x", null);
        if (x == null) {
            return Value.ERROR;
        }
        Value.Num below = new Value.Num(Double.NEGATIVE_INFINITY, false);
        Value.Num above = new Value.Num(Double.POSITIVE_INFINITY, false);
        Node lo = a[1] == null ? ev.constant(below, x.dtype(), c.callSpan) : r.tensor(a[1], "lo", x.dtype());
        Node hi = a[2] == null ? ev.constant(above, x.dtype(), c.callSpan) : r.tensor(a[2], "hi", x.dtype());
        return r.failed() ? Value.ERROR
                : ev.apply(new ClampOp(), c.callSpan, ExprEvaluator.spans(a), x, lo, hi);
    }

    private static Value where(ExprEvaluator ev, CallArgs c) {
        CallArgs.Arg[] a = c.bind(ev.diagnostics(), 3, "mask", "a", "b");
        if (a == null) {
            return Value.ERROR;
        }
        ArgReader r = new ArgReader(ev, c);
        Node mask = r.tensor(a[0], "mask", null);
        DType like = likeOf(a[1], a[2]);
        if (like == null && mask != null && mask.dtype() == DType.BOOL && !mask.inputs().isEmpty()) {
            // where(x > 0, 1.0, 0.0): two numbers take the compared tensor's type if it is a float type;
            // against i32 labels they stay i32 only when both are written as integers, else f32 (like NumPy).
            DType compared = mask.input(0).dtype();
            boolean integers = a[1].value() instanceof Value.Num n1 && n1.integral()
                    && a[2].value() instanceof Value.Num n2 && n2.integral();
            like = compared.isFloat() || (compared == DType.I32 && integers) ? compared : ev.typeWord("f32");
        }
        Node x = r.tensor(a[1], "a", like);
        Node y = r.tensor(a[2], "b", like);
        return r.failed() ? Value.ERROR : ev.apply(new WhereOp(), c.callSpan, ExprEvaluator.spans(a), mask, x, y);
    }

    private static Value cast(ExprEvaluator ev, CallArgs c) {
        CallArgs.Arg[] a = c.bind(ev.diagnostics(), 2, "x", "type");
        if (a == null) {
            return Value.ERROR;
        }
        ArgReader r = new ArgReader(ev, c);
        DType to = r.dtype(a[1], "type", null);
        Node x = r.tensor(a[0], "x", to);
        if (r.failed()) {
            return Value.ERROR;
        }
        return x.dtype() == to ? new Value.Tensor(x) : ev.apply(new CastOp(to), c.callSpan, ExprEvaluator.spans(a), x);
    }

    private static Value reduce(ExprEvaluator ev, CallArgs c, ReduceFn fn) {
        CallArgs.Arg[] a = c.bind(ev.diagnostics(), 1, "x", "axis", "keepdims");
        if (a == null) {
            return Value.ERROR;
        }
        ArgReader r = new ArgReader(ev, c);
        Node x = r.tensor(a[0], "x", null);
        List<Long> axes = r.axes(a[1], "axis");
        boolean keepdims = r.bool(a[2], "keepdims", false);
        if (r.failed()) {
            return Value.ERROR;
        }
        ReduceOp op;
        try {
            op = ReduceOp.of(fn, x.shape(), axes, keepdims);
        } catch (ShapeException e) {
            ev.diagnostics().error(a[1] != null ? a[1].span() : c.callSpan, e.getMessage());
            return Value.ERROR;
        }
        return ev.apply(op, c.callSpan, ExprEvaluator.spans(a), x);
    }

    private static Value reshape(ExprEvaluator ev, CallArgs c) {
        CallArgs.Arg[] a = c.bind(ev.diagnostics(), 2, "x", "shape");
        if (a == null) {
            return Value.ERROR;
        }
        ArgReader r = new ArgReader(ev, c);
        Node x = r.tensor(a[0], "x", null);
        List<Value> items = r.list(a[1], "shape", "a list of dimensions such as [B, -1]");
        if (r.failed()) {
            return Value.ERROR;
        }
        List<Dim> dims = new ArrayList<>();
        int inferred = -1;
        for (int i = 0; i < items.size(); i++) {
            Value v = items.get(i);
            if (v instanceof Value.Num n && n.integral() && n.value() == -1 && inferred < 0) {
                inferred = i;
                dims.add(Dim.of(1));
            } else if (v instanceof Value.Num n && n.integral() && n.value() >= 1) {
                dims.add(Dim.of(n.asLong()));
            } else if (v instanceof Value.DimV d) {
                dims.add(d.dim());
            } else {
                String why = v instanceof Value.Num n && n.value() == -1
                        ? "only one -1 is allowed" : "got " + Value.describe(v);
                ev.diagnostics().error(a[1].span(), "reshape: each dimension must be a positive integer, a dim,"
                        + " or one -1 (inferred); " + why);
                return Value.ERROR;
            }
        }
        try {
            Shape to = ReshapeOp.resolve(x.shape(), dims, inferred);
            return ev.apply(new ReshapeOp(to), c.callSpan, ExprEvaluator.spans(a), x);
        } catch (ShapeException e) {
            ev.diagnostics().error(c.callSpan, e.getMessage());
            return Value.ERROR;
        }
    }

    private static Value transpose(ExprEvaluator ev, CallArgs c) {
        CallArgs.Arg[] a = c.bind(ev.diagnostics(), 1, "x", "perm");
        if (a == null) {
            return Value.ERROR;
        }
        ArgReader r = new ArgReader(ev, c);
        Node x = r.tensor(a[0], "x", null);
        List<Long> perm = r.axes(a[1], "perm");
        if (r.failed()) {
            return Value.ERROR;
        }
        List<Integer> p = new ArrayList<>();
        if (perm == null) {
            for (int i = x.shape().rank() - 1; i >= 0; i--) {
                p.add(i); // like NumPy: no permutation reverses the axes
            }
        } else {
            for (long axis : perm) {
                int n = r.axis(a[1], x.shape(), axis);
                p.add(n);
            }
            if (r.failed()) {
                return Value.ERROR;
            }
        }
        return ev.apply(new TransposeOp(p), c.callSpan, ExprEvaluator.spans(a), x);
    }

    private static Value concat(ExprEvaluator ev, CallArgs c) {
        CallArgs.Arg[] a = c.bind(ev.diagnostics(), 1, "tensors", "axis");
        if (a == null) {
            return Value.ERROR;
        }
        ArgReader r = new ArgReader(ev, c);
        List<Value> items = r.list(a[0], "tensors", "a list of tensors such as [a, b]");
        long axis = r.integer(a[1], "axis", 0);
        if (r.failed()) {
            return Value.ERROR;
        }
        if (items.isEmpty()) {
            ev.diagnostics().error(a[0].span(), "concat: needs at least one tensor");
            return Value.ERROR;
        }
        Node[] nodes = new Node[items.size()];
        for (int i = 0; i < nodes.length; i++) {
            if (items.get(i) instanceof Value.Err) {
                return Value.ERROR;
            }
            if (!(items.get(i) instanceof Value.Tensor t)) {
                ev.diagnostics().error(a[0].span(), "concat: element " + i + " of the list must be a tensor, got "
                        + Value.describe(items.get(i)));
                return Value.ERROR;
            }
            nodes[i] = t.node();
        }
        int ax = r.axis(a[1], nodes[0].shape(), axis);
        if (r.failed()) {
            return Value.ERROR;
        }
        return ev.apply(new ConcatOp(ax), c.callSpan, List.of(), nodes);
    }

    private static Value oneHot(ExprEvaluator ev, CallArgs c) {
        CallArgs.Arg[] a = c.bind(ev.diagnostics(), 2, "labels", "n", "dtype");
        if (a == null) {
            return Value.ERROR;
        }
        ArgReader r = new ArgReader(ev, c);
        Node labels = r.tensor(a[0], "labels", null);
        long n = r.integer(a[1], "n", 1);
        DType dtype = r.dtype(a[2], "dtype", ev.typeWord("f32")); // f64 in a model's f64 twin
        if (!r.failed() && (n < 1 || n > Integer.MAX_VALUE)) {
            ev.diagnostics().error(a[1].span(), "one_hot: the class count n must be between 1 and "
                    + Integer.MAX_VALUE + ", got " + n);
            return Value.ERROR;
        }
        return r.failed() ? Value.ERROR
                : ev.apply(new OneHotOp((int) n, dtype), c.callSpan, ExprEvaluator.spans(a), labels);
    }

    private static Value softmaxLike(ExprEvaluator ev, CallArgs c, boolean log) {
        CallArgs.Arg[] a = c.bind(ev.diagnostics(), 1, "x", "axis");
        if (a == null) {
            return Value.ERROR;
        }
        ArgReader r = new ArgReader(ev, c);
        Node x = r.tensor(a[0], "x", null);
        long axis = r.integer(a[1], "axis", -1);
        if (r.failed()) {
            return Value.ERROR;
        }
        int ax = r.axis(a[1], x.shape(), axis);
        if (r.failed()) {
            return Value.ERROR;
        }
        return ev.apply(log ? new LogSoftmaxOp(ax) : new SoftmaxOp(ax), c.callSpan, ExprEvaluator.spans(a), x);
    }

    private static Value crossEntropy(ExprEvaluator ev, CallArgs c) {
        CallArgs.Arg[] a = c.bind(ev.diagnostics(), 2, "logits", "labels");
        if (a == null) {
            return Value.ERROR;
        }
        ArgReader r = new ArgReader(ev, c);
        Node logits = r.tensor(a[0], "logits", null);
        Node labels = r.tensor(a[1], "labels", null);
        return r.failed() ? Value.ERROR
                : ev.apply(new CrossEntropyOp(), c.callSpan, ExprEvaluator.spans(a), logits, labels);
    }

    /** {@code mse(a, b) = mean((a - b)^2)}; the shapes must match exactly (no silent broadcasting). */
    private static Value mse(ExprEvaluator ev, CallArgs c) {
        CallArgs.Arg[] a = c.bind(ev.diagnostics(), 2, "a", "b");
        if (a == null) {
            return Value.ERROR;
        }
        DType like = likeOf(a[0], a[1]);
        ArgReader r = new ArgReader(ev, c);
        Node x = r.tensor(a[0], "a", like);
        Node y = r.tensor(a[1], "b", like);
        if (r.failed()) {
            return Value.ERROR;
        }
        boolean scalarOperand = x.shape().isScalar() || y.shape().isScalar();
        if (!scalarOperand && !x.shape().equals(y.shape())) {
            ev.diagnostics().error(c.callSpan, "mse: shapes " + x.shape() + " and " + y.shape() + " differ;"
                    + " mse compares elementwise and does not broadcast (reshape one side to match)");
            return Value.ERROR;
        }
        Value diff = ev.apply(new BinaryOp(BinaryFn.SUB), c.callSpan, ExprEvaluator.spans(a), x, y);
        if (!(diff instanceof Value.Tensor d)) {
            return Value.ERROR;
        }
        Value sq = ev.apply(new UnaryOp(UnaryFn.SQUARE), c.callSpan, List.of(), d.node());
        if (!(sq instanceof Value.Tensor s)) {
            return Value.ERROR;
        }
        return ev.apply(ReduceOp.of(ReduceFn.MEAN, s.node().shape(), null, false), c.callSpan, List.of(), s.node());
    }

    private static Value layerNorm(ExprEvaluator ev, CallArgs c) {
        CallArgs.Arg[] a = c.bind(ev.diagnostics(), 3, "x", "gamma", "beta", "axis", "eps");
        if (a == null) {
            return Value.ERROR;
        }
        ArgReader r = new ArgReader(ev, c);
        Node x = r.tensor(a[0], "x", null);
        Node gamma = r.tensor(a[1], "gamma", null);
        Node beta = r.tensor(a[2], "beta", null);
        long axis = r.integer(a[3], "axis", -1);
        double eps = r.number(a[4], "eps", 1e-5);
        if (r.failed()) {
            return Value.ERROR;
        }
        int ax = r.axis(a[3], x.shape(), axis);
        return r.failed() ? Value.ERROR
                : ev.apply(new LayerNormOp(ax, eps), c.callSpan, ExprEvaluator.spans(a), x, gamma, beta);
    }

    private static Value batchNorm(ExprEvaluator ev, CallArgs c) {
        CallArgs.Arg[] a = c.bind(ev.diagnostics(), 3, "x", "gamma", "beta", "eps");
        if (a == null) {
            return Value.ERROR;
        }
        ArgReader r = new ArgReader(ev, c);
        Node x = r.tensor(a[0], "x", null);
        Node gamma = r.tensor(a[1], "gamma", null);
        Node beta = r.tensor(a[2], "beta", null);
        double eps = r.number(a[3], "eps", 1e-5);
        if (r.failed()) {
            return Value.ERROR;
        }
        String base = gamma.op() instanceof ParamOp p ? p.name() : BatchNormOp.DEFAULT_STATS;
        String stats = ev.batchNormStats(base, x, gamma, beta, eps);
        return ev.apply(new BatchNormOp(eps, stats), c.callSpan, ExprEvaluator.spans(a), x, gamma, beta);
    }

    /** {@code dropout(x, p=0.5)}: each call its own site, so its own masks. */
    private static Value dropout(ExprEvaluator ev, CallArgs c) {
        CallArgs.Arg[] a = c.bind(ev.diagnostics(), 1, "x", "p");
        if (a == null) {
            return Value.ERROR;
        }
        ArgReader r = new ArgReader(ev, c);
        Node x = r.tensor(a[0], "x", null);
        double p = r.number(a[1], "p", 0.5);
        if (r.failed()) {
            return Value.ERROR;
        }
        if (!(p >= 0 && p <= 1)) {
            String given = a[1].value() instanceof Value.Num n ? n.text() : String.valueOf(p);
            ev.diagnostics().error(a[1].span(), "dropout: p is the probability of dropping an element, so it must"
                    + " be in [0, 1], got " + given);
            return Value.ERROR;
        }
        return ev.apply(new DropoutOp(p, ev.nextDropoutSite()), c.callSpan, ExprEvaluator.spans(a), x);
    }
}
