package dev.adjoint.compiler.emit;

import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.TypeName;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ops.BinaryFn;
import dev.adjoint.compiler.ops.BinaryOp;
import dev.adjoint.compiler.ops.CompareFn;
import dev.adjoint.compiler.ops.CompareOp;
import dev.adjoint.compiler.ops.ConstantOp;
import dev.adjoint.compiler.ops.ElementwiseOp;
import dev.adjoint.compiler.ops.InputOp;
import dev.adjoint.compiler.ops.PadOp;
import dev.adjoint.compiler.ops.ParamOp;
import dev.adjoint.compiler.ops.ReduceFn;
import dev.adjoint.compiler.ops.ReduceOp;
import dev.adjoint.compiler.ops.SliceOp;
import dev.adjoint.compiler.ops.UnaryOp;
import dev.adjoint.compiler.ops.WhereOp;
import dev.adjoint.compiler.plan.ExecutionPlan;
import dev.adjoint.compiler.plan.ExecutionPlan.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * The Java of each step of the plan, and the one {@link LoweringContext} the ops' lowerings see. Values are read
 * from the per-instance workspace {@code w} (buffers allocated once per binding of the dims) and parameters from
 * the model's fields; nothing is allocated per call: shape arrays, constant {@code int[]}s and arrays of arrays
 * are fields made once ({@link #workspaceFields}, {@link #classFields}).
 *
 * <p>A {@code LOOP} step is one loop computing a value and every elementwise value fused into it, as one nested
 * expression of the ops' own Java expressions; a {@code REDUCTION} step sums (or takes the mean or maximum of)
 * such an expression in one loop nest, with operands of other shapes read by index where they broadcast
 * ({@link LoopNest}).
 */
final class Lowering implements LoweringContext {
    private final ExecutionPlan plan;
    private final ValueNames names;
    private final Names wsNames;
    private final Names classNames;
    /** Workspace {@code int[]} fields by their sizes, and their initializers. */
    private final Map<List<Dim>, String> dimArrays = new LinkedHashMap<>();
    private final Map<List<List<Dim>>, String> dimTables = new LinkedHashMap<>();
    private final Map<List<Long>, String> constInts = new LinkedHashMap<>();
    private final Map<Node, String> partArrays = new IdentityHashMap<>();
    private final List<CodeBlock> prelude = new ArrayList<>();
    /** The values of a reduction's {@link Step#stores()}: the local each element is computed into, while emitted. */
    private final Map<Node, CodeBlock> locals = new IdentityHashMap<>();
    /** The model's fields of the training-mode machinery, or null for a model whose ops all ignore the mode. */
    private final TrainingFields training;

    /**
     * The fields of the model class that mode-dependent ops read ({@link dev.adjoint.compiler.ir.Op#modeDependent}):
     * the call's mode, whether it is a training step, the dropout seed and step, and each state by name.
     */
    record TrainingFields(String mode, String update, String seed, String step, Map<String, String> states) {
    }

    /**
     * @param wsNames allocator of the workspace's fields (shape arrays), shared with its value fields
     * @param classNames allocator of the model class's fields (constant {@code int[]}s), shared with its params
     * @param training the fields mode-dependent ops read, or null when the model has none
     */
    Lowering(ExecutionPlan plan, ValueNames names, Names wsNames, Names classNames, TrainingFields training) {
        this.plan = plan;
        this.training = training;
        this.names = names;
        this.wsNames = wsNames;
        this.classNames = classNames;
    }

    // ---- LoweringContext ----------------------------------------------------------------------------------

    @Override
    public CodeBlock ref(Node n) {
        return names.ref(n);
    }

    @Override
    public CodeBlock dim(Dim d) {
        return dim(d, CodeBlock.of("$N.", names.workspace()));
    }

    /** {@code d} in terms of the workspace's dim fields read through {@code prefix} ({@code w.} or nothing). */
    CodeBlock dim(Dim d, CodeBlock prefix) {
        List<CodeBlock> factors = new ArrayList<>();
        if (d.coefficient() != 1 || d.symbols().isEmpty()) {
            factors.add(CodeBlock.of("$L", d.coefficient()));
        }
        for (String s : d.symbols()) {
            factors.add(CodeBlock.of("$L$N", prefix, names.dimFields().get(s)));
        }
        return CodeBlock.join(factors, " * ");
    }

    @Override
    public CodeBlock shapeList(Shape s) {
        List<CodeBlock> parts = new ArrayList<>();
        for (Dim d : s.dims()) {
            parts.add(dim(d));
        }
        return CodeBlock.join(parts, ", ");
    }

    @Override
    public CodeBlock scratch(Node y, String purpose) {
        ExecutionPlan.Buffer b = plan.scratch().get(y).get(purpose);
        return names.fixed(new ValueNames.Fixed(names.buffer(b), false, b.dtype()));
    }

    @Override
    public CodeBlock dims(List<Dim> dims) {
        String f = dimArrays.computeIfAbsent(List.copyOf(dims), k -> wsNames.allocate("dims" + dimArrays.size()));
        return CodeBlock.of("$N.$N", names.workspace(), f);
    }

    @Override
    public CodeBlock dimsTable(List<List<Dim>> rows) {
        List<List<Dim>> key = new ArrayList<>();
        rows.forEach(r -> key.add(List.copyOf(r)));
        String f = dimTables.computeIfAbsent(key, k -> wsNames.allocate("table" + dimTables.size()));
        return CodeBlock.of("$N.$N", names.workspace(), f);
    }

    @Override
    public CodeBlock ints(List<? extends Number> values) {
        List<Long> key = new ArrayList<>();
        values.forEach(v -> key.add(v.longValue()));
        String f = constInts.computeIfAbsent(key, k -> classNames.allocate("INTS_" + constInts.size()));
        return CodeBlock.of("$N", f);
    }

    @Override
    public CodeBlock arrays(Node y, List<Node> parts) {
        String f = partArrays.computeIfAbsent(y, k -> wsNames.allocate("parts" + partArrays.size()));
        for (int i = 0; i < parts.size(); i++) {
            prelude.add(CodeBlock.of("$N.$N[$L] = $L;\n", names.workspace(), f, i, ref(parts.get(i))));
        }
        return CodeBlock.of("$N.$N", names.workspace(), f);
    }

    @Override
    public CodeBlock mode() {
        return CodeBlock.of("$N", training().mode());
    }

    @Override
    public CodeBlock updating() {
        return CodeBlock.of("$N", training().update());
    }

    @Override
    public CodeBlock state(Node y, String name) {
        String f = training().states().get(name);
        for (dev.adjoint.compiler.ir.Op.State st : y.op().state(y)) {
            if (f != null && st.name().equals(name)) {
                return names.fixed(new ValueNames.Fixed(f, true, st.dtype()));
            }
        }
        throw new IllegalStateException("emitter: " + y + " declares no state " + name);
    }

    @Override
    public CodeBlock noiseSeed() {
        return CodeBlock.of("$N", training().seed());
    }

    @Override
    public CodeBlock site(int value) {
        return names.fixed(new ValueNames.Site(value));
    }

    @Override
    public CodeBlock trainingStep() {
        return CodeBlock.of("$N", training().step());
    }

    private TrainingFields training() {
        if (training == null) {
            throw new IllegalStateException("emitter: an op reads the mode but does not say so (Op.modeDependent)");
        }
        return training;
    }

    // ---- fields made once --------------------------------------------------------------------------------

    /** The constant {@code int[]}s, as {@code private static final} fields of the model class. */
    List<FieldSpec> classFields() {
        List<FieldSpec> out = new ArrayList<>();
        constInts.forEach((values, f) -> {
            List<CodeBlock> v = new ArrayList<>();
            values.forEach(x -> v.add(CodeBlock.of("$L", x)));
            out.add(FieldSpec.builder(int[].class, f, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                    .initializer("{$L}", CodeBlock.join(v, ", ")).build());
        });
        return out;
    }

    /** The workspace's shape arrays and arrays of arrays: field declarations and their initialization. */
    void workspaceFields(List<FieldSpec> fields, List<CodeBlock> init) {
        CodeBlock none = CodeBlock.of("");
        dimArrays.forEach((dims, f) -> {
            fields.add(FieldSpec.builder(int[].class, f).build());
            List<CodeBlock> v = new ArrayList<>();
            dims.forEach(d -> v.add(dim(d, none)));
            init.add(CodeBlock.of("$N = new int[] {$L};\n", f, CodeBlock.join(v, ", ")));
        });
        dimTables.forEach((rows, f) -> {
            fields.add(FieldSpec.builder(int[][].class, f).build());
            List<CodeBlock> r = new ArrayList<>();
            for (List<Dim> row : rows) {
                List<CodeBlock> v = new ArrayList<>();
                row.forEach(d -> v.add(dim(d, none)));
                r.add(CodeBlock.of("{$L}", CodeBlock.join(v, ", ")));
            }
            init.add(CodeBlock.of("$N = new int[][] {$L};\n", f, CodeBlock.join(r, ", ")));
        });
        partArrays.forEach((y, f) -> {
            TypeName elem = JavaCode.elem(y.dtype());
            fields.add(FieldSpec.builder(ArrayTypeName.of(ArrayTypeName.of(elem)), f).build());
            init.add(CodeBlock.of("$N = new $T[$L][];\n", f, elem, y.inputs().size()));
        });
    }

    // ---- steps ---------------------------------------------------------------------------------------------

    /** The statements of one step (no comments). */
    CodeBlock lower(Step s) {
        Node n = s.node();
        switch (s.kind()) {
            case ALIAS:
                Node source = n.input(n.op().aliasedInput(n));
                return CodeBlock.of("$L = $L;  // $L: same data\n", ref(n), ref(source), n.op().name());
            case LOOP:
                return loop(s);
            case REDUCTION:
                return reduction(s);
            default:
                prelude.clear();
                CodeBlock body = n.op().lower(this, n);
                CodeBlock.Builder out = CodeBlock.builder();
                prelude.forEach(out::add);
                prelude.clear();
                return out.add(body).build();
        }
    }

    /**
     * The non-constant, multi-element values {@code v} stands for: itself when it is stored (or a slice read in
     * place), else (fused) the values its expression reads.
     */
    private List<Node> leavesOf(Node v, Set<Node> inside) {
        List<Node> out = new ArrayList<>();
        if (inside.contains(v)) {
            return leaves(v, inside, out);
        }
        if (!isLiteral(v) && !v.shape().numel().isOne()) {
            out.add(v);
        }
        return out;
    }

    /** The non-constant, multi-element values the fused expression of {@code s} reads, in first-read order. */
    private List<Node> leaves(Node n, Set<Node> inside, List<Node> out) {
        for (Node in : n.inputs()) {
            if (inside.contains(in)) {
                leaves(in, inside, out);
            } else if (!isLiteral(in) && !in.shape().numel().isOne() && !out.contains(in)) {
                out.add(in);
            }
        }
        return out;
    }

    private boolean isLiteral(Node n) {
        return n.op() instanceof ConstantOp && plan.inlined().contains(n);
    }

    /** A slice the plan reads in place, at an offset in its source, instead of copying it out. */
    private boolean isView(Node n) {
        return n.op() instanceof SliceOp && plan.inlined().contains(n);
    }

    /** How a loop over {@code iteration} reads {@code leaf}: contiguously, or a slice in place in its source. */
    private LoopNest.Access access(Shape iteration, Node leaf) {
        if (isView(leaf)) {
            return own(leaf).broadcast(iteration, leaf.shape());
        }
        return LoopNest.Access.contiguous(iteration, leaf.shape());
    }

    /** Where the elements of {@code n} are in {@link #array}{@code (n)}, over {@code n}'s own axes. */
    private LoopNest.Access own(Node n) {
        if (!isView(n)) {
            return LoopNest.Access.layout(n.shape());
        }
        SliceOp s = (SliceOp) n.op();
        return own(n.input(0)).sliced(s.axes(), s.starts(), s.steps());
    }

    private List<LoopNest.Access> accesses(Shape iteration, List<Node> leaves) {
        List<LoopNest.Access> out = new ArrayList<>();
        leaves.forEach(l -> out.add(access(iteration, l)));
        return out;
    }

    /** The array a stored value or an in-place slice is read from. */
    private CodeBlock array(Node n) {
        Node source = n;
        while (isView(source)) {
            source = source.input(0);                       // a slice of a slice read in place
        }
        return ref(source);
    }

    /**
     * One element of {@code v} as an operand: its fused expression, a literal, its one element, or its element at
     * {@code index.get(v)}.
     */
    private CodeBlock operand(Node v, Set<Node> inside, Map<Node, CodeBlock> index, boolean parenthesize) {
        CodeBlock local = locals.get(v);
        if (local != null) {
            return local;
        }
        if (inside.contains(v)) {
            CodeBlock e = element(v, inside, index);
            return parenthesize ? CodeBlock.of("($L)", e) : e;
        }
        if (isLiteral(v)) {
            ConstantOp c = (ConstantOp) v.op();
            CodeBlock lit = JavaCode.literal(c.value(), v.dtype());
            return c.value() < 0 && parenthesize ? CodeBlock.of("($L)", lit) : lit;
        }
        if (v.shape().numel().isOne()) {
            if (isView(v)) {
                List<CodeBlock> terms = new ArrayList<>();
                own(v).offset().forEach(d -> terms.add(dim(d)));
                return CodeBlock.of("$L[$L]", array(v), terms.isEmpty() ? CodeBlock.of("0")
                        : CodeBlock.join(terms, " + "));
            }
            return CodeBlock.of("$L[0]", ref(v));
        }
        return CodeBlock.of("$L[$L]", array(v), index.get(v));
    }

    /**
     * One element of {@code n}: its op's Java expression over its operands, each itself an expression (fused), a
     * literal, {@code x[0]}, or {@code x[index]}; every fused sub-expression parenthesized, and computed exactly as
     * the unfused ops would (an f32 result of a {@code Math} function cast back at once).
     */
    private CodeBlock element(Node n, Set<Node> inside, Map<Node, CodeBlock> index) {
        List<CodeBlock> args = new ArrayList<>();
        for (Node in : n.inputs()) {
            args.add(operand(in, inside, index, true));
        }
        JavaExpr e = ((ElementwiseOp) n.op()).java(n, args);
        return e.wide() && n.dtype() == DType.F32 ? CodeBlock.of("(float) $L", e.code()) : e.code();
    }

    private Set<Node> inside(Step s, boolean withNode) {
        Set<Node> inside = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        inside.addAll(s.fused());
        if (withNode) {
            inside.add(s.node());
        }
        return inside;
    }

    private CodeBlock loop(Step s) {
        Node n = s.node();
        if (n.op() instanceof PadOp) {
            return padLoop(s);
        }
        if (accumulates(n, inside(s, false))) {
            return accumulateLoop(s);
        }
        if (hasArrayKernel(n)) {
            return arrayKernelLoop(s);
        }
        if (isPositiveMask(s)) {
            return CodeBlock.of("$T.wherePositive($L, $L, $L);  // vectorized\n", JavaCode.rt("ArrayMath"),
                    ref(n.input(0).input(0)), ref(n.input(1)), ref(n));
        }
        return elementLoop(n, n, inside(s, true));
    }

    /**
     * {@code where(x > 0, a, 0)} with {@code x} and {@code a} stored values of the output's shape and type, and only
     * the comparison fused: relu's backward mask, which {@code ArrayMath.wherePositive} computes with the Vector API
     * (C2 compiles the loop's {@code FastMath.where} to a scalar conditional move per element), same bits.
     */
    private boolean isPositiveMask(Step s) {
        return s.fused().size() == 1 && isPositiveMask(s.node(), inside(s, false));
    }

    /**
     * Whether {@code n} is {@code where(x > 0, a, 0)} as {@link #isPositiveMask(Step)} takes it, with {@code inside}
     * the nodes computed in its loop (the comparison among them, nothing else but {@code n}).
     */
    private boolean isPositiveMask(Node n, Set<Node> inside) {
        if (!(n.op() instanceof WhereOp) || !n.dtype().isFloat() || n.shape().numel().isOne()) {
            return false;
        }
        Node mask = n.input(0);
        for (Node v : inside) {
            if (v != mask && v != n) {
                return false;
            }
        }
        return inside.contains(mask) && mask.op() instanceof CompareOp c && c.fn() == CompareFn.GT
                && isWhole(mask.input(0), n, inside) && isPositiveZero(mask.input(1))
                && isWhole(n.input(1), n, inside) && isPositiveZero(n.input(2));
    }

    /** A stored value (not fused, not a slice read in place) with {@code out}'s shape and element type. */
    private boolean isWhole(Node v, Node out, Set<Node> inside) {
        return !inside.contains(v) && !isView(v) && !isLiteral(v) && v.dtype() == out.dtype()
                && v.shape().equals(out.shape());
    }

    /** The literal {@code +0} (not {@code -0}: a masked element gets exactly this value). */
    private boolean isPositiveZero(Node v) {
        return isLiteral(v) && Double.doubleToRawLongBits(((ConstantOp) v.op()).value()) == 0;
    }

    /** An {@code add} with a padded operand computed inside its loop (directly, or through an inner such add). */
    private static boolean accumulates(Node n, Set<Node> inside) {
        if (!(n.op() instanceof BinaryOp b) || b.fn() != BinaryFn.ADD) {
            return false;
        }
        for (Node in : n.inputs()) {
            if (inside.contains(in) && (in.op() instanceof PadOp || accumulates(in, inside))) {
                return true;
            }
        }
        return false;
    }

    /**
     * A pad: the buffer set to zero, then one loop over the input's shape writing each element of the input (its
     * fused expression, or the stored value, or a slice read in place) into the region it fills.
     */
    private CodeBlock padLoop(Step s) {
        Node n = s.node();
        CodeBlock.Builder code = CodeBlock.builder()
                .addStatement("$T.fill($L, $L)", Arrays.class, ref(n), JavaCode.literal(0, n.dtype()));
        return code.add(padInto(n, n, inside(s, false), "=")).build();
    }

    /** The loop writing pad {@code p}'s input into its region of {@code out}'s buffer with {@code assign}. */
    private CodeBlock padInto(Node out, Node p, Set<Node> inside, String assign) {
        PadOp pad = (PadOp) p.op();
        Node value = p.input(0);
        Shape iteration = value.shape();
        LoopNest.Access target = LoopNest.Access.window(iteration, pad.to(), iteration, pad.axes(), pad.starts(),
                pad.steps());
        return storeLoop(out, iteration, target, value, inside, assign);
    }

    /**
     * A sum of padded values (and others): the buffer set to zero, then each term added into it in the order the
     * sum adds them, a padded one only over the region it fills: the adjoint of a value read through several
     * slices, with no padded copy. Each element gets the value of the sum (only the sign of a zero can differ:
     * {@code 0 + -0.0} is {@code 0}).
     */
    private CodeBlock accumulateLoop(Step s) {
        Node n = s.node();
        Set<Node> inside = inside(s, false);
        List<Node> terms = new ArrayList<>();
        addTerms(n, inside, terms);
        CodeBlock.Builder code = CodeBlock.builder()
                .addStatement("$T.fill($L, $L)", Arrays.class, ref(n), JavaCode.literal(0, n.dtype()));
        for (Node t : terms) {
            if (inside.contains(t) && t.op() instanceof PadOp) {
                code.add(padInto(n, t, inside, "+="));
            } else {
                code.add(storeLoop(n, n.shape(), LoopNest.Access.contiguous(n.shape(), n.shape()), t, inside, "+="));
            }
        }
        return code.build();
    }

    private static void addTerms(Node n, Set<Node> inside, List<Node> out) {
        for (Node in : n.inputs()) {
            if (inside.contains(in) && accumulates(in, inside)) {
                addTerms(in, inside, out);
            } else {
                out.add(in);
            }
        }
    }

    /**
     * One loop nest over {@code iteration} storing ({@code =}) or adding ({@code +=}) each element of {@code value}
     * (fused, stored, in place or a literal) into {@code out}'s buffer through {@code target}.
     */
    private CodeBlock storeLoop(Node out, Shape iteration, LoopNest.Access target, Node value, Set<Node> inside,
            String assign) {
        List<Node> leaves = leavesOf(value, inside);
        if (iteration.numel().isOne() && target.offset().isEmpty()) {
            return CodeBlock.of("$L[0] $L $L;\n", ref(out), assign, operand(value, inside, Map.of(), false));
        }
        LoopNest loops = new LoopNest(iteration, target, accesses(iteration, leaves));
        return loops.emit(this, idx -> CodeBlock.of("$L[$L] $L $L;\n", ref(out), idx.get(0), assign,
                operand(value, inside, indexOf(leaves, idx), false)));
    }

    /**
     * The loop (flat, or nested over broadcast operands) that stores each element of {@code value}'s fused
     * expression into {@code out}'s buffer, which has {@code out}'s shape.
     */
    private CodeBlock elementLoop(Node out, Node value, Set<Node> inside) {
        if (!inside.contains(value)) {
            return storeLoop(out, out.shape(), LoopNest.Access.contiguous(out.shape(), out.shape()), value, inside,
                    "=");
        }
        List<Node> leaves = leaves(value, inside, new ArrayList<>());
        if (out.shape().numel().isOne()) {
            return CodeBlock.of("$L[0] = $L;\n", ref(out), element(value, inside, Map.of()));
        }
        LoopNest loops = new LoopNest(out.shape(), LoopNest.Access.contiguous(out.shape(), out.shape()),
                accesses(out.shape(), leaves));
        if (loops.isFlat()) {
            Map<Node, CodeBlock> index = new IdentityHashMap<>();
            leaves.forEach(l -> index.put(l, CodeBlock.of("i")));
            return CodeBlock.builder().beginControlFlow("for (int i = 0; i < $L.length; i++)", ref(out))
                    .addStatement("$L[i] = $L", ref(out), element(value, inside, index)).endControlFlow().build();
        }
        CodeBlock rows = broadcastRowsLoop(out, value, inside, leaves);
        if (rows != null) {
            return rows;
        }
        // Operands with one element for the whole innermost loop are read into locals before it: read in the loop,
        // C2 must reload them after every store to the output (they might be in its array) and leaves it scalar.
        ExecutionPlan.Buffer target = plan.bufferOf().get(out);
        List<Integer> hoisted = new ArrayList<>();
        for (int k = 0; k < leaves.size() && loops.isNested() && target != null; k++) {
            if (!loops.runsInnermost(k) && apart(leaves.get(k), target)) {
                hoisted.add(k);
            }
        }
        if (hoisted.isEmpty()) {
            return loops.emit(this, idx -> CodeBlock.of("$L[$L] = $L;\n", ref(out), idx.get(0),
                    element(value, inside, indexOf(leaves, idx))));
        }
        return loops.emit(this, idx -> {
            CodeBlock.Builder read = CodeBlock.builder();
            for (int k : hoisted) {
                Node l = leaves.get(k);
                CodeBlock local = CodeBlock.of("v$L", k);
                read.addStatement("$T $L = $L[$L]", JavaCode.elem(l.dtype()), local, array(l), idx.get(k + 1));
                locals.put(l, local);
            }
            return read.build();
        }, idx -> {
            CodeBlock e = element(value, inside, indexOf(leaves, idx));
            hoisted.forEach(k -> locals.remove(leaves.get(k)));
            return CodeBlock.of("$L[$L] = $L;\n", ref(out), idx.get(0), e);
        }, null);
    }

    /**
     * The loop of an expression whose one operand of another shape is a row repeated along the leading axes (a bias
     * {@code [N]} added to {@code [B, N]}): the row is first copied into every row of the output
     * ({@code Broadcast.rows}), then one flat loop reads it back from there. C2 (JDK 17) vectorizes that loop, and
     * not a nest that reads {@code b[j]} beside {@code y[o + j]} (4–5× slower per element). Null where it does not
     * apply: integers, two such operands, an operand broadcast otherwise, a slice read in place, or an operand in
     * the output's buffer.
     */
    private CodeBlock broadcastRowsLoop(Node out, Node value, Set<Node> inside, List<Node> leaves) {
        if (!out.dtype().isFloat()) {
            return null;
        }
        ExecutionPlan.Buffer target = plan.bufferOf().get(out);
        if (target == null) {
            return null;
        }
        Node row = null;
        for (Node l : leaves) {
            if (isView(l) || !apart(l, target)) {
                return null;
            }
            if (l.shape().equals(out.shape())) {
                continue;
            }
            if (row != null || l.dtype() != out.dtype() || !isLeadingBroadcast(l.shape(), out.shape())) {
                return null;
            }
            row = l;
        }
        if (row == null) {
            return null;
        }
        Map<Node, CodeBlock> index = new IdentityHashMap<>();
        leaves.forEach(l -> index.put(l, CodeBlock.of("i")));
        locals.put(row, CodeBlock.of("$L[i]", ref(out)));
        CodeBlock e;
        try {
            e = element(value, inside, index);
        } finally {
            locals.remove(row);
        }
        return CodeBlock.builder()
                .add("$T.rows($L, $L, $L, $L);  // every row of $L starts as $L, read back below\n", rt("Broadcast"),
                        ref(row), dim(row.shape().numel()), ref(out), dim(out.shape().numel()), names.label(out),
                        names.label(row))
                .beginControlFlow("for (int i = 0; i < $L.length; i++)", ref(out))
                .addStatement("$L[i] = $L", ref(out), e).endControlFlow().build();
    }

    /** Whether {@code n} is certainly not in {@code buffer}: a parameter, an input, or a value in another buffer. */
    private boolean apart(Node n, ExecutionPlan.Buffer buffer) {
        if (n.op() instanceof ParamOp || n.op() instanceof InputOp) {
            return true;
        }
        ExecutionPlan.Buffer b = plan.bufferOf().get(n);
        return b != null && !b.equals(buffer);
    }

    /** Whether {@code s}, without its leading 1s, is the last axes of {@code of} (and fewer of them). */
    private static boolean isLeadingBroadcast(Shape s, Shape of) {
        int first = 0;
        while (first < s.rank() && s.dim(first).isOne()) {
            first++;
        }
        int k = s.rank() - first;
        if (k == 0 || k >= of.rank()) {
            return false;
        }
        for (int a = 0; a < k; a++) {
            if (!s.dim(first + a).equals(of.dim(of.rank() - k + a))) {
                return false;
            }
        }
        return true;
    }

    /** A multi-element {@code exp}, {@code log}, {@code tanh} or {@code sigmoid} in floating point. */
    private static boolean hasArrayKernel(Node n) {
        return n.op() instanceof UnaryOp u && u.fn().hasArrayKernel() && n.dtype() != DType.I32
                && !n.shape().numel().isOne();
    }

    /**
     * A loop whose last op is {@code exp}, {@code log}, {@code tanh} or {@code sigmoid}: the loop computes the
     * function's argument into the output, then {@code ArrayMath} applies the function over the whole array in
     * place, vectorized (the Vector API's lanes, where a scalar call per element cannot be). Each element gets
     * exactly the bits the fused {@code FastMath} call would give it. An argument that is a stored value needs no
     * loop.
     */
    private CodeBlock arrayKernelLoop(Step s) {
        Node n = s.node();
        Node arg = n.input(0);
        String fn = ((UnaryOp) n.op()).fn().text();
        Set<Node> inside = inside(s, false);
        CodeBlock.Builder code = CodeBlock.builder();
        if (!inside.contains(arg) && !isView(arg)) {
            return code.addStatement("$T.$L($L, $L)", JavaCode.rt("ArrayMath"), fn, ref(arg), ref(n)).build();
        }
        code.add(elementLoop(n, arg, inside));
        return code.add("$T.$L($L, $L);  // in place, vectorized\n", JavaCode.rt("ArrayMath"), fn, ref(n), ref(n))
                .build();
    }

    private static Map<Node, CodeBlock> indexOf(List<Node> leaves, List<CodeBlock> idx) {
        Map<Node, CodeBlock> index = new IdentityHashMap<>();
        for (int k = 0; k < leaves.size(); k++) {
            index.put(leaves.get(k), idx.get(k + 1));
        }
        return index;
    }

    /**
     * {@code sum}, {@code mean} or {@code max} of an expression over some axes: the output set to 0 (or -inf),
     * then one loop nest over the input's shape adding each element into its output element (the output read by
     * index as if broadcast back). Where the innermost loop runs along a reduced axis, its sum is kept in a
     * {@code double} and added once. A mean divides at the end.
     */
    private CodeBlock reduction(Step s) {
        Node n = s.node();
        ReduceOp r = (ReduceOp) n.op();
        Node x = n.input(0);
        Set<Node> inside = inside(s, false);
        inside.addAll(s.stores());
        List<Node> leaves = new ArrayList<>();
        leaves.addAll(leavesOf(x, inside));
        for (Node v : s.stores()) {
            for (Node l : leavesOf(v, inside)) {
                if (!leaves.contains(l)) {
                    leaves.add(l);
                }
            }
        }
        List<LoopNest.Access> reads = accesses(x.shape(), leaves);
        List<Dim> kept = new ArrayList<>(x.shape().dims());
        for (int a : r.axes()) {
            kept.set(a, Dim.of(1));
        }
        reads.add(LoopNest.Access.contiguous(x.shape(), new Shape(kept)));
        int out = reads.size() - 1;
        List<Shape> shapes = new ArrayList<>();                // the operands of the plan that copies slices out
        leavesOf(x, inside(s, false)).forEach(l -> shapes.add(l.shape()));
        shapes.add(new Shape(kept));
        LoopNest loops = new LoopNest(x.shape(), LoopNest.Access.contiguous(x.shape(), x.shape()), reads)
                .spanning(new LoopNest(x.shape(), shapes));
        DType t = n.dtype();
        boolean max = r.fn() == ReduceFn.MAX;
        // one block: the step's locals (the accumulator) stay out of the next step's way
        CodeBlock init = max ? (t == DType.I32 ? CodeBlock.of("$T.MIN_VALUE", Integer.class)
                : JavaCode.literal(Double.NEGATIVE_INFINITY, t)) : JavaCode.literal(0, t);
        CodeBlock.Builder code = CodeBlock.builder().add("{\n$>")
                .addStatement("$T.fill($L, $L)", Arrays.class, ref(n), init);
        boolean inner = !max && t.isFloat() && !loops.runsInnermost(out);
        CodeBlock result = ref(n);
        if (!max && !inner && t.isFloat() && s.stores().isEmpty() && leadingAxes(r.axes(), x.shape().rank())
                && isWhole(x, x, inside) && x.dtype() == t) {
            Dim rows = Dim.of(1);
            Dim cols = Dim.of(1);
            for (int a = 0; a < x.shape().rank(); a++) {
                if (a < r.axes().size()) {
                    rows = rows.times(x.shape().dim(a));
                } else {
                    cols = cols.times(x.shape().dim(a));
                }
            }
            // the sums over the leading axes of a stored value (a bias gradient): the same additions, in the same
            // order, as the loop nest below, in a loop that C2 vectorizes
            return mean(CodeBlock.builder().addStatement("$T.columnSums($L, $L, $L, $L)", JavaCode.rt("ArrayMath"),
                    ref(x), dim(rows), dim(cols), result), n, r, x).build();
        }
        if (inner && x.dtype() == t && allButAxisOne(r.axes(), x.shape().rank())) {
            // the sums over every axis but the channels (a convolution's bias gradient), of a stored value or of relu's
            // backward mask stored on the way: the mask by the vectorized kernel, then the same additions, in the same
            // order, as the loop nest below, by a kernel that adds four channels' runs side by side (their chains of
            // additions overlap instead of each waiting for the one before)
            CodeBlock mask = null;
            if (s.stores().equals(List.of(x)) && isPositiveMask(x, inside)) {
                mask = CodeBlock.of("$T.wherePositive($L, $L, $L);  // vectorized\n", JavaCode.rt("ArrayMath"),
                        ref(x.input(0).input(0)), ref(x.input(1)), ref(x));
            }
            if (mask != null || s.stores().isEmpty() && isWhole(x, x, inside)) {
                Dim runs = Dim.of(1);
                for (int a = 2; a < x.shape().rank(); a++) {
                    runs = runs.times(x.shape().dim(a));
                }
                CodeBlock.Builder sums = CodeBlock.builder().add(mask == null ? CodeBlock.of("") : mask)
                        .addStatement("$T.channelSums($L, $L, $L, $L, $L)", JavaCode.rt("ArrayMath"), ref(x),
                                dim(x.shape().dim(0)), dim(x.shape().dim(1)), dim(runs), result);
                return mean(sums, n, r, x).build();
            }
        }
        code.add(loops.emit(this,
                inner ? idx -> CodeBlock.of("double s = 0;\n") : null,
                idx -> {
                    CodeBlock.Builder stored = CodeBlock.builder();
                    locals.clear();
                    for (Node v : s.stores()) {              // in schedule order: each may read the ones before
                        CodeBlock e = CodeBlock.of("e$L", locals.size());
                        stored.addStatement("$T $L = $L", JavaCode.elem(v.dtype()), e,
                                element(v, inside, indexOf(leaves, idx)));
                        stored.addStatement("$L[$L] = $L", ref(v), idx.get(0), e);
                        locals.put(v, e);
                    }
                    CodeBlock value = operand(x, inside, indexOf(leaves, idx), false);
                    locals.clear();
                    CodeBlock at = CodeBlock.of("$L[$L]", result, idx.get(out + 1));
                    if (max) {
                        return stored.add("$L = $T.max($L, $L);\n", at, Math.class, at, value).build();
                    }
                    return stored.add(inner ? CodeBlock.of("s += $L;\n", value)
                            : CodeBlock.of("$L += $L;\n", at, value)).build();
                },
                inner ? idx -> CodeBlock.of("$L[$L] += $L;\n", result, idx.get(out + 1),
                        t == DType.F32 ? CodeBlock.of("(float) s") : CodeBlock.of("s")) : null));
        return mean(code, n, r, x).add("$<}\n").build();
    }

    /** Whether {@code axes} are every axis of {@code rank} (at least 3) but axis 1: {@code 0, 2, 3, …}. */
    private static boolean allButAxisOne(List<Integer> axes, int rank) {
        if (rank < 3 || axes.size() != rank - 1 || axes.get(0) != 0) {
            return false;
        }
        for (int k = 1; k < axes.size(); k++) {
            if (axes.get(k) != k + 1) {
                return false;
            }
        }
        return true;
    }

    /** For a {@code mean}, the division of each sum by the count of elements it added. */
    private CodeBlock.Builder mean(CodeBlock.Builder code, Node n, ReduceOp r, Node x) {
        if (r.fn() == ReduceFn.MEAN) {
            Dim count = Dim.of(1);
            for (int a : r.axes()) {
                count = count.times(x.shape().dim(a));
            }
            code.beginControlFlow("for (int i = 0; i < $L.length; i++)", ref(n))
                    .addStatement("$L[i] /= $L", ref(n), dim(count)).endControlFlow();
        }
        return code;
    }

    /** Whether {@code axes} are {@code 0, 1, …} and leave at least one axis of {@code rank}. */
    private static boolean leadingAxes(List<Integer> axes, int rank) {
        for (int k = 0; k < axes.size(); k++) {
            if (axes.get(k) != k) {
                return false;
            }
        }
        return !axes.isEmpty() && axes.size() < rank;
    }

    /** The runtime class, for kernels and tensors. */
    static ClassName rt(String simple) {
        return JavaCode.rt(simple);
    }
}
