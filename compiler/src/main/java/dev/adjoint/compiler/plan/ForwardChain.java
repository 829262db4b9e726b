package dev.adjoint.compiler.plan;

import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ops.InputOp;
import dev.adjoint.compiler.ops.ParamOp;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * The forward pass of a differentiated graph seen as a chain of segments, for checkpoint placement.
 *
 * <ul>
 *   <li><b>Fixed</b> values depend on params and constants only (a transposed weight): they are the same in every
 *       call, never recomputed, and read where they are.</li>
 *   <li><b>Candidates</b> are the forward values (those the outputs and the loss need) that the backward pass reads
 *       and that a policy may drop: not leaves, not fixed, not roots.</li>
 *   <li><b>Separators</b> are candidates that every path from earlier forward values to later ones passes through
 *       (the articulation points of the forward chain, in schedule order: no forward edge from a value before one
 *       reaches past it). Edges leaving values that depend on no param (label encodings, input preprocessing) do
 *       not count: those are recomputed from the inputs wherever needed.</li>
 *   <li><b>Segments</b> are the forward values between consecutive separators, each ending with its separator; what
 *       follows the last separator (the loss) is a last, always-stored segment.</li>
 * </ul>
 * Keeping a segment keeps its candidates; dropping it recomputes them from the nearest kept separator before it.
 * A recomputed {@code batch_norm} reads the running statistics but does not update them (the generated code updates
 * them in the forward pass only), and a recomputed {@code dropout} draws the same mask (same site, same step).
 */
final class ForwardChain {
    final Graph graph;
    final BitSet forward;
    final BitSet live;
    final BitSet fixed = new BitSet();
    final BitSet candidate = new BitSet();
    /** The segments: node ids, in order; the last is the tail. */
    final List<List<Node>> segments = new ArrayList<>();

    ForwardChain(Graph g) {
        this.graph = g;
        this.live = Planner.reachable(g.roots());
        this.forward = Planner.reachable(g.forwardRoots());
        BitSet paramFree = new BitSet();
        BitSet roots = new BitSet();
        g.roots().forEach(r -> roots.set(r.id()));
        for (Node n : g.nodes()) {
            boolean fix = !(n.op() instanceof InputOp);
            boolean free = !(n.op() instanceof ParamOp);
            for (Node in : n.inputs()) {
                fix &= fixed.get(in.id());
                free &= paramFree.get(in.id());
            }
            if (fix) {
                fixed.set(n.id());
            }
            if (free) {
                paramFree.set(n.id());
            }
        }
        List<Node> computed = new ArrayList<>();
        int[] reach = new int[g.size()];
        for (int id = forward.nextSetBit(0); id >= 0; id = forward.nextSetBit(id + 1)) {
            Node n = g.nodes().get(id);
            if (n.op() instanceof InputOp || fixed.get(id)) {
                continue;
            }
            computed.add(n);
            reach[id] = id;
            for (Node u : g.users(n)) {
                if (!live.get(u.id())) {
                    continue;
                }
                if (forward.get(u.id())) {
                    reach[id] = Math.max(reach[id], u.id());
                } else if (!roots.get(id)) {
                    candidate.set(id);
                }
            }
            if (paramFree.get(id)) {
                reach[id] = id;
            }
        }
        List<Node> current = new ArrayList<>();
        int far = -1;
        for (Node n : computed) {
            current.add(n);
            boolean separator = far <= n.id() && candidate.get(n.id()) && n.op().aliasedInput(n) < 0;
            far = Math.max(far, reach[n.id()]);
            if (separator) {
                segments.add(current);
                current = new ArrayList<>();
            }
        }
        segments.add(current);
    }

    /** Whether segment {@code i} must be stored: the tail, with the loss. */
    boolean mustStore(int i) {
        return i == segments.size() - 1;
    }

    /** The candidates of the segments marked stored. */
    BitSet kept(boolean[] stored) {
        BitSet k = new BitSet();
        for (int i = 0; i < segments.size(); i++) {
            if (stored[i]) {
                for (Node n : segments.get(i)) {
                    if (candidate.get(n.id())) {
                        k.set(n.id());
                    }
                }
            }
        }
        return k;
    }
}
