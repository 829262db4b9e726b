package dev.adjoint.compiler.plan;

import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Poly;
import dev.adjoint.compiler.pass.GraphStats;
import dev.adjoint.compiler.plan.ExecutionPlan.Kind;
import dev.adjoint.compiler.plan.ExecutionPlan.Step;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The bytes of forward values held for the backward pass, step by step, for given dims: what
 * {@code --checkpoint budget:SIZE} bounds and {@code show --stage memory} reports.
 *
 * <p>A value counts when it is a forward value (one the outputs or the loss need) or a recomputed copy of one, is
 * stored (not fused into a loop, not a literal, not an alias: an alias counts as its source), and is read by a step
 * of the backward pass; it counts from the step that computes it to the last step that reads it (an output read by
 * the backward pass counts until that read, although the caller keeps it). Parameters, their gradients, inputs,
 * kernel scratch and the backward pass's own values (adjoints) are not counted. Values that share a buffer never
 * count at once, so the peak is at most the planned peak of all buffers.
 *
 * @param perStep the bytes held while each step runs (forward steps, then backward)
 * @param peak the largest of them
 */
public record HeldBytes(long[] perStep, long peak) {

    /**
     * One value held for the backward pass: it is stored from step {@code from} (the step that computes it) to step
     * {@code to} (its last backward read), both inclusive, in {@code ExecutionPlan.steps()} order.
     */
    public record Interval(Node value, int from, int to) {
    }

    /** The held bytes of {@code plan} for {@code dims}, where {@code copies} are recomputed copies. */
    public static HeldBytes of(ExecutionPlan plan, Set<Node> copies, Map<String, ? extends Number> dims) {
        List<Step> steps = plan.steps();
        long[] delta = new long[steps.size() + 1];
        for (Interval i : intervals(plan, copies)) {
            long bytes = bytes(i.value(), dims);
            delta[i.from()] += bytes;
            delta[i.to() + 1] -= bytes;
        }
        long[] per = new long[steps.size()];
        long held = 0;
        long peak = 0;
        for (int p = 0; p < steps.size(); p++) {
            held += delta[p];
            per[p] = held;
            peak = Math.max(peak, held);
        }
        return new HeldBytes(per, peak);
    }

    /**
     * The values of {@code plan} held for the backward pass, each with its lifetime (what {@link #of} sums, and what
     * a generated class measures over its own buffers: {@code MemoryReport.heldForBackward}).
     */
    public static List<Interval> intervals(ExecutionPlan plan, Set<Node> copies) {
        List<Step> steps = plan.steps();
        int firstBackward = plan.forward().size();
        BitSet forwardValue = new BitSet();
        for (Step s : plan.forward()) {
            s.written().forEach(w -> forwardValue.set(w.id()));
            s.fused().forEach(f -> forwardValue.set(f.id()));
        }
        copies.forEach(c -> forwardValue.set(c.id()));
        Map<Node, Integer> lastRead = new IdentityHashMap<>();
        for (int p = 0; p < steps.size(); p++) {
            for (Node r : reads(steps.get(p), plan.inlined())) {
                lastRead.merge(r, p, Math::max);
            }
        }
        List<Interval> out = new ArrayList<>();
        for (int p = 0; p < steps.size(); p++) {
            Step s = steps.get(p);
            for (Node n : s.written()) {
                Integer last = lastRead.get(n);
                if (s.kind() == Kind.ALIAS || !forwardValue.get(n.id()) || last == null || last < firstBackward) {
                    continue;
                }
                out.add(new Interval(n, p, last));
            }
        }
        return out;
    }

    /** The bytes of one value for {@code dims}. */
    static long bytes(Node n, Map<String, ? extends Number> dims) {
        return Poly.of(n.shape().numel()).eval(dims) * GraphStats.elementBytes(n.dtype());
    }

    /** The stored values a step reads (aliases resolved to their sources): its node's and its fused values' inputs. */
    private static List<Node> reads(Step s, Set<Node> inlined) {
        Set<Node> inside = new HashSet<>(s.fused());
        inside.addAll(s.written());
        List<Node> out = new ArrayList<>();
        for (Node member : inside) {
            for (Node in : member.inputs()) {
                while (in.op() instanceof dev.adjoint.compiler.ops.SliceOp && inlined.contains(in)) {
                    in = in.input(0);                           // a slice read in place reads its source
                }
                if (!inside.contains(in) && !inlined.contains(in)) {
                    Node o = in;
                    while (o.op().aliasedInput(o) >= 0) {
                        o = o.input(o.op().aliasedInput(o));
                    }
                    out.add(o);
                }
            }
        }
        return out;
    }
}
