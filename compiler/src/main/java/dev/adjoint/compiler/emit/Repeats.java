package dev.adjoint.compiler.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.adjoint.compiler.diag.Span;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ops.InputOp;
import dev.adjoint.compiler.ops.ParamOp;
import dev.adjoint.compiler.plan.ExecutionPlan;
import dev.adjoint.compiler.plan.ExecutionPlan.Step;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import javax.lang.model.element.Modifier;

/**
 * Repeated layers written as a loop again. A model's {@code for} loop is unrolled into the graph, so a deep model's
 * schedule is the same few steps over and over, each time on other arrays ({@code h_2 = tanh(h @ W[1] + b[1])},
 * then {@code h_3 = tanh(h_2 @ W[2] + b[2])}, ...). Written out straight, every copy is its own bytecode, which the
 * JIT compiles separately: a 256-layer model ran slowly for a minute. This folds each run of repeated steps into
 * one method holding the steps once, and a loop that calls it with each repetition's arrays, taken from tables of
 * arrays made once (the model's for parameters, the workspace's for buffers).
 *
 * <p>How repetitions are found and why the loop computes exactly what the straight code did: each step is lowered
 * once with a placeholder for every array it names (in the order it names them), giving its <em>shape</em> (the
 * code without its comments, and each placeholder's Java type and kind). Steps with the same shape differ only in
 * the arrays they name. A run is a block of steps whose shapes repeat, block after block; the block is lowered once
 * more with a parameter (or the field itself, where every repetition names the same one) in place of each array,
 * and repetition {@code r} passes its own. So each call runs the text of repetition {@code r}'s straight code,
 * array for array. Only arrays whose field never changes after the workspace is made (parameters and buffers;
 * not inputs, which each call binds, nor views assigned by steps) are passed through tables; other arrays must be
 * the same field in every repetition. Where an iteration of the model's loop can be found (node spans record it),
 * a block is aligned to start where an iteration starts. Kernel scratch buffers and {@code batch_norm}'s running
 * statistics are arrays too ({@link ValueNames.Fixed}): set once, passed through tables; a dropout call's site
 * ({@link ValueNames.Site}), the one literal that tells two layers' calls apart, is passed as an {@code int}.
 */
final class Repeats {
    /** Fewest repetitions written as a loop. */
    static final int MIN_REPEATS = 3;
    /** Longest block of steps looked for. */
    static final int MAX_PERIOD = 256;
    /** Most arrays one method of a block may take (the JVM allows 255 parameter slots). */
    static final int MAX_PARAMS = 200;

    private final Graph g;
    private final ExecutionPlan plan;
    private final ValueNames names;
    private final Lowering lowering;
    private final TypeSpec.Builder type;
    private final ClassName workspace;
    private final Names methodNames;
    private final Names fieldNames;
    private final Names wsNames;
    /** Identifiers a body's parameters must not shadow: the model's fields and the methods' own names. */
    private final Set<String> reserved;

    /** Tables of the model's parameters: fields and the statements filling them (after the parameters exist). */
    final List<FieldSpec> modelTables = new ArrayList<>();
    final List<CodeBlock> modelTableInit = new ArrayList<>();
    /** Tables of the workspace's buffers: fields and the statements filling them (after the buffers exist). */
    final List<FieldSpec> wsTables = new ArrayList<>();
    final List<CodeBlock> wsTableInit = new ArrayList<>();
    private int loops;
    /** False: every step is written out straight. */
    private final boolean enabled;
    /** The parameter names of the loop methods (the emitter qualifies a type that one of them would shadow). */
    final Set<String> declared = new TreeSet<>();

    Repeats(Graph g, ExecutionPlan plan, ValueNames names, Lowering lowering, TypeSpec.Builder type,
            ClassName workspace, Names methodNames, Names fieldNames, Names wsNames, Set<String> reserved,
            boolean enabled) {
        this.enabled = enabled;
        this.g = g;
        this.plan = plan;
        this.names = names;
        this.lowering = lowering;
        this.type = type;
        this.workspace = workspace;
        this.methodNames = methodNames;
        this.fieldNames = fieldNames;
        this.wsNames = wsNames;
        this.reserved = reserved;
    }

