package dev.adjoint.compiler.elab;

import dev.adjoint.compiler.ast.Ast;
import dev.adjoint.compiler.diag.Diagnostics;
import dev.adjoint.compiler.diag.Span;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.GraphBuilder;
import dev.adjoint.compiler.ir.GraphTooLargeException;
import dev.adjoint.compiler.ir.InitSpec;
import dev.adjoint.compiler.ir.TensorType;
import dev.adjoint.compiler.ops.InputOp;
import dev.adjoint.compiler.ops.ParamOp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns the AST of a file into one shape-checked {@link ModelGraph} per model: resolves names and scopes,
 * evaluates {@code const} expressions, inlines {@code fn} calls, unrolls {@code for} loops and expands
 * param arrays. Errors are reported and elaboration goes on, so one run finds every independent error.
 */
public final class Elaborator {
    /** Most nodes one model may unroll into. */
    public static final int MAX_NODES = GraphBuilder.MAX_NODES;
    /** Most loop iterations one model may unroll, counting nested loops. */
    public static final long MAX_ITERATIONS = 5_000_000;
    /** Most fn calls one model may inline (a fn calling another twice, thirty deep, would be 2^30). */
    public static final long MAX_CALLS = 1_000_000;
    /** Deepest chain of nested fn calls. */
    public static final int MAX_CALL_DEPTH = 100;

    private final Ast.FileAst file;
    private final Diagnostics diagnostics;
    private final boolean f32AsF64;
    private final Map<String, Ast.FnDecl> fns = new LinkedHashMap<>();
    private Set<String> recursive = Set.of();
    /** The file's top-level consts, which every model and fn sees. */
    private Map<String, Env.Entry> globals = Map.of();

    private Elaborator(Ast.FileAst file, Diagnostics diagnostics, boolean f32AsF64) {
        this.file = file;
        this.diagnostics = diagnostics;
        this.f32AsF64 = f32AsF64;
    }

    /** Elaborates every model of the file; errors go to {@code diagnostics}. */
    public static List<ModelGraph> elaborate(Ast.FileAst file, Diagnostics diagnostics) {
        return elaborate(file, diagnostics, false);
    }

    /**
     * Elaborates every model; with {@code f32AsF64} every {@code f32} is read as {@code f64}, giving the f64
     * twin of a model (same graph, double precision) on which gradients can be checked tightly.
     */
    public static List<ModelGraph> elaborate(Ast.FileAst file, Diagnostics diagnostics, boolean f32AsF64) {
        return new Elaborator(file, diagnostics, f32AsF64).run();
    }

    private List<ModelGraph> run() {
        for (Ast.FnDecl fn : file.fns()) {
            Ast.FnDecl previous = fns.putIfAbsent(fn.name().name(), fn);
            if (previous != null) {
                diagnostics.error(fn.name().span(), "fn " + fn.name().name() + " is already defined at line "
                        + previous.name().span().line());
            }
            checkFnParams(fn);
        }
        recursive = FnCalls.findRecursion(fns, diagnostics);
        globals = topLevelConsts();
        List<ModelGraph> out = new ArrayList<>();
        Set<String> modelNames = new HashSet<>();
        for (Ast.ModelDecl model : file.models()) {
            if (!modelNames.add(model.name().name())) {
                diagnostics.error(model.name().span(), "model " + model.name().name() + " is defined twice");
            }
            ModelGraph g = new ModelElaborator(model).run();
            if (g != null) {
                out.add(g);
            }
        }
        if (file.models().isEmpty() && !diagnostics.hasErrors()) {
            diagnostics.error(file.source().spanAt(0, 0), "no model in this file: write 'model Name { ... }'");
        }
        return out;
    }

    /**
     * Evaluates the file's top-level consts in order, each seeing those above it (and calling fns if it likes);
     * every model and fn then sees them all. A fn's block body that a const calls runs in a model elaborator of
     * its own, which builds no model.
     */
    private Map<String, Env.Entry> topLevelConsts() {
        if (file.consts().isEmpty()) {
            return Map.of();
        }
        ModelElaborator scratch = new ModelElaborator(null);
        Env env = Env.topLevel(file.consts());
        Map<String, Span> defined = new HashMap<>();
        for (Ast.ConstDecl c : file.consts()) {
            Span previous = defined.putIfAbsent(c.name().name(), c.name().span());
            if (previous != null) {
                diagnostics.error(c.name().span(), "const " + c.name().name() + " is already defined at line "
                        + previous.line() + " of the file's top level");
                continue;
            }
            env.bind(c.name().name(), scratch.constValue(c, env), c.name().span());
        }
        return env.asGlobals();
    }

