package dev.adjoint.compiler.plan;

import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Poly;
import dev.adjoint.compiler.ir.Rewriter;
import dev.adjoint.compiler.ops.InputOp;
import dev.adjoint.compiler.ops.RecomputeFromOp;
import dev.adjoint.compiler.pass.Pass;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checkpointing as a pass, after the optimizer and before the planner: recomputation in the backward pass of the
 * forward values a {@link CheckpointPolicy} does not keep.
 *
 * <p>The forward pass is seen as a chain of segments ({@link ForwardChain}); the policy keeps some segments' values
 * (the checkpoints) and drops the others. The graph is then rebuilt in schedule order, and when a backward node
 * that reads a dropped forward value is rebuilt, a copy of that value is built first (once: copies are memoized),
 * from copies of the dropped values it reads, from kept values and inputs wrapped in {@code recompute_from} (an
 * alias, {@link RecomputeFromOp}, so that the copy does not hash-cons back to its original), and from params and
 * constants read directly. The backward readers read the copies; the originals then die after their last forward
 * reader, and the planner's liveness and buffer sharing reuse their memory with no change to the planner. Each
 * copy is created just before its first backward reader, so the recomputation of a dropped run of segments runs
 * when the backward pass reaches it, and runs once. Copies run the same ops on the same values as their
 * originals, so gradients are bit-identical to the keep-everything code.
 *
 * <p>Policies: {@code sqrt} keeps every k-th segment, k = round(√n) for n segments (Chen et al. 2016);
 * {@code budget:SIZE} keeps the placement {@link ChainDp} finds (fewest recomputed FLOPs with the modelled peak
 * within the budget), then plans it and measures the bytes held for the backward pass ({@link HeldBytes}) for
 * the plan dims; if they exceed the budget (the model is an estimate), it lowers the modelled budget by the excess
 * and tries again. A budget below the smallest feasible peak is a {@link CheckpointException} stating that peak.
 */
public final class Checkpoints implements Pass {

    /**
     * What the pass chose, in terms of the graph it returned.
     *
     * @param kept the forward values the backward pass reads that are kept (checkpoints)
     * @param recomputed the forward values the backward pass recomputes, each with its copy
     * @param extraFlops the FLOPs of the copies, as a formula of the dims
     * @param segments how many segments the forward chain has (the last, with the loss, always kept)
     */
    public record Result(CheckpointPolicy policy, Graph graph, Set<Node> kept, Map<Node, Node> recomputed,
            Poly extraFlops, int segments) {

        /** The copies: the nodes of the backward pass that recompute a dropped forward value. */
        public Set<Node> copies() {
            Set<Node> s = Collections.newSetFromMap(new IdentityHashMap<>());
            s.addAll(recomputed.values());
            return s;
        }
    }

    /** The forward values the backward pass reads that a policy could drop (not leaves, fixed values or roots). */
    public static List<Node> candidates(Graph g) {
        ForwardChain chain = new ForwardChain(g);
        List<Node> out = new ArrayList<>();
        for (int id = chain.candidate.nextSetBit(0); id >= 0; id = chain.candidate.nextSetBit(id + 1)) {
            out.add(g.nodes().get(id));
        }
        return out;
    }

    private final CheckpointPolicy policy;
    private final Map<String, Integer> dims;
    private Result result;

    /** The pass for {@code policy}; {@code dims} bind the dims for a budget (may be empty otherwise). */
    public Checkpoints(CheckpointPolicy policy, Map<String, Integer> dims) {
        this.policy = policy;
        this.dims = Map.copyOf(dims);
    }

    @Override
    public String name() {
        return "checkpoint";
    }

    /** What the last {@link #run} chose (null before it ran). */
    public synchronized Result result() {
        return result;
    }

    @Override
    public synchronized Graph run(Graph g) {
        ForwardChain chain = new ForwardChain(g);
        int n = chain.segments.size();
        boolean[] stored = new boolean[n];
        java.util.Arrays.fill(stored, true);
        if (g.hasLoss() && policy.kind() == CheckpointPolicy.Kind.SQRT) {
            int k = (int) Math.max(1, Math.round(Math.sqrt(n - 1)));
            for (int i = 0; i < n - 1; i++) {
                stored[i] = (i + 1) % k == 0 || chain.mustStore(i);
            }
        } else if (g.hasLoss() && policy.kind() == CheckpointPolicy.Kind.BUDGET) {
            return budget(g, chain);
        }
        result = rewrite(g, chain, stored);
        return result.graph();
    }