    /** How a placeholder's array may vary between repetitions. */
    private enum Kind {
        /** A parameter's field of the model: set once. */
        PARAM,
        /** A value's field of the workspace pointing at its buffer: set once, when the workspace is made. */
        BUFFER,
        /** Anything else (an input, a view): must be the same field in every repetition. */
        FIXED,
        /** An {@code int} literal telling calls apart ({@link ValueNames.Site}): passed as an {@code int}. */
        SITE
    }

    /** Separates a shape's code from its placeholders' kinds (no Java text holds it). */
    private static final char KINDS = '\u0003';

    /** One step lowered with placeholders: its shape, and the nodes its placeholders stand for, in order. */
    private record Shape(String key, List<Object> nodes) {
    }

    /**
     * The code of the steps, one block per step or per run of repeated steps, each block with its comments
     * ({@code comments}) ahead of its statements; {@code prefix} names the loop methods ({@code forwardLoop0}).
     */
    List<CodeBlock> fold(String prefix, List<Step> steps, Function<Step, CodeBlock> comments) {
        List<CodeBlock> out = new ArrayList<>();
        if (!enabled || !anyIteration(steps)) {
            for (Step s : steps) {
                out.add(straight(s, comments));
            }
            return out;
        }
        int n = steps.size();
        int[] keys = new int[n];
        List<Shape> shapes = new ArrayList<>();
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Shape sh = shape(steps.get(i));
            shapes.add(sh);
            keys[i] = ids.computeIfAbsent(sh.key(), k -> ids.size());
        }
        int s = 0;
        while (s < n) {
            Run run = findRun(keys, steps, s);
            if (run == null) {
                out.add(straight(steps.get(s), comments));
                s++;
                continue;
            }
            CodeBlock loop = loop(prefix, run, steps, shapes, comments);
            int end = run.start + run.period * run.repeats;
            // a run that cannot be a loop is written out straight, whole (looking again inside it would be
            // quadratic in the model's size, and would find the same arrays)
            for (int i = s; i < (loop == null ? end : run.start); i++) {
                out.add(straight(steps.get(i), comments));
            }
            if (loop != null) {
                out.add(loop);
            }
            s = end;
        }
        return out;
    }

    private CodeBlock straight(Step s, Function<Step, CodeBlock> comments) {
        return CodeBlock.builder().add(comments.apply(s)).add(lowering.lower(s)).build();
    }

    private boolean anyIteration(List<Step> steps) {
        for (Step s : steps) {
            Span sp = g.spans().get(s.node());
            if (sp != null && sp.iteration() != null) {
                return true;
            }
        }
        return false;
    }

    // ---- shapes --------------------------------------------------------------------------------------------

    /** The kind of an array a step names: a value's node, or a {@link ValueNames.Fixed} field. */
    private Kind kind(Object x) {
        if (x instanceof ValueNames.Fixed f) {
            return f.inModel() ? Kind.PARAM : Kind.BUFFER;
        }
        if (x instanceof ValueNames.Site) {
            return Kind.SITE;
        }
        Node n = (Node) x;
        if (n.op() instanceof ParamOp) {
            return Kind.PARAM;
        }
        boolean buffer = names.workspaceField(n) != null && plan.bufferOf().get(n) != null
                && n.op().aliasedInput(n) < 0 && !(n.op() instanceof InputOp);
        return buffer ? Kind.BUFFER : Kind.FIXED;
    }

    private static dev.adjoint.compiler.ir.DType dtype(Object x) {
        if (x instanceof ValueNames.Site) {
            return dev.adjoint.compiler.ir.DType.I32;
        }
        return x instanceof ValueNames.Fixed f ? f.dtype() : ((Node) x).dtype();
    }

    /** The Java type of a parameter holding {@code x}: an array, or {@code int} for a site. */
    private static TypeName javaType(Object x) {
        return x instanceof ValueNames.Site ? TypeName.INT : JavaCode.array(dtype(x));
    }

    /** A name for a parameter holding {@code x}: as in the model, without an array's index (W for W[1]). */
    private String baseName(Object x) {
        if (x instanceof ValueNames.Site) {
            return "site";
        }
        if (x instanceof ValueNames.Fixed f) {
            // a running statistic's field is named after its parameter: g_1_running_mean for g[1]'s
            return f.inModel() ? f.name().replaceFirst("^\\w*?_[0-9]+_(?=[A-Za-z])", "") : f.name();
        }
        return names.label((Node) x).replaceFirst("\\[[0-9]+\\]$", "");
    }

    private Shape shape(Step s) {
        List<Object> nodes = new ArrayList<>();
        // nodes by identity (Node keeps Object's equals), fixed fields by name
        Map<Object, Integer> index = new HashMap<>();
        names.override(n -> CodeBlock.of("$L", "\u0001" + index.computeIfAbsent(n, k -> {
            nodes.add(k);
            return nodes.size() - 1;
        }) + "\u0002"));
        String code;
        try {
            code = lowering.lower(s).toString();
        } finally {
            names.override(null);
        }
        StringBuilder key = new StringBuilder(withoutComments(code));
        for (Object n : nodes) {
            Kind k = kind(n);
            key.append(KINDS).append(k).append(':').append(dtype(n));
            if (k == Kind.FIXED) {
                key.append(':').append(names.field(n));
            }
        }
        return new Shape(key.toString(), nodes);
    }

    /** Java code without its {@code //} comments (those outside string and char literals). */
    static String withoutComments(String code) {
        StringBuilder b = new StringBuilder(code.length());
        char quote = 0;
        for (int i = 0; i < code.length(); i++) {
            char c = code.charAt(i);
            if (quote != 0) {
                b.append(c);
                if (c == '\\' && i + 1 < code.length()) {
                    b.append(code.charAt(++i));
                } else if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
                b.append(c);
            } else if (c == '/' && i + 1 < code.length() && code.charAt(i + 1) == '/') {
                while (i < code.length() && code.charAt(i) != '\n') {
                    i++;
                }
                b.append('\n');
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    // ---- runs ----------------------------------------------------------------------------------------------

    /** {@code repeats} blocks of {@code period} steps from {@code start}, each with the shapes of the first. */
    record Run(int start, int period, int repeats) {
    }

    /** How many blocks of {@code period} steps from {@code start} repeat the first one's shapes. */
    static int repeats(int[] keys, int start, int period) {
        int k = 1;
        while (start + (k + 1) * period <= keys.length) {
            int b = start + k * period;
            for (int j = 0; j < period; j++) {
                if (keys[b + j] != keys[start + j]) {
                    return k;
                }
            }
            k++;
        }
        return k;
    }

    /**
     * The run to write as a loop that begins first at or after {@code from}, if one begins within a block of it:
     * the period covering the most steps from {@code from} (the shortest of those), its start moved by up to a
     * block to where the most blocks are each one iteration of the model's loop.
     */
    Run findRun(int[] keys, List<Step> steps, int from) {
        int n = keys.length;
        int bestPeriod = 0;
        int bestCover = 0;
        for (int p = 1; p <= MAX_PERIOD && from + p * MIN_REPEATS <= n; p++) {
            int k = repeats(keys, from, p);
            if (k >= MIN_REPEATS && p * k > bestCover) {
                bestCover = p * k;
                bestPeriod = p;
            }
        }
        if (bestPeriod == 0) {
            return null;
        }
        int p = bestPeriod;
        Run best = null;
        int bestAligned = -1;
        for (int d = 0; d < p; d++) {
            int k = repeats(keys, from + d, p);
            if (k < MIN_REPEATS) {
                continue;
            }
            int aligned = 0;
            for (int r = 0; r < k; r++) {
                if (oneIteration(steps, from + d + r * p, p)) {
                    aligned++;
                }
            }
            if (aligned > bestAligned) {
                bestAligned = aligned;
                best = new Run(from + d, p, k);
            }
        }
        return best;
    }

    /** Whether the block's steps were all built by one iteration of one loop (the outermost loop they share). */
    private boolean oneIteration(List<Step> steps, int start, int period) {
        Span.Iteration first = iteration(steps.get(start));
        if (first == null) {
            return false;
        }
        List<Span.Iteration> path = first.path();
        int common = path.size();
        for (int j = 1; j < period; j++) {
            Span.Iteration it = iteration(steps.get(start + j));
            if (it == null) {
                return false;
            }
            List<Span.Iteration> other = it.path();
            int c = 0;
            while (c < Math.min(common, other.size()) && path.get(c).sameLoop(other.get(c))
                    && path.get(c).index() == other.get(c).index()) {
                c++;
            }
            common = c;
            if (common == 0) {
                return false;
            }
        }
        return true;
    }

    private Span.Iteration iteration(Step s) {
        Span sp = g.spans().get(s.node());
        return sp == null ? null : sp.iteration();
    }

    // ---- the loop ------------------------------------------------------------------------------------------

    /** A parameter of a block's method: its name, its type, and the array each repetition passes. */
    private record Param(String name, TypeName type, Kind kind, List<Object> perRepetition) {
    }

    /**
     * The loop over the run's repetitions and the methods it calls, or null when the run cannot be one (an array
     * that varies but is not passed through a table, or too many of them); null adds nothing to the class.
     */
    private CodeBlock loop(String prefix, Run run, List<Step> steps, List<Shape> shapes,
            Function<Step, CodeBlock> comments) {
        int p = run.period;
        int k = run.repeats;
        // each placeholder position: the node of every repetition; positions with the same nodes share a parameter
        Map<Object, CodeBlock> bodyRefs = new HashMap<>();
        Map<List<String>, Param> params = new LinkedHashMap<>();
        Map<Object, Param> paramOf = new HashMap<>();
        Names paramNames = new Names();
        reserved.forEach(paramNames::allocate);
        paramNames.allocate("w");
        paramNames.allocate(names.workspace());
        for (int j = 0; j < p; j++) {
            Shape first = shapes.get(run.start + j);
            for (String token : identifiers(first.key())) {
                paramNames.allocate(token);
            }
        }
        for (int j = 0; j < p; j++) {
            List<Object> firstNodes = shapes.get(run.start + j).nodes();
            for (int m = 0; m < firstNodes.size(); m++) {
                Object n0 = firstNodes.get(m);
                String field0 = names.field(n0).toString();
                List<Object> across = new ArrayList<>(k);
                List<String> fields = new ArrayList<>(k);
                boolean same = true;
                for (int r = 0; r < k; r++) {
                    Object x = shapes.get(run.start + r * p + j).nodes().get(m);
                    across.add(x);
                    fields.add(names.field(x).toString());
                    same &= fields.get(r).equals(field0);
                }
                Kind kind = kind(n0);
                CodeBlock ref;
                Param param = null;
                if (same) {
                    ref = names.field(n0);
                } else {
                    if (kind == Kind.FIXED) {
                        return null; // a fixed field is part of the shape, so the same in every repetition
                    }
                    param = params.get(fields);
                    if (param == null) {
                        param = new Param(paramNames.allocate(baseName(n0)), javaType(n0), kind, across);
                        params.put(fields, param);
                        declared.add(param.name());
                    }
                    ref = CodeBlock.of("$N", param.name());
                }
                // one node of the first repetition must stand for one thing in every repetition (parameter names
                // are distinct, so the same text is the same parameter)
                CodeBlock before = bodyRefs.putIfAbsent(n0, ref);
                if (before != null && !before.toString().equals(ref.toString())) {
                    return null;
                }
                if (param != null) {
                    paramOf.put(n0, param);
                }
            }
        }
        // the arrays each method of the block takes (a method per CHUNK steps): at most MAX_PARAMS
        List<List<Param>> usedByPart = new ArrayList<>();
        for (int start = 0; start < p; start += JavaEmitter.CHUNK) {
            List<Param> used = new ArrayList<>();
            Set<Param> seen = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
            for (int j = start; j < Math.min(p, start + JavaEmitter.CHUNK); j++) {
                for (Object n0 : shapes.get(run.start + j).nodes()) {
                    Param q = paramOf.get(n0);
                    if (q != null && seen.add(q)) {
                        used.add(q);
                    }
                }
            }
            if (used.size() > MAX_PARAMS) {
                return null;
            }
            usedByPart.add(used);
        }
        int id = loops++;
        // the block's steps, lowered once with its parameters, in methods of at most CHUNK steps
        boolean aligned = true;
        for (int r = 0; r < k && aligned; r++) {
            aligned = oneIteration(steps, run.start + r * p, p); // false where a step has no iteration
        }
        Span.Iteration model = aligned ? commonLoop(steps, run) : null;
        String what = model == null ? "one repetition of " + p + (p == 1 ? " step" : " steps")
                + " that the schedule runs " + k + " times"
                : "one iteration of the loop {@code " + header(model) + "} at " + where(model.loop());
        CodeBlock.Builder calls = CodeBlock.builder();
        String index = "r"; // reserved: no field of the model is named so (JavaEmitter.LOCALS)
        List<MethodSpec> methods = new ArrayList<>();
        for (int start = 0, part = 0; start < p; start += JavaEmitter.CHUNK, part++) {
            int end = Math.min(p, start + JavaEmitter.CHUNK);
            String method = methodNames.allocate(prefix + "Loop" + id + (p > JavaEmitter.CHUNK ? "_" + part : ""));
            MethodSpec.Builder m = MethodSpec.methodBuilder(method).addModifiers(Modifier.PRIVATE)
                    .addParameter(workspace, names.workspace());
            m.addJavadoc("$L $L,\nwritten with the arrays of the first ($L); the loop in the caller passes each "
                    + "$L's own.\n", p > JavaEmitter.CHUNK ? "Steps " + (start + 1) + "-" + end + " of" : "The steps of",
                    what, firstName(model, k), model == null ? "repetition" : "iteration");
            List<Param> used = usedByPart.get(part);
            for (Param q : used) {
                m.addParameter(q.type(), q.name());
            }
            names.override(x -> {
                CodeBlock r = bodyRefs.get(x);
                if (r == null) {
                    throw new IllegalStateException("emitter: a repeated step names " + x + " once only");
                }
                return r;
            });
            try {
                for (int j = start; j < end; j++) {
                    Step s = steps.get(run.start + j);
                    m.addCode(comments.apply(s)).addCode(lowering.lower(s));
                }
            } finally {
                names.override(null);
            }
            methods.add(m.build());
            List<CodeBlock> args = new ArrayList<>();
            args.add(CodeBlock.of("$N", names.workspace()));
            for (Param q : used) {
                args.add(CodeBlock.of("$L[$N]", tableRef(id, q), index));
            }
            calls.addStatement("$N($L)", method, CodeBlock.join(args, ", "));
        }
        methods.forEach(type::addMethod);
        for (Param q : params.values()) {
            addTable(id, q);
        }
        String loopText = model == null
                ? "// " + k + " repetitions of the same " + p + (p == 1 ? " step" : " steps") + ", each on its own arrays\n"
                : "// " + where(model.loop()) + ": " + header(model) + ", " + model.var() + " = "
                        + model.index() + " to " + (model.index() + k - 1) + ", each iteration on its own arrays\n";
        return CodeBlock.builder().add("$L", loopText)
                .beginControlFlow("for (int $N = 0; $N < $L; $N++)", index, index, k, index)
                .add(calls.build())
                .endControlFlow().build();
    }

    /** The model loop whose iterations the run's blocks are, with the first block's iteration of it. */
    private Span.Iteration commonLoop(List<Step> steps, Run run) {
        // the deepest loop every step of the first block shares, and whose index goes up by one per block
        List<Span.Iteration> path = iteration(steps.get(run.start)).path();
        for (int level = path.size() - 1; level >= 0; level--) {
            Span.Iteration it = path.get(level);
            boolean ok = true;
            for (int j = 0; j < run.period && ok; j++) {
                List<Span.Iteration> other = iteration(steps.get(run.start + j)).path();
                ok = other.size() > level && other.get(level).sameLoop(it) && other.get(level).index() == it.index();
            }
            for (int r = 1; r < run.repeats && ok; r++) {
                List<Span.Iteration> other = iteration(steps.get(run.start + r * run.period)).path();
                ok = other.size() > level && other.get(level).sameLoop(it) && other.get(level).index() == it.index() + r;
            }
            if (ok) {
                return it;
            }
        }
        return null;
    }

    private static String firstName(Span.Iteration model, int k) {
        return model == null ? "repetition 0 of " + k : model.var() + " = " + model.index();
    }

    /** The loop's header as written ({@code for i in 0..L}), on one line; {@code for i in ...} if unreadable. */
    static String header(Span.Iteration it) {
        Span loop = it.loop();
        String text = loop.file().text();
        int brace = text.indexOf('{', loop.start());
        if (loop.start() < 0 || brace < 0 || brace > loop.end() || brace - loop.start() > 200) {
            return "for " + it.var() + " in ...";
        }
        return text.substring(loop.start(), brace).replaceAll("\\s+", " ").strip()
                .replace("*/", "* /");
    }

    private static String where(Span loop) {
        return loop.file().name() + ":" + loop.line();
    }

    private String tableName(int id, Param q) {
        return "loop" + id + "_" + q.name();
    }

    private final Map<Param, String> tables = new IdentityHashMap<>();

    private CodeBlock tableRef(int id, Param q) {
        String f = tables.computeIfAbsent(q, x -> inModel(q) ? fieldNames.allocate(tableName(id, q))
                : wsNames.allocate(tableName(id, q)));
        return inModel(q) ? CodeBlock.of("$N", f) : CodeBlock.of("$N.$N", names.workspace(), f);
    }

    /** Whether a parameter's table is a field of the model (parameters, running statistics, sites), else of the workspace. */
    private static boolean inModel(Param q) {
        return q.kind() != Kind.BUFFER;
    }

    /**
     * The most arrays one statement puts into a table: the statements are split into methods of
     * {@link JavaEmitter#CHUNK}, each then well under the JIT's 8,000 bytes of bytecode (about 9 bytes an array).
     */
    static final int TABLE_PART = 16;

    /** The table of one parameter's arrays: a field, filled once the arrays exist, {@link #TABLE_PART} at a time. */
    private void addTable(int id, Param q) {
        tableRef(id, q);
        String f = tables.get(q);
        TypeName t = ArrayTypeName.of(q.type());
        FieldSpec field = FieldSpec.builder(t, f, inModel(q) ? new Modifier[] {Modifier.PRIVATE}
                : new Modifier[0]).build();
        List<CodeBlock> init = inModel(q) ? modelTableInit : wsTableInit;
        (inModel(q) ? modelTables : wsTables).add(field);
        List<CodeBlock> refs = new ArrayList<>();
        for (Object x : q.perRepetition()) {
            String r = names.field(x).toString();
            refs.add(CodeBlock.of("$L", inModel(q) ? r : r.substring(names.workspace().length() + 1)));
        }
        int total = refs.size();
        if (total <= TABLE_PART) {
            init.add(CodeBlock.of("$N = new $T {$L};\n", f, t, CodeBlock.join(refs, ", ")));
            return;
        }
        init.add(q.type() instanceof ArrayTypeName a
                ? CodeBlock.of("$N = new $T[$L][];\n", f, a.componentType(), total)
                : CodeBlock.of("$N = new $T[$L];\n", f, q.type(), total));
        for (int at = 0; at < total; at += TABLE_PART) {
            int to = Math.min(total, at + TABLE_PART);
            init.add(CodeBlock.of("$T.arraycopy(new $T {$L}, 0, $N, $L, $L);\n", System.class, t,
                    CodeBlock.join(refs.subList(at, to), ", "), f, at, to - at));
        }
    }

    /** The identifiers in a shape's code (so that no parameter shadows a local or a type it names). */
    private static Set<String> identifiers(String key) {
        Set<String> out = new TreeSet<>();
        int i = 0;
        int bar = key.indexOf(KINDS);
        String code = bar < 0 ? key : key.substring(0, bar);
        while (i < code.length()) {
            char c = code.charAt(i);
            if (Character.isJavaIdentifierStart(c)) {
                int j = i + 1;
                while (j < code.length() && Character.isJavaIdentifierPart(code.charAt(j)) && code.charAt(j) > 2) {
                    j++;
                }
                out.add(code.substring(i, j));
                i = j;
            } else {
                i++;
            }
        }
        return out;
    }
}