    private void checkFnParams(Ast.FnDecl fn) {
        Set<String> seen = new HashSet<>();
        for (Ast.FnParam p : fn.params()) {
            if (!seen.add(p.name().name())) {
                diagnostics.error(p.name().span(), "fn " + fn.name().name() + ": parameter '" + p.name().name()
                        + "' is listed twice");
            }
        }
    }

    /** Elaboration of one model. */
    final class ModelElaborator {
        final Ast.ModelDecl model;
        final ExprEvaluator eval;
        final List<String> dims = new ArrayList<>();
        final List<Graph.Input> inputs = new ArrayList<>();
        final List<Graph.Param> params = new ArrayList<>();
        final List<Graph.Output> outputs = new ArrayList<>();
        /** What check prints; a statement unrolled many times with one type is one row with a count. */
        final Map<ModelGraph.Binding, Integer> bindings = new LinkedHashMap<>();
        final Map<String, Span> declared = new HashMap<>();
        final Map<dev.adjoint.compiler.ir.Node, String> names = new java.util.IdentityHashMap<>();
        Graph.Output loss;
        long iterations;
        /** The loops being unrolled, innermost first. */
        final java.util.Deque<ActiveLoop> loops = new java.util.ArrayDeque<>();
        /** The outermost loop being unrolled when the model grew past a limit. */
        Span runawayLoop;

        ModelElaborator(Ast.ModelDecl model) {
            this.model = model;
            this.eval = new ExprEvaluator(diagnostics, fns, recursive, MAX_NODES, f32AsF64, this::statements);
            this.eval.iterations(() -> loops.isEmpty() ? null : loops.peek().iteration);
        }

        ModelGraph run() {
            Env env = Env.model(model.body(), globals);
            try {
                statements(model.body(), env);
            } catch (GraphTooLargeException e) {
                boolean inLoop = runawayLoop != null;
                diagnostics.error(inLoop ? runawayLoop : model.name().span(),
                        "model " + model.name().name() + " is too large: it would " + (inLoop ? "unroll into" : "need")
                                + " more than " + e.limit() + " graph nodes");
                return null;
            } catch (TooManyIterations e) {
                diagnostics.error(runawayLoop, "model " + model.name().name() + " is too large: its loops would unroll"
                        + " more than " + MAX_ITERATIONS + " iterations");
                return null;
            } catch (ExprEvaluator.TooManyCalls e) {
                diagnostics.error(runawayLoop != null ? runawayLoop : e.outermost, "model " + model.name().name()
                        + " is too large: it would inline more than " + MAX_CALLS + " fn calls");
                return null;
            }
            checkConstructedDims();
            checkDimsBindable();
            Graph forward = Graph.of(model.name().name(), model.name().span(), dims, inputs, params, outputs, loss,
                    eval.builder().nodes(), eval.spans(), names);
            return new ModelGraph(forward, bindings.entrySet().stream().map(e -> new ModelGraph.Binding(
                    e.getKey().kind(), e.getKey().name(), e.getKey().detail(), e.getKey().span(), e.getValue())).toList());
        }

        /** Every dim in the size of a constructor ({@code zeros([B, 3])}) must be bound by an input's shape. */
        private void checkConstructedDims() {
            Set<String> bound = new HashSet<>();
            for (Graph.Input in : inputs) {
                in.node().shape().dims().forEach(d -> bound.addAll(d.symbols()));
            }
            Set<String> reported = new HashSet<>();
            for (Constructors.Use use : eval.constructed()) {
                for (String symbol : use.dim().symbols()) {
                    if (!bound.contains(symbol) && reported.add(symbol)) {
                        diagnostics.error(use.span(), "dim " + symbol + " is bound by no input, so this size is"
                                + " unknown when the model is called; declare an input whose shape uses " + symbol);
                    }
                }
            }
        }

