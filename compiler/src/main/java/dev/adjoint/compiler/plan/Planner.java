package dev.adjoint.compiler.plan;

import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.NodeNames;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Poly;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ops.ConstantOp;
import dev.adjoint.compiler.ops.ElementwiseOp;
import dev.adjoint.compiler.ops.InputOp;
import dev.adjoint.compiler.ops.PadOp;
import dev.adjoint.compiler.ops.ParamOp;
import dev.adjoint.compiler.ops.ReduceFn;
import dev.adjoint.compiler.ops.ReduceOp;
import dev.adjoint.compiler.ops.SliceOp;
import dev.adjoint.compiler.pass.GraphStats;
import dev.adjoint.compiler.plan.ExecutionPlan.Buffer;
import dev.adjoint.compiler.plan.ExecutionPlan.Kind;
import dev.adjoint.compiler.plan.ExecutionPlan.Step;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Plans how a graph runs ({@link ExecutionPlan}): schedule, fusion, liveness and buffer assignment.
 *
 * <ul>
 *   <li><b>Schedule</b>: the nodes the roots need, in the graph's schedule order, in three nested groups: what
 *       the outputs need (prediction) first, then the rest of what the loss needs (with the first, the forward
 *       pass), then the rest of what the gradients need (the backward pass). The inputs the first group reads,
 *       and those that bind the dims of its values, are the inputs of prediction.</li>
 *   <li><b>Fusion</b>: an elementwise value used once, by an elementwise op of its own shape or by a sum, mean or
 *       max, in the same pass, is computed inside that op's loop instead of being stored. Chains fuse into one
 *       loop, up to {@link #MAX_FUSED_DEPTH} values deep and {@link #MAX_FUSED_VALUES} values in all: a longer
 *       chain stores a value every so often (a fused loop is one Java expression, and javac and JavaPoet recurse
 *       on its depth; 100 tanh steps in one expression overflowed the compiler's stack). Roots are always
 *       stored.</li>
 *   <li><b>Slices, pads, reductions</b>: a slice read only in loops is read in place in its source; a float pad is a
 *       loop writing its input into the region it fills, and a sum of pads adds each into one zeroed buffer; a loop
 *       whose value a chained sum reads is computed in the sum's loop and stored from there
 *       ({@code decideViews}, {@code mergeIntoReductions}).</li>
 *   <li><b>Liveness</b>: a stored value lives from its step to the last step that reads it (a root, to the end of
 *       the call); a value read through an alias (a reshape) lives as long as the alias is read.</li>
 *   <li><b>Buffers</b>: a linear scan over the steps hands each value a free buffer of its element type and
 *       exactly its size (the same multiple of the same dims), or a new one: the kernels and the result views
 *       take arrays of exactly their size. A value's buffer is freed after the last step that reads it, so a step
 *       never writes the buffer it reads.</li>
 * </ul>
 * Linear in the nodes (the free lists are scanned per size class).
 */
public final class Planner {
    private final Graph g;
    private final BitSet live = new BitSet();
    private final BitSet forwardSet = new BitSet();
    private final BitSet outputSet = new BitSet();
    private final Map<Node, Integer> uses = new IdentityHashMap<>();
    /** The deepest expression a fused loop computes: values nested in one another. */
    static final int MAX_FUSED_DEPTH = 16;
    /** The most values one fused loop computes. */
    static final int MAX_FUSED_VALUES = 64;

    private final Map<Node, Node> fusedInto = new IdentityHashMap<>();
    private final Set<Node> roots = java.util.Collections.newSetFromMap(new IdentityHashMap<>());

    /** Whether slices are read in place, pads are loops, and loops merge into reductions. */
    private final boolean inPlace;

    private Planner(Graph g, boolean inPlace) {
        this.g = g;
        this.inPlace = inPlace;
    }

    /** The plan of {@code g}. */
    public static ExecutionPlan plan(Graph g) {
        return new Planner(g, true).run();
    }

    /**
     * The plan of {@code g} with every slice copied out ({@code Slices.slice}), every pad a kernel
     * ({@code Slices.sliceBackward}) and no loop merged into a reduction: the reference the tests hold the plan of
     * {@link #plan} to, bit for bit.
     */
    public static ExecutionPlan planCopyingSlices(Graph g) {
        return new Planner(g, false).run();
    }

    /** The ids of the nodes {@code from} needs, themselves included. */
    static BitSet reachable(List<Node> from) {
        BitSet seen = new BitSet();
        List<Node> stack = new ArrayList<>(from);
        while (!stack.isEmpty()) {
            Node n = stack.remove(stack.size() - 1);
            if (!seen.get(n.id())) {
                seen.set(n.id());
                stack.addAll(n.inputs());
            }
        }
        return seen;
    }

    private static boolean isLeaf(Node n) {
        return n.op() instanceof InputOp || n.op() instanceof ParamOp;
    }

    private ExecutionPlan run() {
        live.or(reachable(g.roots()));
        forwardSet.or(reachable(g.forwardRoots()));
        List<Node> outputs = new ArrayList<>();
        g.outputs().forEach(o -> outputs.add(o.node()));
        outputSet.or(reachable(outputs));
        roots.addAll(g.roots());
        for (int id = live.nextSetBit(0); id >= 0; id = live.nextSetBit(id + 1)) {
            for (Node in : g.nodes().get(id).inputs()) {
                uses.merge(in, 1, Integer::sum);
            }
        }
        decideFusion();
        Set<Node> inlined = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        inlined.addAll(fusedInto.keySet());
        inlined.addAll(decideViews());
        List<Step> forward = new ArrayList<>();
        List<Step> loss = new ArrayList<>();
        List<Step> backward = new ArrayList<>();
        for (int id = live.nextSetBit(0); id >= 0; id = live.nextSetBit(id + 1)) {
            Node n = g.nodes().get(id);
            if (isLeaf(n) || inlined.contains(n)) {
                continue;
            }
            if (n.op() instanceof ConstantOp && !roots.contains(n) && onlyReadInLoops(n)) {
                inlined.add(n);
                continue;
            }
            Step s = step(n);
            (outputSet.get(id) ? forward : forwardSet.get(id) ? loss : backward).add(s);
        }
        if (inPlace) {
            mergeIntoReductions(forward);
            mergeIntoReductions(loss);
            mergeIntoReductions(backward);
        }
        int outputSteps = forward.size();
        forward.addAll(loss);
        return assign(forward, backward, inlined, outputSteps, predictInputs());
    }

    /**
     * The inputs prediction needs: those the outputs read, and those that bind a dim of a value the outputs need
     * (the first in declaration order that shows it), in declaration order.
     */
    private List<Graph.Input> predictInputs() {
        Set<String> symbols = new java.util.TreeSet<>();
        for (int id = outputSet.nextSetBit(0); id >= 0; id = outputSet.nextSetBit(id + 1)) {
            Node n = g.nodes().get(id);
            n.shape().dims().forEach(d -> symbols.addAll(d.symbols()));
            if (n.op() instanceof dev.adjoint.compiler.ops.DimValueOp d) {
                symbols.addAll(d.dim().symbols());
            }
        }
        Set<Graph.Input> needed = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        for (Graph.Input in : g.inputs()) {
            if (outputSet.get(in.node().id())) {
                needed.add(in);
                in.node().shape().dims().forEach(d -> symbols.removeAll(d.symbols()));
            }
        }
        for (Graph.Input in : g.inputs()) {
            for (Dim d : in.node().shape().dims()) {
                if (!java.util.Collections.disjoint(d.symbols(), symbols)) {
                    needed.add(in);
                    in.node().shape().dims().forEach(e -> symbols.removeAll(e.symbols()));
                    break;
                }
            }
        }
        List<Graph.Input> out = new ArrayList<>();
        for (Graph.Input in : g.inputs()) {
            if (needed.contains(in)) {
                out.add(in);
            }
        }
        return out;
    }

    /** A constant whose every reader computes it inside a loop (as a literal). */
    private boolean onlyReadInLoops(Node c) {
        for (Node u : g.users(c)) {
            if (!live.get(u.id())) {
                continue;
            }
            boolean loop = u.op() instanceof ElementwiseOp && u.op().aliasedInput(u) < 0
                    || isLoopReduction(u);
            if (!loop) {
                return false;
            }
        }
        return true;
    }

    static boolean isLoopReduction(Node n) {
        return n.op() instanceof ReduceOp r && !r.axes().isEmpty()
                && (r.fn() == ReduceFn.SUM || r.fn() == ReduceFn.MEAN || r.fn() == ReduceFn.MAX);
    }

    /**
     * The slices read in place: a slice every reader of which reads it element by element in a loop (an elementwise
     * op, a sum, mean or max, a pad) is read at its offset in its source, with the source's strides times its
     * steps, by those loops ({@code LoopNest}), and is never copied out; so is a slice read only by such slices
     * (their offsets and strides compose). Not a root, not of a mask, and not a slice of a literal.
     */
    private Set<Node> decideViews() {
        Set<Node> views = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        // users first: a slice read only by slices read in place is read in place through them
        for (int id = inPlace ? live.previousSetBit(live.length()) : -1; id >= 0; id = live.previousSetBit(id - 1)) {
            Node n = g.nodes().get(id);
            if (!(n.op() instanceof SliceOp) || roots.contains(n) || n.dtype() == DType.BOOL
                    || n.input(0).op() instanceof ConstantOp) {
                continue;
            }
            boolean inLoops = true;
            for (Node u : g.users(n)) {
                if (live.get(u.id())) {
                    inLoops &= u.op() instanceof ElementwiseOp && u.op().aliasedInput(u) < 0 || isLoopReduction(u)
                            || padLoop(u) || views.contains(u);
                }
            }
            if (inLoops) {
                views.add(n);
            }
        }
        return views;
    }

    /** A pad that is a loop: zeros, then its input written into its region (or added, fused into a sum). */
    private boolean padLoop(Node n) {
        return inPlace && n.op() instanceof PadOp && n.dtype().isFloat();
    }

    private static boolean isAdd(Node n) {
        return n.op() instanceof dev.adjoint.compiler.ops.BinaryOp b && b.fn() == dev.adjoint.compiler.ops.BinaryFn.ADD;
    }

    private void decideFusion() {
        // sums into which a pad is fused: each term is added into the sum's buffer, a padded one over its region
        Set<Node> accumulating = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        Map<Node, int[]> extent = new IdentityHashMap<>(); // {depth, values} of what a node's loop computes
        for (int id = live.nextSetBit(0); id >= 0; id = live.nextSetBit(id + 1)) {
            Node n = g.nodes().get(id);
            int depth = 1;
            int values = 1;
            for (Node in : new java.util.HashSet<>(n.inputs())) {
                if (fusedInto.get(in) == n) {
                    int[] e = extent.get(in);
                    depth = Math.max(depth, e[0] + 1);
                    values += e[1];
                }
            }
            extent.put(n, new int[] {depth, values});
            if (depth >= MAX_FUSED_DEPTH || values >= MAX_FUSED_VALUES) {
                continue; // stored: the loop that reads it starts a new expression
            }
            boolean pad = padLoop(n);
            if (!(n.op() instanceof ElementwiseOp || pad) || n.op().aliasedInput(n) >= 0 || roots.contains(n)
                    || uses.getOrDefault(n, 0) != 1) {
                continue;
            }
            Node user = null;
            for (Node u : g.users(n)) {
                if (live.get(u.id())) {
                    user = u;
                }
            }
            if (user == null || forwardSet.get(user.id()) != forwardSet.get(n.id())) {
                continue;
            }
            if (pad || accumulating.contains(n)) {
                // a term of a sum added in order: a padded term, or a sum of them as the left operand
                if (isAdd(user) && user.shape().equals(n.shape()) && (pad || user.input(0) == n)) {
                    fusedInto.put(n, user);
                    accumulating.add(user);
                }
                continue;
            }
            boolean intoLoop = user.op() instanceof ElementwiseOp && user.op().aliasedInput(user) < 0
                    && (user.shape().equals(n.shape()) || cheap(n));
            if (intoLoop || isLoopReduction(user) || padLoop(user)) {
                fusedInto.put(n, user);
            }
        }
    }

    /**
     * An elementwise op cheap enough to compute again for every element its value is broadcast to, so that it may
     * fuse into a user of a larger shape (a comparison with labels feeding a one-hot product, say): comparisons,
     * casts, label checks, selections, and arithmetic without division or transcendental functions.
     */
    static boolean cheap(Node n) {
        Op op = n.op();
        if (op instanceof dev.adjoint.compiler.ops.CompareOp || op instanceof dev.adjoint.compiler.ops.CastOp
                || op instanceof dev.adjoint.compiler.ops.LabelCheckOp || op instanceof dev.adjoint.compiler.ops.WhereOp
                || op instanceof dev.adjoint.compiler.ops.ClampOp || op instanceof dev.adjoint.compiler.ops.LeakyReluOp) {
            return true;
        }
        if (op instanceof dev.adjoint.compiler.ops.BinaryOp b) {
            return b.fn() != dev.adjoint.compiler.ops.BinaryFn.DIV && b.fn() != dev.adjoint.compiler.ops.BinaryFn.POW;
        }
        if (op instanceof dev.adjoint.compiler.ops.UnaryOp u) {
            return switch (u.fn()) {
                case NEG, ABS, RELU, SQUARE, SIGN -> true;
                default -> false;
            };
        }
        return false;
    }

    private Step step(Node n) {
        if (n.op().aliasedInput(n) >= 0) {
            return new Step(Kind.ALIAS, n, List.of());
        }
        List<Node> fused = new ArrayList<>();
        collectFused(n, fused);
        fused.sort((a, b) -> Integer.compare(a.id(), b.id()));
        if (n.op() instanceof ElementwiseOp || padLoop(n)) {
            return new Step(Kind.LOOP, n, fused);
        }
        if (isLoopReduction(n)) {
            return new Step(Kind.REDUCTION, n, fused);
        }
        return new Step(Kind.KERNEL, n, List.of());
    }

    /**
     * Moves loops into the reductions that read their values, within one list of steps: a loop computing an
     * elementwise value of the shape the reduction runs over, which the reduction reads and no step in between
     * reads, is computed in the reduction's loop and stored from there ({@link Step#stores()}). The value is still
     * stored for its later readers (a forward value the backward pass reads), but its inputs are read once, and
     * its arithmetic overlaps the reduction's chain of additions (which cannot be vectorized without changing
     * the summation order).
     */
    private static void mergeIntoReductions(List<Step> steps) {
        for (int r = 0; r < steps.size(); r++) {
            Step red = steps.get(r);
            if (red.kind() != Kind.REDUCTION || !chainsInnermost(red.node())) {
                continue;
            }
            Shape over = red.node().input(0).shape();
            List<Node> fused = new ArrayList<>(red.fused());
            List<Node> stores = new ArrayList<>(red.stores());
            for (int l = r - 1; l >= 0; l--) {
                Step s = steps.get(l);
                Node v = s.node();
                if (!mergeable(s, over) || !readsDirectly(red.node(), fused, stores, v)) {
                    continue;
                }
                boolean readBetween = false;
                for (int b = l + 1; b < r && !readBetween; b++) {
                    Step t = steps.get(b);
                    readBetween = readsDirectly(t.node(), t.fused(), t.stores(), v);
                }
                if (readBetween) {
                    continue;
                }
                stores.add(v);
                fused.addAll(s.fused());
                steps.remove(l);
                r--;
            }
            if (!stores.isEmpty()) {
                fused.sort((a, b) -> Integer.compare(a.id(), b.id()));
                stores.sort((a, b) -> Integer.compare(a.id(), b.id()));
                steps.set(r, new Step(Kind.REDUCTION, red.node(), fused, stores));
            }
        }
    }

    /**
     * A floating-point sum or mean whose innermost loop runs along a reduced axis: one chain of dependent additions
     * into a local, which C2 cannot vectorize (that would change the summation order), so the work of the loops
     * merged into it overlaps the chain's latency. (Where the innermost loop runs along the output, the reduction
     * vectorizes as it is, and merging is left alone.)
     */
    private static boolean chainsInnermost(Node n) {
        ReduceOp r = (ReduceOp) n.op();
        if (r.fn() == ReduceFn.MAX || !n.dtype().isFloat()) {
            return false;
        }
        Shape x = n.input(0).shape();
        for (int a = x.rank() - 1; a >= 0; a--) {
            if (!x.dim(a).isOne()) {
                return r.axes().contains(a);
            }
        }
        return false;
    }

    /** A plain elementwise loop over {@code shape} (not a pad, a sum of pads, or an {@code ArrayMath} call). */
    private static boolean mergeable(Step s, Shape shape) {
        Node v = s.node();
        if (s.kind() != Kind.LOOP || !(v.op() instanceof ElementwiseOp) || !v.shape().equals(shape)
                || !s.stores().isEmpty()) {
            return false;
        }
        if (v.op() instanceof dev.adjoint.compiler.ops.UnaryOp u && u.fn().hasArrayKernel()) {
            return false;
        }
        for (Node f : s.fused()) {
            if (f.op() instanceof PadOp) {
                return false;
            }
        }
        return true;
    }

    /** Whether {@code v} is an input of {@code node} or of one of the values computed with it, or a slice's source. */
    private static boolean readsDirectly(Node node, List<Node> fused, List<Node> stores, Node v) {
        List<Node> members = new ArrayList<>(fused);
        members.add(node);
        members.addAll(stores);
        for (Node m : members) {
            for (Node in : m.inputs()) {
                Node source = in;
                while (source != v && source.op() instanceof SliceOp) {
                    source = source.input(0);                   // a slice (read in place or not) of v
                }
                if (source == v) {
                    return true;
                }
            }
        }
        return false;
    }

    private void collectFused(Node n, List<Node> out) {
        for (Node in : n.inputs()) {
            if (fusedInto.get(in) == n && !out.contains(in)) {
                out.add(in);
                collectFused(in, out);
            }
        }
    }

    // ---- liveness and buffers -------------------------------------------------------------------------------

    /** A buffer being assigned: its class (element type and symbolic part of the size) and its largest size. */
    private static final class Slot {
        final int id;
        final DType dtype;
        final List<String> symbols;
        long coefficient;
        final List<Node> holds = new ArrayList<>();
        final List<String> scratchOf = new ArrayList<>();

        Slot(int id, DType dtype, List<String> symbols) {
            this.id = id;
            this.dtype = dtype;
            this.symbols = symbols;
        }
    }

    /** Buffers are shared only between values of one element type and one size (views and kernels need it). */
    private record SizeClass(DType dtype, List<String> symbols, long coefficient) {
    }

    /** The value that owns the buffer {@code n} reads: {@code n} itself, or the source of an alias chain. */
    private Node owner(Node n) {
        Node o = n;
        while (o.op().aliasedInput(o) >= 0 && !fusedInto.containsKey(o)) {
            o = o.input(o.op().aliasedInput(o));
        }
        return o;
    }

    /** The stored values a step reads: the inputs of its node and of the values fused into it. */
    private List<Node> reads(Step s, Set<Node> inlined) {
        List<Node> out = new ArrayList<>();
        Set<Node> inside = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        inside.add(s.node());
        inside.addAll(s.fused());
        inside.addAll(s.stores());
        for (Node member : inside) {
            for (Node in : member.inputs()) {
                if (!inside.contains(in) && !inlined.contains(in)) {
                    out.add(owner(in));
                } else if (in.op() instanceof SliceOp && inlined.contains(in)) {
                    Node source = in;
                    while (source.op() instanceof SliceOp && inlined.contains(source)) {
                        source = source.input(0);               // a slice read in place reads its source
                    }
                    out.add(owner(source));
                }
            }
        }
        return out;
    }

    private ExecutionPlan assign(List<Step> forward, List<Step> backward, Set<Node> inlined, int outputSteps,
            List<Graph.Input> predictInputs) {
        List<Step> steps = new ArrayList<>(forward);
        steps.addAll(backward);
        Map<Node, Integer> lastUse = new IdentityHashMap<>();
        Map<Node, Integer> defined = new IdentityHashMap<>();
        for (int p = 0; p < steps.size(); p++) {
            Step s = steps.get(p);
            for (Node w : s.written()) {
                defined.put(w, p);
            }
            for (Node r : reads(s, inlined)) {
                lastUse.merge(r, p, Math::max);
            }
        }
        for (Node r : g.roots()) {
            lastUse.put(owner(r), Integer.MAX_VALUE);
        }
        Map<SizeClass, List<Slot>> free = new HashMap<>();
        List<Slot> slots = new ArrayList<>();
        Map<Node, Slot> slotOf = new IdentityHashMap<>();
        Map<Node, Map<String, Slot>> scratchSlots = new IdentityHashMap<>();
        Map<Integer, List<Node>> dying = new HashMap<>();
        for (int p = 0; p < steps.size(); p++) {
            Step s = steps.get(p);
            Node n = s.node();
            List<Slot> stepScratch = new ArrayList<>();
            if (s.kind() != Kind.ALIAS) {
                for (Node v : s.written()) {
                    Slot slot = take(free, slots, v.dtype(), v.shape().numel());
                    slot.holds.add(v);
                    slotOf.put(v, slot);
                    int end = lastUse.getOrDefault(v, p);
                    dying.computeIfAbsent(end, k -> new ArrayList<>()).add(v);
                }
                for (Op.Scratch sc : n.op().scratch(n)) {
                    Slot t = take(free, slots, sc.dtype(), sc.size());
                    t.scratchOf.add(n.id() + "." + sc.purpose());
                    scratchSlots.computeIfAbsent(n, k -> new LinkedHashMap<>()).put(sc.purpose(), t);
                    stepScratch.add(t);
                }
            }
            for (Slot t : stepScratch) {
                release(free, t);
            }
            for (Node d : dying.getOrDefault(p, List.of())) {
                release(free, slotOf.get(d));
            }
        }
        Map<Node, Buffer> rootCopies = new IdentityHashMap<>();
        for (Node r : g.roots()) {
            Node o = owner(r);
            if ((isLeaf(o) || inlined.contains(o)) && !rootCopies.containsKey(r)) {
                Slot slot = take(new HashMap<>(), slots, r.dtype(), r.shape().numel());
                slot.holds.add(r);
                slotOf.put(r, slot);
            }
        }
        Map<String, Slot> zeroSlots = new LinkedHashMap<>();
        for (Graph.Gradient d : g.gradients()) {
            if (d.adjoint() == null) {
                Slot slot = take(new HashMap<>(), slots, d.wrt().dtype(), d.wrt().shape().numel());
                slot.scratchOf.add(d.wrt().id() + ".zero gradient");
                zeroSlots.put(d.name(), slot);
            }
        }
        NodeNames names = new NodeNames(g);
        Map<Slot, Buffer> buffers = new LinkedHashMap<>();
        Poly peak = Poly.ZERO;
        for (Slot slot : slots) {
            List<String> holds = new ArrayList<>();
            slot.holds.forEach(n -> holds.add(names.of(n)));
            for (String sc : slot.scratchOf) {
                int dot = sc.indexOf('.');
                holds.add(names.of(g.nodes().get(Integer.parseInt(sc.substring(0, dot)))) + " " + sc.substring(dot + 1));
            }
            Dim size = new Dim(slot.coefficient, slot.symbols);
            buffers.put(slot, new Buffer(slot.id, slot.dtype, size, List.copyOf(holds)));
            peak = peak.plus(size.times(Dim.of(GraphStats.elementBytes(slot.dtype))));
        }
        Map<Node, Buffer> bufferOf = new IdentityHashMap<>();
        Map<Node, int[]> lifetimes = new IdentityHashMap<>();
        for (Step s : steps) {
            for (Node n : s.written()) {
                Node o = owner(n);
                Slot slot = slotOf.get(o);
                if (slot != null) {
                    bufferOf.put(n, buffers.get(slot));
                }
                if (s.kind() != Kind.ALIAS) {
                    lifetimes.put(n, new int[] {defined.get(n), lastUse.getOrDefault(n, defined.get(n))});
                }
            }
        }
        for (Node r : g.roots()) {
            Node o = owner(r);
            if ((isLeaf(o) || inlined.contains(o)) && slotOf.containsKey(r)) {
                rootCopies.put(r, buffers.get(slotOf.get(r)));
            }
        }
        Map<Node, Map<String, Buffer>> scratch = new IdentityHashMap<>();
        scratchSlots.forEach((n, m) -> {
            Map<String, Buffer> b = new LinkedHashMap<>();
            m.forEach((purpose, slot) -> b.put(purpose, buffers.get(slot)));
            scratch.put(n, b);
        });
        Map<String, Buffer> zeroGradients = new LinkedHashMap<>();
        zeroSlots.forEach((name, slot) -> zeroGradients.put(name, buffers.get(slot)));
        return new ExecutionPlan(g, forward, backward, inlined, bufferOf, scratch, rootCopies, zeroGradients,
                new ArrayList<>(buffers.values()), lifetimes, peak, outputSteps, predictInputs);
    }

    /** The free buffer of this type and size freed most recently, or a new one. */
    private static Slot take(Map<SizeClass, List<Slot>> free, List<Slot> slots, DType dtype, Dim size) {
        List<Slot> pool = free.get(new SizeClass(dtype, size.symbols(), size.coefficient()));
        if (pool != null && !pool.isEmpty()) {
            return pool.remove(pool.size() - 1);
        }
        Slot s = new Slot(slots.size(), dtype, size.symbols());
        s.coefficient = size.coefficient();
        slots.add(s);
        return s;
    }

    private static void release(Map<SizeClass, List<Slot>> free, Slot s) {
        free.computeIfAbsent(new SizeClass(s.dtype, s.symbols, s.coefficient), k -> new ArrayList<>()).add(s);
    }
}
