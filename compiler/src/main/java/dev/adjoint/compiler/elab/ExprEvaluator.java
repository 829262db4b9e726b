package dev.adjoint.compiler.elab;

import dev.adjoint.compiler.ast.Ast;
import dev.adjoint.compiler.diag.Diagnostics;
import dev.adjoint.compiler.diag.Span;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.GraphBuilder;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ir.ShapeException;
import dev.adjoint.compiler.ops.BinaryOp;
import dev.adjoint.compiler.ops.BinaryFn;
import dev.adjoint.compiler.ops.CompareOp;
import dev.adjoint.compiler.ops.CompareFn;
import dev.adjoint.compiler.ops.ConstantOp;
import dev.adjoint.compiler.ops.MatMulOp;
import dev.adjoint.compiler.ops.ReshapeOp;
import dev.adjoint.compiler.ops.SliceOp;
import dev.adjoint.compiler.ops.TransposeOp;
import dev.adjoint.compiler.ops.UnaryOp;
import dev.adjoint.compiler.ops.UnaryFn;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates expressions: compile-time arithmetic on numbers and dims, graph nodes for tensors, inlining of
 * fn calls. Every failure is reported once and yields {@link Value#ERROR}, which later steps accept silently.
 */
final class ExprEvaluator {
    /** Runs a fn's block body in its own environment (provided by the statement elaborator). */
    interface BodyRunner {
        Value statements(List<Ast.Stmt> body, Env env);
    }

    private final Diagnostics diagnostics;
    private final Map<String, Ast.FnDecl> fns;
    private final Set<String> recursive;
    private final BodyRunner runner;
    /** Read the type word f32 as f64 (an f64 twin of a model, for checking its gradient in f64). */
    private final boolean f32AsF64;
    private final GraphBuilder builder;
    private final Map<Node, Span> spans = new IdentityHashMap<>();
    private final Deque<String> callStack = new ArrayDeque<>();
    /** The running-statistics name of each batch norm (by its inputs and eps), and every name given. */
    private final Map<List<Object>, String> batchNormStats = new java.util.HashMap<>();
    private final Set<String> statsNames = new java.util.HashSet<>();
    private int dropoutSites;
    /** The dims written in the sizes of constructors ({@code zeros([B, 3])}): an input must bind each. */
    private final List<Constructors.Use> constructed = new ArrayList<>();
    /** Fn calls inlined so far in this model. */
    private long inlinedCalls;
    /** The loop iteration being unrolled now (null outside loops); node spans record it. */
    private java.util.function.Supplier<Span.Iteration> iteration = () -> null;

    ExprEvaluator(Diagnostics diagnostics, Map<String, Ast.FnDecl> fns, Set<String> recursive, int maxNodes,
            boolean f32AsF64, BodyRunner runner) {
        this.f32AsF64 = f32AsF64;
        this.diagnostics = diagnostics;
        this.fns = fns;
        this.recursive = recursive;
        this.runner = runner;
        this.builder = new GraphBuilder(maxNodes);
    }

    GraphBuilder builder() {
        return builder;
    }

    Diagnostics diagnostics() {
        return diagnostics;
    }

    Map<Node, Span> spans() {
        return spans;
    }

    /** Notes the dims of a constructor's shape, written at {@code span}. */
    void constructedDims(List<Dim> dims, Span span) {
        dims.forEach(d -> constructed.add(new Constructors.Use(d, span)));
    }

    List<Constructors.Use> constructed() {
        return constructed;
    }

    /** The element type a word names ({@code f32}, {@code f64}, {@code i32}), or null. */
    DType typeWord(String word) {
        DType t = DType.fromText(word);
        return t == DType.F32 && f32AsF64 ? DType.F64 : t;
    }

    /**
     * The name a batch norm's running statistics are saved under: {@code base} (its gamma param's name), or
     * {@code base_2}, {@code base_3}… when another batch norm of the model has it. The same call written twice (the
     * same inputs and eps) is one computation and gets one name.
     */
    String batchNormStats(String base, Node x, Node gamma, Node beta, double eps) {
        return batchNormStats.computeIfAbsent(List.of(x, gamma, beta, eps), k -> {
            String name = base;
            for (int i = 2; !statsNames.add(name); i++) {
                name = base + "_" + i;
            }
            return name;
        });
    }

    /** A new dropout site: every dropout call draws its own masks. */
    int nextDropoutSite() {
        return dropoutSites++;
    }

    Node leaf(Op op, Span span) {
        return record(builder.add(op), span);
    }

    /** Where the loop iteration being unrolled comes from (the elaborator's loops). */
    void iterations(java.util.function.Supplier<Span.Iteration> now) {
        this.iteration = now;
    }

    private Node record(Node n, Span span) {
        spans.putIfAbsent(n, span == null ? null : span.in(iteration.get()));
        return n;
    }

    /**
     * Applies an op, reporting a violated shape rule at the call (or at the argument it blames).
     * Returns the tensor or {@link Value#ERROR}.
     */
    Value apply(Op op, Span span, List<Span> argSpans, Node... inputs) {
        try {
            Node n = builder.add(op, inputs);
            String tooLarge = ArraySize.tooLarge(n.type());
            if (tooLarge != null) {
                diagnostics.error(span, op.name() + ": the result " + tooLarge);
                return Value.ERROR;
            }
            return new Value.Tensor(record(n, span));
        } catch (ShapeException e) {
            Span at = e.argument() >= 0 && e.argument() < argSpans.size() ? argSpans.get(e.argument()) : span;
            diagnostics.error(at, e.getMessage());
            return Value.ERROR;
        } catch (ArithmeticException e) {
            // a dimension past 2^63: Dim multiplies exactly
            diagnostics.error(span, op.name() + ": the result has more elements than a Java array can hold");
            return Value.ERROR;
        }
    }

    /** A number as a scalar constant of {@code dtype}, or null after an error (e.g. 0.5 meeting i32). */
    Node constant(Value.Num n, DType dtype, Span span) {
        if (dtype == DType.BOOL) {
            diagnostics.error(span, "a comparison mask is not a number; use where(mask, a, b) to choose values");
            return null;
        }
        if (dtype == DType.I32 && !n.integral()) {
            diagnostics.error(span, "the number " + n.text() + " meets an i32 tensor but is not an integer");
            return null;
        }
        return record(builder.add(new ConstantOp(n.value(), dtype)), span);
    }

    // ------------------------------------------------------------------ expressions

    /**
     * The value of {@code e} where one value is expected: the several values of a fn that returns them
     * ({@code return a, b}) are an error here, reported at {@code e}.
     */
    Value eval(Ast.Expr e, Env env) {
        Value v = evalAny(e, env);
        if (v instanceof Value.TupleV t) {
            String fn = t.fn() == null ? "this fn" : t.fn();
            diagnostics.error(e.span(), (t.fn() == null ? "" : "fn ") + fn + " returns " + t.items().size()
                    + " values, where one value is expected; bind them by position, as in "
                    + String.join(", ", placeholders(t.items().size())) + " = " + fn + "(...)");
            return Value.ERROR;
        }
        return v;
    }

    /**
     * The value of {@code e} where several values may stand: the right side of {@code a, b = ...}, a
     * {@code return}, the body of an expression fn. A {@link Value.TupleV} for {@code return a, b} and for a call
     * of a fn that returns several values.
     */
    Value evalMulti(Ast.Expr e, Env env) {
        if (e instanceof Ast.Tuple t) {
            List<Value> items = new ArrayList<>();
            for (Ast.Expr item : t.items()) {
                items.add(eval(item, env));
            }
            return new Value.TupleV(null, items);
        }
        return evalAny(e, env);
    }

    private static List<String> placeholders(int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add(n <= 3 ? String.valueOf((char) ('a' + i)) : "v" + i);
        }
        return names;
    }

    private Value evalAny(Ast.Expr e, Env env) {
        if (e instanceof Ast.NumberLit n) {
            return new Value.Num(n.value(), n.integral());
        } else if (e instanceof Ast.BoolLit b) {
            return new Value.Bool(b.value());
        } else if (e instanceof Ast.Name n) {
            return name(n, env);
        } else if (e instanceof Ast.ListLit l) {
            List<Value> items = new ArrayList<>();
            for (Ast.Expr item : l.items()) {
                items.add(eval(item, env));
            }
            return new Value.ListV(List.copyOf(items));
        } else if (e instanceof Ast.Unary u) {
            return unary(u, env);
        } else if (e instanceof Ast.Binary b) {
            return binary(b.op(), b.span(), b.opSpan(), eval(b.left(), env), b.left().span(),
                    eval(b.right(), env), b.right().span());
        } else if (e instanceof Ast.Call c) {
            return call(c, env);
        } else if (e instanceof Ast.Member m) {
            return member(m, env);
        } else if (e instanceof Ast.Subscript s) {
            return subscript(s, env);
        } else if (e instanceof Ast.Tuple t) {
            diagnostics.error(t.span(), "several values can only be returned from a fn");
            return Value.ERROR;
        }
        throw new IllegalStateException("unknown expression " + e);
    }

    private Value name(Ast.Name n, Env env) {
        Env.Entry entry = env.lookup(n.name());
        if (entry != null) {
            return entry.value();
        }
        DType type = typeWord(n.name());
        if (type != null) {
            return new Value.TypeV(type);
        }
        Span later = env.declaredLater(n.name());
        if (later == null && (fns.containsKey(n.name()) || Builtins.lookup(n.name()) != null)) {
            diagnostics.error(n.span(), "'" + n.name() + "' is a function, not a value; call it, as in "
                    + n.name() + "(...)");
        } else if (later != null && later.start() > n.span().start()) {
            diagnostics.error(n.span(), "'" + n.name() + "' is used before its definition at line " + later.line());
        } else if (later != null) {
            diagnostics.error(n.span(), "'" + n.name() + "' is not defined here (it is bound at line " + later.line()
                    + ", inside a loop that did not run)");
        } else {
            String message = "unknown name '" + n.name() + "'";
            String suggestion = Suggest.closest(n.name(), env.visibleNames());
            if (env.fnName() != null && env.callerBinds(n.name())) {
                message += " in fn " + env.fnName() + ": '" + n.name() + "' belongs to the model that calls it, and a"
                        + " fn sees only its parameters; pass " + n.name() + " as an argument (or, for a number,"
                        + " make it a top-level const)";
            } else if (suggestion != null) {
                message += "; did you mean '" + suggestion + "'?";
            } else if (env.fnName() != null) {
                message += " in fn " + env.fnName() + "; a fn sees only its parameters, its own names and the file's"
                        + " top-level consts";
            }
            diagnostics.error(n.span(), message);
        }
        return Value.ERROR;
    }

    private Value unary(Ast.Unary u, Env env) {
        Value v = eval(u.operand(), env);
        if (u.op().equals("+") || v instanceof Value.Err) {
            return v;
        }
        if (v instanceof Value.Num n) {
            return new Value.Num(-n.value(), n.integral());
        }
        if (v instanceof Value.Tensor t) {
            return apply(new UnaryOp(UnaryFn.NEG), u.span(), List.of(u.operand().span()), t.node());
        }
        diagnostics.error(u.span(), "cannot negate " + Value.describe(v));
        return Value.ERROR;
    }

    /** An infix operation on two evaluated operands. */
    Value binary(String op, Span span, Span opSpan, Value l, Span lSpan, Value r, Span rSpan) {
        if (l instanceof Value.Err || r instanceof Value.Err) {
            return Value.ERROR;
        }
        if (l instanceof Value.Num a && r instanceof Value.Num b) {
            return ConstFold.binary(op, a, b, span, diagnostics);
        }
        if (isDimLike(l) && isDimLike(r) && (l instanceof Value.DimV || r instanceof Value.DimV)) {
            return dimArithmetic(op, span, l, r);
        }
        if (l instanceof Value.Tensor || r instanceof Value.Tensor) {
            if (op.equals("@")) {
                if (!(l instanceof Value.Tensor) || !(r instanceof Value.Tensor)) {
                    Value other = l instanceof Value.Tensor ? r : l;
                    diagnostics.error(l instanceof Value.Tensor ? rSpan : lSpan, "matmul: '@' needs two tensors, got "
                            + Value.describe(other) + "; use '*' to scale");
                    return Value.ERROR;
                }
                return apply(new MatMulOp(), opSpan, List.of(lSpan, rSpan), ((Value.Tensor) l).node(),
                        ((Value.Tensor) r).node());
            }
            DType like = l instanceof Value.Tensor t ? t.node().dtype() : ((Value.Tensor) r).node().dtype();
            Node a = operand(l, like, lSpan, op);
            Node b = operand(r, like, rSpan, op);
            if (a == null || b == null) {
                return Value.ERROR;
            }
            CompareFn cmp = compareFn(op);
            Op o = cmp != null ? new CompareOp(cmp) : new BinaryOp(binaryFn(op));
            return apply(o, opSpan, List.of(lSpan, rSpan), a, b);
        }
        diagnostics.error(opSpan, "operator '" + op + "' cannot combine " + Value.describe(l) + " and "
                + Value.describe(r));
        return Value.ERROR;
    }

    private Node operand(Value v, DType like, Span span, String op) {
        if (v instanceof Value.Tensor t) {
            return t.node();
        }
        if (v instanceof Value.Num n) {
            return constant(n, like, span);
        }
        diagnostics.error(span, "operator '" + op + "' needs a tensor or a number, got " + Value.describe(v));
        return null;
    }

    private static boolean isDimLike(Value v) {
        return v instanceof Value.DimV || (v instanceof Value.Num n && n.integral() && n.value() >= 1);
    }

    private static Dim asDim(Value v) {
        return v instanceof Value.DimV d ? d.dim() : Dim.of(((Value.Num) v).asLong());
    }

    private Value dimArithmetic(String op, Span span, Value l, Value r) {
        Dim a = asDim(l);
        Dim b = asDim(r);
        if (op.equals("*")) {
            return new Value.DimV(a.times(b));
        }
        if (op.equals("/") && a.dividedBy(b).isPresent()) {
            return new Value.DimV(a.dividedBy(b).get());
        }
        if (op.equals("+") && a.plus(b).isPresent()) {
            return new Value.DimV(a.plus(b).get());
        }
        diagnostics.error(span, "cannot compute " + a + " " + op + " " + b + " at compile time: dims can be"
                + " multiplied, and divided or added when the result is again a product of dims");
        return Value.ERROR;
    }

    private static CompareFn compareFn(String op) {
        switch (op) {
            case "<":
                return CompareFn.LT;
            case "<=":
                return CompareFn.LE;
            case ">":
                return CompareFn.GT;
            case ">=":
                return CompareFn.GE;
            case "==":
                return CompareFn.EQ;
            case "!=":
                return CompareFn.NE;
            default:
                return null;
        }
    }

    private static BinaryFn binaryFn(String op) {
        switch (op) {
            case "+":
                return BinaryFn.ADD;
            case "-":
                return BinaryFn.SUB;
            case "*":
                return BinaryFn.MUL;
            case "/":
                return BinaryFn.DIV;
            case "^":
                return BinaryFn.POW;
            default:
                throw new IllegalArgumentException(op);
        }
    }

    private Value member(Ast.Member m, Env env) {
        Value v = eval(m.target(), env);
        if (v instanceof Value.Err) {
            return v;
        }
        if (!m.member().name().equals("T")) {
            diagnostics.error(m.member().span(), "unknown member '." + m.member().name()
                    + "'; the only member is '.T' (transpose)");
            return Value.ERROR;
        }
        if (!(v instanceof Value.Tensor t)) {
            diagnostics.error(m.target().span(), "'.T' needs a tensor, got " + Value.describe(v));
            return Value.ERROR;
        }
        if (t.node().type().rank() != 2) {
            diagnostics.error(m.member().span(), "'.T' transposes a 2-D tensor, got " + t.node().type()
                    + "; use transpose(x, [perm]) for other ranks");
            return Value.ERROR;
        }
        return apply(new TransposeOp(List.of(1, 0)), m.span(), List.of(m.target().span()), t.node());
    }

    private Value subscript(Ast.Subscript s, Env env) {
        Value target = eval(s.target(), env);
        if (target instanceof Value.Err) {
            return target;
        }
        if (target instanceof Value.ParamArray array) {
            return paramElement(s, array, env);
        }
        if (!(target instanceof Value.Tensor t)) {
            diagnostics.error(s.target().span(), "cannot subscript " + Value.describe(target)
                    + "; only tensors can be sliced and param arrays indexed");
            return Value.ERROR;
        }
        Shape shape = t.node().shape();
        if (s.subs().size() > shape.rank()) {
            diagnostics.error(s.subs().get(shape.rank()).span(), "too many subscripts: " + t.node().type()
                    + " has rank " + shape.rank() + ", got " + s.subs().size() + " subscripts");
            return Value.ERROR;
        }
        List<Long> lo = new ArrayList<>();
        List<Long> hi = new ArrayList<>();
        List<Long> steps = new ArrayList<>();
        List<Integer> dropped = new ArrayList<>();
        boolean ok = true;
        for (int axis = 0; axis < s.subs().size(); axis++) {
            Ast.Sub sub = s.subs().get(axis);
            if (sub instanceof Ast.Range r) {
                Long a = r.lo() == null ? null : bound(r.lo(), env);
                Long b = r.hi() == null ? null : bound(r.hi(), env);
                Long step = r.step() == null ? null : bound(r.step(), env);
                ok &= (r.lo() == null || a != null) && (r.hi() == null || b != null)
                        && (r.step() == null || step != null);
                lo.add(a);
                hi.add(b);
                steps.add(step);
            } else {
                Long i = bound(((Ast.Index) sub).index(), env);
                ok &= i != null;
                lo.add(i);
                hi.add(i == null || i == -1 ? null : i + 1);
                steps.add(null);
                dropped.add(axis);
            }
        }
        if (!ok) {
            return Value.ERROR;
        }
        SliceOp slice;
        try {
            slice = SliceOp.resolve(shape, lo, hi, steps);
        } catch (ShapeException e) {
            diagnostics.error(s.span(), e.getMessage());
            return Value.ERROR;
        }
        Value result = slice.axes().isEmpty() ? t : apply(slice, s.span(), List.of(s.target().span()), t.node());
        if (dropped.isEmpty() || !(result instanceof Value.Tensor sliced)) {
            return result;
        }
        Shape out = sliced.node().shape();
        List<Dim> kept = new ArrayList<>();
        for (int axis = 0; axis < out.rank(); axis++) {
            if (!dropped.contains(axis)) {
                kept.add(out.dim(axis));
            }
        }
        return apply(new ReshapeOp(new Shape(kept)), s.span(), List.of(s.span()), sliced.node());
    }

    private Long bound(Ast.Expr e, Env env) {
        Value v = eval(e, env);
        if (v instanceof Value.Num n && n.integral()) {
            return n.asLong();
        }
        if (!(v instanceof Value.Err)) {
            diagnostics.error(e.span(), "a slice bound, step or index must be a compile-time integer, got "
                    + Value.describe(v));
        }
        return null;
    }

    private Value paramElement(Ast.Subscript s, Value.ParamArray array, Env env) {
        if (s.subs().size() != 1 || !(s.subs().get(0) instanceof Ast.Index index)) {
            diagnostics.error(s.span(), "param array " + array.name() + " takes one index, as in " + array.name()
                    + "[i]");
            return Value.ERROR;
        }
        Long i = bound(index.index(), env);
        if (i == null) {
            return Value.ERROR;
        }
        int n = array.elements().size();
        long k = i < 0 ? i + n : i;
        if (k < 0 || k >= n) {
            diagnostics.error(index.span(), "index " + i + " is out of range for param array " + array.name()
                    + "[" + n + "] (valid: 0.." + (n - 1) + ")");
            return Value.ERROR;
        }
        return new Value.Tensor(array.elements().get((int) k));
    }

    // ------------------------------------------------------------------ calls

    private Value call(Ast.Call c, Env env) {
        String name = c.callee().name();
        CallArgs args = CallArgs.of(name, c);
        for (Ast.Arg a : c.args()) {
            Value v = eval(a.value(), env);
            if (a.key() == null) {
                if (!args.keywords.isEmpty()) {
                    diagnostics.error(a.span(), name + ": a positional argument cannot follow a keyword argument");
                    return Value.ERROR;
                }
                args.positional.add(new CallArgs.Arg(v, a.value().span()));
            } else if (args.keywords.containsKey(a.key().name())) {
                diagnostics.error(a.key().span(), name + ": argument '" + a.key().name() + "' given twice");
                return Value.ERROR;
            } else {
                args.keywords.put(a.key().name(), new CallArgs.Arg(v, a.value().span()));
                args.keywordSpans.put(a.key().name(), a.key().span());
            }
        }
        Ast.FnDecl fn = fns.get(name);
        if (fn != null) {
            return inline(fn, c, args, env);
        }
        Builtins.Builtin builtin = Builtins.lookup(name);
        if (builtin != null) {
            if (args.anyError()) {
                return Value.ERROR;
            }
            return builtin.call(this, args);
        }
        List<String> candidates = new ArrayList<>(fns.keySet());
        candidates.addAll(Builtins.names());
        String suggestion = Suggest.closest(name, candidates);
        diagnostics.error(c.callee().span(), "unknown function '" + name + "'" + (suggestion == null ? ""
                : "; did you mean '" + suggestion + "'?"));
        return Value.ERROR;
    }

    private Value inline(Ast.FnDecl fn, Ast.Call call, CallArgs args, Env callerEnv) {
        String name = fn.name().name();
        if (recursive.contains(name)) {
            return Value.ERROR; // reported once, where the cycle closes
        }
        if (++inlinedCalls > Elaborator.MAX_CALLS) {
            throw new TooManyCalls(call.span());
        }
        if (callStack.size() >= Elaborator.MAX_CALL_DEPTH) {
            diagnostics.error(call.callee().span(), "fn calls are nested more than " + Elaborator.MAX_CALL_DEPTH
                    + " deep");
            return Value.ERROR;
        }
        String[] names = fn.params().stream().map(p -> p.name().name()).toArray(String[]::new);
        int required = 0;
        while (required < names.length && fn.params().get(required).defaultValue() == null) {
            required++;
        }
        CallArgs.Arg[] slots = args.bind(diagnostics, required, names);
        if (slots == null) {
            return Value.ERROR;
        }
        Env env = Env.fn(name, fn.blockBody(), callerEnv);
        for (int i = 0; i < names.length; i++) {
            if (slots[i] != null) {
                env.bind(names[i], slots[i].value(), fn.params().get(i).name().span());
            } else if (fn.params().get(i).defaultValue() != null) {
                env.bind(names[i], eval(fn.params().get(i).defaultValue(), env), fn.params().get(i).name().span());
            } else {
                diagnostics.error(call.span(), name + ": missing argument '" + names[i] + "'");
                return Value.ERROR;
            }
        }
        callStack.push(name);
        diagnostics.enterCall("fn " + name + " called at line " + call.span().line());
        try {
            Value result = fn.exprBody() != null ? evalMulti(fn.exprBody(), env)
                    : runner.statements(fn.blockBody(), env);
            if (result == null) {
                diagnostics.error(fn.name().span(), "fn " + name + " ends without 'return'");
                return Value.ERROR;
            }
            return result instanceof Value.TupleV t ? new Value.TupleV(name, t.items()) : result;
        } catch (TooManyCalls e) {
            e.outermost = call.span(); // the outermost call is the last to see it, and the one to blame
            throw e;
        } finally {
            diagnostics.exitCall();
            callStack.pop();
        }
    }

    /** Thrown when a model would inline more than {@link Elaborator#MAX_CALLS} fn calls. */
    static final class TooManyCalls extends RuntimeException {
        private static final long serialVersionUID = 1L;
        /** The outermost call in the chain that passed the limit. */
        Span outermost;

        TooManyCalls(Span at) {
            super(null, null, false, false);
            this.outermost = at;
        }
    }

    static List<Span> spans(CallArgs.Arg... args) {
        return Arrays.stream(args).map(a -> a == null ? null : a.span()).toList();
    }
}