        /**
         * Reports inputs with a dim that no call can bind. A call binds a dim from an input dimension where it is
         * the only dim not yet bound and occurs once ({@code B}, {@code 2*B}, or {@code B*C} once {@code C} is
         * bound); {@code B*C} alone, or {@code B*B}, gives no size for {@code B}.
         */
        private void checkDimsBindable() {
            Set<String> bindable = new HashSet<>();
            boolean progress = true;
            while (progress) {
                progress = false;
                for (Graph.Input in : inputs) {
                    for (Dim d : in.node().shape().dims()) {
                        List<String> unknown = d.symbols().stream().filter(x -> !bindable.contains(x)).toList();
                        if (unknown.size() == 1) {
                            bindable.add(unknown.get(0));
                            progress = true;
                        }
                    }
                }
            }
            for (Graph.Input in : inputs) {
                Set<String> never = new java.util.TreeSet<>();
                in.node().shape().dims().forEach(d -> d.symbols().stream().filter(x -> !bindable.contains(x))
                        .forEach(never::add));
                if (!never.isEmpty()) {
                    diagnostics.error(in.span(), "input " + in.name() + " : " + in.node().type() + ": no input gives"
                            + " the size of dim " + String.join(" or ", never) + " (a call binds a dim from an input"
                            + " dimension where it is the only unknown, such as B or 2*B); add an input whose shape"
                            + " has " + (never.size() == 1 ? "it" : "one of them") + " alone");
                }
            }
        }

        /** Runs statements; returns the value of a {@code return} (fn bodies only) or null. */
        Value statements(List<Ast.Stmt> body, Env env) {
            for (Ast.Stmt s : body) {
                Value returned = statement(s, env);
                if (returned != null) {
                    return returned;
                }
            }
            return null;
        }

        private Value statement(Ast.Stmt s, Env env) {
            if (s instanceof Ast.Assign a) {
                Value v = eval.eval(a.value(), env);
                env.bind(a.name().name(), v, a.name().span());
                if (env.isModel()) {
                    bindingOf("value", a.name(), v);
                }
            } else if (s instanceof Ast.Unpack u) {
                unpack(u, env);
            } else if (s instanceof Ast.ConstDecl c) {
                Value v = constValue(c, env);
                env.bind(c.name().name(), v, c.name().span());
                if (env.isModel() && v instanceof Value.Num n) {
                    row(new ModelGraph.Binding("const", c.name().name(), "= " + n.text(), c.name().span()));
                }
            } else if (s instanceof Ast.ForLoop f) {
                forLoop(f, env);
            } else if (s instanceof Ast.Return r) {
                if (env.isModel()) {
                    diagnostics.error(r.span(), "return is only allowed in a fn body");
                    return null;
                }
                return eval.evalMulti(r.value(), env);
            } else if (!env.isModel() || !(s instanceof Ast.DimDecl || s instanceof Ast.InputDecl
                    || s instanceof Ast.ParamDecl || s instanceof Ast.OutputDecl || s instanceof Ast.LossDecl)) {
                diagnostics.error(s.span(), keyword(s) + " declarations are only allowed in a model body, not in "
                        + (env.fnName() != null ? "fn " + env.fnName() : "a for loop"));
            } else {
                declaration(s, env);
            }
            return null;
        }

        /** The value of a const declaration: a compile-time number, or {@link Value#ERROR} after an error. */
        Value constValue(Ast.ConstDecl c, Env env) {
            Value v = eval.eval(c.value(), env);
            if (!(v instanceof Value.Num) && !(v instanceof Value.Err)) {
                diagnostics.error(c.value().span(), "const " + c.name().name()
                        + " must be a compile-time number, got " + Value.describe(v));
                return Value.ERROR;
            }
            return v;
        }