    private Graph budget(Graph g, ForwardChain chain) {
        for (String d : g.dims()) {
            if (!dims.containsKey(d)) {
                throw new CheckpointException("--checkpoint " + policy + " needs a value for every dim to plan for:"
                        + " give --plan-dims " + String.join(",", g.dims().stream().map(s -> s + "=64").toList()));
            }
        }
        int n = chain.segments.size();
        long[] bytes = new long[n];
        long[] flops = new long[n];
        boolean[] forced = new boolean[n];
        for (int i = 0; i < n; i++) {
            forced[i] = chain.mustStore(i);
            for (Node v : chain.segments.get(i)) {
                if (chain.candidate.get(v.id()) && v.op().aliasedInput(v) < 0) {
                    bytes[i] += HeldBytes.bytes(v, dims);
                }
                flops[i] += Poly.of(v.op().flops(v)).eval(dims);
            }
        }
        long target = policy.budgetBytes();
        long model = target;
        for (int attempt = 0; attempt < 64; attempt++) {
            boolean[] stored = ChainDp.solve(bytes, flops, forced, model);
            if (stored == null) {
                break;
            }
            Result r = rewrite(g, chain, stored);
            long held = HeldBytes.of(Planner.plan(r.graph()), r.copies(), dims).peak();
            if (held <= target) {
                result = r;
                return r.graph();
            }
            model -= held - target;
        }
        boolean[] least = ChainDp.solve(bytes, flops, forced, ChainDp.minimumMemory(bytes, forced));
        Result r = rewrite(g, chain, least);
        long smallest = HeldBytes.of(Planner.plan(r.graph()), r.copies(), dims).peak();
        throw new CheckpointException("--checkpoint " + policy + ": model " + g.model() + " cannot keep the bytes of"
                + " forward values held for the backward pass within " + String.format("%,d", target)
                + " bytes for " + dims + "; the smallest feasible peak is " + String.format("%,d", smallest)
                + " bytes (budget:" + smallest + ")");
    }

    /** {@code g} with the candidates of the segments not {@code stored} recomputed in the backward pass. */
    Result rewrite(Graph g, ForwardChain chain, boolean[] stored) {
        BitSet kept = chain.kept(stored);
        BitSet roots = new BitSet();
        g.roots().forEach(r -> roots.set(r.id()));
        Map<Node, Node> map = new IdentityHashMap<>();
        Map<Node, Node> copies = new LinkedHashMap<>();
        RecomputeFromOp wrap = new RecomputeFromOp();
        class Copier {
            boolean dropped(Node o) {
                return chain.forward.get(o.id()) && !(o.op() instanceof InputOp) && !chain.fixed.get(o.id())
                        && !kept.get(o.id()) && !roots.get(o.id());
            }

            /** The copy of {@code root}, building the copies of the dropped values it reads first (no recursion). */
            Node copy(dev.adjoint.compiler.ir.GraphBuilder b, Node root) {
                java.util.ArrayDeque<Node> stack = new java.util.ArrayDeque<>();
                stack.push(root);
                while (!stack.isEmpty()) {
                    Node o = stack.peek();
                    if (copies.containsKey(o)) {
                        stack.pop();
                        continue;
                    }
                    boolean ready = true;
                    for (Node in : o.inputs()) {
                        if (dropped(in) && !copies.containsKey(in)) {
                            stack.push(in);
                            ready = false;
                        }
                    }
                    if (!ready) {
                        continue;
                    }
                    stack.pop();
                    List<Node> ins = new ArrayList<>();
                    for (Node in : o.inputs()) {
                        if (dropped(in)) {
                            ins.add(copies.get(in));
                        } else if (chain.fixed.get(in.id())) {
                            ins.add(map.get(in));
                        } else {
                            ins.add(b.add(wrap, map.get(in)));
                        }
                    }
                    copies.put(o, b.add(o.op(), ins));
                }
                return copies.get(root);
            }
        }
        Copier copier = new Copier();
        Graph out = Rewriter.rebuild(g, (b, old, inputs) -> {
            List<Node> ins = inputs;
            if (chain.live.get(old.id()) && !chain.forward.get(old.id())) {
                ins = new ArrayList<>(inputs);
                for (int i = 0; i < ins.size(); i++) {
                    if (copier.dropped(old.input(i))) {
                        ins.set(i, copier.copy(b, old.input(i)));
                    }
                }
            }
            Node r = b.add(old.op(), ins);
            map.put(old, r);
            return r;
        });
        Set<Node> keptNew = Collections.newSetFromMap(new IdentityHashMap<>());
        for (int id = kept.nextSetBit(0); id >= 0; id = kept.nextSetBit(id + 1)) {
            keptNew.add(map.get(g.nodes().get(id)));
        }
        for (int id = chain.candidate.nextSetBit(0); id >= 0; id = chain.candidate.nextSetBit(id + 1)) {
            if (!copies.containsKey(g.nodes().get(id))) {
                keptNew.add(map.get(g.nodes().get(id)));
            }
        }
        Map<Node, Node> recomputed = new LinkedHashMap<>();
        Poly extra = Poly.ZERO;
        for (Map.Entry<Node, Node> e : copies.entrySet()) {
            recomputed.put(map.get(e.getKey()), e.getValue());
            extra = extra.plus(e.getValue().op().flops(e.getValue()));
        }
        return new Result(policy, out, keptNew, recomputed, extra, chain.segments.size());
    }
}
