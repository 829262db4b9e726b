package dev.adjoint.compiler.plan;

import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.NodeNames;
import dev.adjoint.compiler.ir.Op;
import dev.adjoint.compiler.ir.Poly;
import dev.adjoint.compiler.ops.ConstantOp;
import dev.adjoint.compiler.ops.ElementwiseOp;
import dev.adjoint.compiler.ops.InputOp;
import dev.adjoint.compiler.ops.ParamOp;
import dev.adjoint.compiler.ops.ReduceFn;
import dev.adjoint.compiler.ops.ReduceOp;
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

    private Planner(Graph g) {
        this.g = g;
    }

    /** The plan of {@code g}. */
    public static ExecutionPlan plan(Graph g) {
        return new Planner(g).run();
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
        List<Step> forward = new ArrayList<>();
        List<Step> loss = new ArrayList<>();
        List<Step> backward = new ArrayList<>();
        for (int id = live.nextSetBit(0); id >= 0; id = live.nextSetBit(id + 1)) {
            Node n = g.nodes().get(id);
            if (isLeaf(n) || fusedInto.containsKey(n)) {
                continue;
            }
            if (n.op() instanceof ConstantOp && !roots.contains(n) && onlyReadInLoops(n)) {
                inlined.add(n);
                continue;
            }
            Step s = step(n);
            (outputSet.get(id) ? forward : forwardSet.get(id) ? loss : backward).add(s);
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

    private void decideFusion() {
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
            if (!(n.op() instanceof ElementwiseOp) || n.op().aliasedInput(n) >= 0 || roots.contains(n)
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
            boolean intoLoop = user.op() instanceof ElementwiseOp && user.op().aliasedInput(user) < 0
                    && (user.shape().equals(n.shape()) || cheap(n));
            if (intoLoop || isLoopReduction(user)) {
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
        if (n.op() instanceof ElementwiseOp) {
            return new Step(Kind.LOOP, n, fused);
        }
        if (isLoopReduction(n)) {
            return new Step(Kind.REDUCTION, n, fused);
        }
        return new Step(Kind.KERNEL, n, List.of());
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
        for (Node member : inside) {
            for (Node in : member.inputs()) {
                if (!inside.contains(in) && !inlined.contains(in)) {
                    out.add(owner(in));
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
            defined.put(s.node(), p);
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
                Slot slot = take(free, slots, n.dtype(), n.shape().numel());
                slot.holds.add(n);
                slotOf.put(n, slot);
                int end = lastUse.getOrDefault(n, p);
                dying.computeIfAbsent(end, k -> new ArrayList<>()).add(n);
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
            Node n = s.node();
            Node o = owner(n);
            Slot slot = slotOf.get(o);
            if (slot != null) {
                bufferOf.put(n, buffers.get(slot));
            }
            if (s.kind() != Kind.ALIAS) {
                lifetimes.put(n, new int[] {defined.get(n), lastUse.getOrDefault(n, defined.get(n))});
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