        /** {@code a, b = f(...)}: the values a fn returns, bound by position. */
        private void unpack(Ast.Unpack u, Env env) {
            Value v = eval.evalMulti(u.value(), env);
            List<Value> items = null;
            Set<String> seen = new HashSet<>();
            boolean repeated = false;
            for (Ast.Ident id : u.names()) {
                if (!seen.add(id.name())) {
                    diagnostics.error(id.span(), "'" + id.name() + "' is bound twice on the left of '='");
                    repeated = true;
                }
            }
            if (v instanceof Value.TupleV t && !repeated) {
                if (t.items().size() == u.names().size()) {
                    items = t.items();
                } else {
                    diagnostics.error(u.value().span(), countMismatch(t, u));
                }
            } else if (!(v instanceof Value.Err) && !repeated) {
                diagnostics.error(u.value().span(), "cannot bind " + Value.describe(v) + " to " + u.names().size()
                        + " names; only a call of a fn that returns several values (return a, b) can be bound"
                        + " by position");
            }
            for (int i = 0; i < u.names().size(); i++) {
                Ast.Ident id = u.names().get(i);
                Value item = items == null ? Value.ERROR : items.get(i);
                env.bind(id.name(), item, id.span());
                if (env.isModel()) {
                    bindingOf("value", id, item);
                }
            }
        }

        private String countMismatch(Value.TupleV t, Ast.Unpack u) {
            List<String> names = u.names().stream().map(Ast.Ident::name).toList();
            return (t.fn() == null ? "this" : "fn " + t.fn()) + " returns " + t.items().size() + " values, but "
                    + names.size() + " names are bound: " + String.join(", ", names);
        }

        private void declaration(Ast.Stmt s, Env env) {
            if (s instanceof Ast.DimDecl d) {
                for (Ast.Ident id : d.names()) {
                    if (declare(id, "dim")) {
                        dims.add(id.name());
                        env.bind(id.name(), new Value.DimV(Dim.sym(id.name())), id.span());
                        row(new ModelGraph.Binding("dim", id.name(), "", id.span()));
                    }
                }
            } else if (s instanceof Ast.InputDecl in) {
                TensorType type = new TypeResolver(diagnostics, eval, env).resolve(in.type(), false,
                        "input " + in.name().name());
                if (type != null && in.grad() && !type.dtype().isFloat()) {
                    diagnostics.error(in.type().elem().span(), "input grad " + in.name().name()
                            + ": an i32 input has no gradient; input grad needs f32 or f64, got " + type);
                }
                if (declare(in.name(), "input") && type != null) {
                    var node = eval.leaf(new InputOp(in.name().name(), type), in.name().span());
                    inputs.add(new Graph.Input(in.name().name(), node, in.grad(), in.name().span()));
                    names.putIfAbsent(node, in.name().name());
                    env.bind(in.name().name(), new Value.Tensor(node), in.name().span());
                    row(new ModelGraph.Binding(in.grad() ? "input grad" : "input", in.name().name(),
                            ": " + type, in.name().span()));
                } else {
                    env.bind(in.name().name(), Value.ERROR, in.name().span());
                }
            } else if (s instanceof Ast.ParamDecl p) {
                param(p, env);
            } else if (s instanceof Ast.OutputDecl o) {
                Value v = eval.eval(o.value(), env);
                env.bind(o.name().name(), v, o.name().span());
                if (v instanceof Value.Tensor t && t.node().dtype() == DType.BOOL) {
                    diagnostics.error(o.value().span(), "output " + o.name().name() + " is a comparison mask ("
                            + t.node().type() + "); an output is a number tensor: write cast(mask, i32) for 1/0,"
                            + " or where(mask, a, b)");
                } else if (v instanceof Value.Tensor t) {
                    if (outputs.stream().anyMatch(x -> x.name().equals(o.name().name()))) {
                        diagnostics.error(o.name().span(), "output " + o.name().name() + " is declared twice");
                    } else {
                        outputs.add(new Graph.Output(o.name().name(), t.node(), o.name().span()));
                    }
                } else if (!(v instanceof Value.Err)) {
                    diagnostics.error(o.value().span(), "output " + o.name().name() + " must be a tensor, got "
                            + Value.describe(v));
                }
                bindingOf("output", o.name(), v);
            } else if (s instanceof Ast.LossDecl l) {
                lossDecl(l, env);
            }
        }

        private void param(Ast.ParamDecl p, Env env) {
            String name = p.name().name();
            TensorType type = new TypeResolver(diagnostics, eval, env).resolve(p.type(), true, "param " + name);
            if (type != null && !type.dtype().isFloat()) {
                diagnostics.error(p.type().elem().span(), "param " + name + ": a param is trained, so it needs a"
                        + " differentiable type (f32 or f64), got " + type);
                type = null;
            }
            InitSpec init = p.init() == null ? InitSpec.DEFAULT
                    : new InitResolver(diagnostics, eval, env).resolve(p.init(), name);
            Integer count = null;
            if (p.count() != null) {
                Value c = eval.eval(p.count(), env);
                if (c instanceof Value.Num n && n.integral() && n.value() >= 1 && n.value() <= MAX_NODES) {
                    count = (int) n.asLong();
                } else if (!(c instanceof Value.Err)) {
                    diagnostics.error(p.count().span(), "param " + name + "[...]: the array size must be a"
                            + " positive compile-time integer, got " + Value.describe(c));
                }
            }
            if (!declare(p.name(), "param") || type == null || init == null || (p.count() != null && count == null)) {
                env.bind(name, Value.ERROR, p.name().span());
                return;
            }
            if (count == null) {
                var node = eval.leaf(new ParamOp(name, type), p.name().span());
                params.add(new Graph.Param(name, node, init, null, -1, p.name().span()));
                names.putIfAbsent(node, name);
                env.bind(name, new Value.Tensor(node), p.name().span());
                row(new ModelGraph.Binding("param", name, ": " + type + " = " + init, p.name().span()));
            } else {
                List<dev.adjoint.compiler.ir.Node> elements = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    String element = name + "[" + i + "]";
                    var node = eval.leaf(new ParamOp(element, type), p.name().span());
                    elements.add(node);
                    params.add(new Graph.Param(element, node, init, name, i, p.name().span()));
                    names.putIfAbsent(node, element);
                }
                env.bind(name, new Value.ParamArray(name, List.copyOf(elements)), p.name().span());
                row(new ModelGraph.Binding("param", name + "[" + count + "]", ": " + type + " = " + init,
                        p.name().span()));
            }
        }

        private void lossDecl(Ast.LossDecl l, Env env) {
            Value v = eval.eval(l.value(), env);
            env.bind(l.name().name(), v, l.name().span());
            bindingOf("loss", l.name(), v);
            if (loss != null) {
                diagnostics.error(l.span(), "a model has at most one loss; loss " + loss.name()
                        + " is already declared at line " + loss.span().line());
                return;
            }
            if (v instanceof Value.Tensor t) {
                TensorType type = t.node().type();
                if (!type.dtype().isFloat()) {
                    diagnostics.error(l.value().span(), "loss " + l.name().name() + " must be a differentiable"
                            + " f32 or f64 scalar, got " + type);
                } else if (!type.shape().isScalar()) {
                    diagnostics.error(l.value().span(), "loss " + l.name().name() + " must be a scalar, got " + type
                            + "; reduce it with mean(...) or sum(...)");
                } else {
                    loss = new Graph.Output(l.name().name(), t.node(), l.name().span());
                    return;
                }
            } else if (!(v instanceof Value.Err)) {
                diagnostics.error(l.value().span(), "loss " + l.name().name() + " must be a scalar tensor computed"
                        + " from the model's inputs and params, got " + Value.describe(v));
            }
            // Remember the failed loss too, so a second loss is still reported as a second one.
            loss = new Graph.Output(l.name().name(), null, l.name().span());
        }

        private void forLoop(Ast.ForLoop f, Env env) {
            Long from = loopBound(f.from(), env, "start");
            Long to = loopBound(f.to(), env, "end");
            if (from == null || to == null) {
                return;
            }
            // The bounds are known now: refuse a loop that would pass the limit before running its body once.
            if (iterations + projectedIterations(f, env, from, to) > MAX_ITERATIONS) {
                runawayLoop = f.span();
                throw new TooManyIterations();
            }
            String var = f.var().name();
            Env.Entry saved = env.lookup(var);
            ActiveLoop active = new ActiveLoop(f, env, to);
            Span.Iteration outer = loops.isEmpty() ? null : loops.peek().iteration;
            loops.push(active);
            try {
                for (long i = from; i < to; i++) {
                    if (++iterations > MAX_ITERATIONS) {
                        throw new TooManyIterations();
                    }
                    active.next = i;
                    active.iteration = new Span.Iteration(f.span(), var, i, outer);
                    env.bind(var, new Value.Num(i, true), f.var().span());
                    statements(f.body(), env);
                }
            } catch (GraphTooLargeException | TooManyIterations | ExprEvaluator.TooManyCalls e) {
                runawayLoop = f.span(); // the outermost loop is the last to see it, and the one to blame
                throw e;
            } finally {
                loops.pop();
            }
            if (saved != null) {
                env.bind(var, saved.value(), saved.span());
            } else {
                env.unbind(var);
            }
        }

        /**
         * A lower bound on the iterations still to come from loop {@code f} (bounds {@code from..to}): its own
         * count, times the iterations left in each enclosing loop of the same body that runs it again with the
         * same bounds (its bound expressions use no name that the enclosing loop binds). No loop has a break, so
         * every enclosing iteration runs it.
         */
        private double projectedIterations(Ast.ForLoop f, Env env, long from, long to) {
            double total = Math.max(0, (double) to - (double) from);
            Set<String> boundNames = new HashSet<>();
            LoopNames.used(f.from(), boundNames);
            LoopNames.used(f.to(), boundNames);
            for (ActiveLoop outer : loops) {
                if (outer.env != env || !LoopNames.disjoint(boundNames, outer.bound())) {
                    break;
                }
                total *= Math.max(1, (double) outer.end - (double) outer.next);
            }
            return total;
        }

        private Long loopBound(Ast.Expr e, Env env, String which) {
            Value v = eval.eval(e, env);
            if (v instanceof Value.Num n && n.integral()) {
                return n.asLong();
            }
            if (v instanceof Value.Err) {
                return null;
            }
            String hint = v instanceof Value.DimV ? "; a dim is bound only when the model is called" : "";
            diagnostics.error(e.span(), "loop " + which + " must be a compile-time integer, got "
                    + Value.describe(v) + hint);
            return null;
        }

        /** Records a model-level declaration name; false (with an error) if a declaration already used it. */
        private boolean declare(Ast.Ident id, String kind) {
            Span previous = declared.putIfAbsent(id.name(), id.span());
            if (previous != null) {
                diagnostics.error(id.span(), kind + " " + id.name() + ": the name is already declared at line "
                        + previous.line() + " (a name can be declared as a dim, input or param once)");
                return false;
            }
            return true;
        }

        private void row(ModelGraph.Binding b) {
            bindings.merge(b, 1, Integer::sum);
        }

        private void bindingOf(String kind, Ast.Ident name, Value v) {
            if (v instanceof Value.Tensor t) {
                names.putIfAbsent(t.node(), name.name());
                row(new ModelGraph.Binding(kind, name.name(), ": " + t.node().type(), name.span()));
            } else if (v instanceof Value.Num n) {
                row(new ModelGraph.Binding(kind, name.name(), "= " + n.text(), name.span()));
            } else if (v instanceof Value.DimV d) {
                row(new ModelGraph.Binding(kind, name.name(), "= dim " + d.dim(), name.span()));
            }
        }

        private String keyword(Ast.Stmt s) {
            if (s instanceof Ast.DimDecl) {
                return "dim";
            } else if (s instanceof Ast.InputDecl) {
                return "input";
            } else if (s instanceof Ast.ParamDecl) {
                return "param";
            } else if (s instanceof Ast.OutputDecl) {
                return "output";
            }
            return "loss";
        }
    }

    /** A loop being unrolled: its body's environment, its end and the value of its variable now. */
    static final class ActiveLoop {
        final Ast.ForLoop loop;
        final Env env;
        final long end;
        long next;
        /** The iteration running now, which the spans of the nodes it builds record. */
        Span.Iteration iteration;
        private Set<String> bound;

        ActiveLoop(Ast.ForLoop loop, Env env, long end) {
            this.loop = loop;
            this.env = env;
            this.end = end;
        }

        /** The names the loop binds: its variable and every name its body assigns. */
        Set<String> bound() {
            if (bound == null) {
                bound = LoopNames.bound(loop);
            }
            return bound;
        }
    }

    /** Thrown when the loops of a model would unroll past {@link #MAX_ITERATIONS}. */
    static final class TooManyIterations extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooManyIterations() {
            super(null, null, false, false);
        }
    }


}
