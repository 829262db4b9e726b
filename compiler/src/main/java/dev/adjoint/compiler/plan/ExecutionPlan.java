package dev.adjoint.compiler.plan;

import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.Poly;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How the optimized graph runs: the steps of the forward and the backward pass in order (each one kernel call, one
 * fused loop, or an alias; the forward pass begins with the steps the outputs need, which prediction runs alone), where every value lives (the buffers of a per-instance arena, shared by values whose
 * lifetimes do not overlap), and what that costs: the planned peak bytes as a formula of the dims. The emitter
 * obeys the plan; {@code show --stage memory} prints it.
 *
 * @param graph the graph the plan is for
 * @param forward the steps the outputs and the loss need, in order
 * @param backward the rest of what the gradients need, in order, after {@code forward}
 * @param inlined values that get no buffer: computed inside the loop of the step that uses them (fused), or
 *     constants written as literals
 * @param bufferOf the buffer of every value that has one (aliases share their source's)
 * @param scratch the temporary buffers of kernels ({@link dev.adjoint.compiler.ir.Op#scratch}), by node and purpose
 * @param rootCopies roots whose value lives in an input or a param (an output that is an input, say): the buffer
 *     the value is copied into at the end of a call, so results are always the model's own
 * @param zeroGradients for each param or {@code input grad} off the loss path, a buffer of zeros its gradient views
 * @param buffers every buffer, by id
 * @param lifetimes for every value with a buffer, the step that defines it and the last step that reads it
 *     (positions in {@code forward} then {@code backward}; {@link Integer#MAX_VALUE} for a root, read after
 *     the call)
 * @param peakBytes the bytes of all buffers, as a formula of the dims: what one instance holds per binding of
 *     its dims
 * @param outputSteps how many of the first {@code forward} steps compute what the outputs need: prediction runs
 *     them alone ({@link #outputs()})
 * @param predictInputs the inputs those steps need, in declaration order: the inputs the outputs read and those
 *     that bind the dims of their values (not the labels only the loss reads)
 */
public record ExecutionPlan(Graph graph, List<Step> forward, List<Step> backward, Set<Node> inlined,
        Map<Node, Buffer> bufferOf, Map<Node, Map<String, Buffer>> scratch, Map<Node, Buffer> rootCopies,
        Map<String, Buffer> zeroGradients, List<Buffer> buffers, Map<Node, int[]> lifetimes, Poly peakBytes,
        int outputSteps, List<Graph.Input> predictInputs) {

    /** What one step does. */
    public enum Kind {
        /** The op's own lowering: usually a runtime kernel call into the node's buffer. */
        KERNEL,
        /** One loop computing an elementwise node and the elementwise nodes fused into it. */
        LOOP,
        /** One loop nest reducing (sum, mean, max) an elementwise expression fused into it. */
        REDUCTION,
        /** The node shares its input's buffer (a reshape): no work. */
        ALIAS
    }

    /**
     * One step.
     *
     * @param node the value the step computes
     * @param fused the values computed inline in this step's loop (not stored), in schedule order
     * @param stores values of other loops computed in this step's loop and stored from it as well (a reduction
     *     that also writes the elementwise values it reads, which later steps read again), in schedule order
     */
    public record Step(Kind kind, Node node, List<Node> fused, List<Node> stores) {
        public Step {
            fused = List.copyOf(fused);
            stores = List.copyOf(stores);
        }

        /** A step that stores only its node. */
        public Step(Kind kind, Node node, List<Node> fused) {
            this(kind, node, fused, List.of());
        }

        /** Every value the step writes to a buffer: its node, then its {@link #stores()}. */
        public List<Node> written() {
            List<Node> out = new java.util.ArrayList<>();
            out.add(node);
            out.addAll(stores);
            return out;
        }
    }

    /**
     * One buffer of the arena: {@code size} elements of {@code dtype} (the largest value it holds), and the
     * values it holds in turn.
     */
    public record Buffer(int id, DType dtype, Dim size, List<String> holds) {
    }

    /** The steps that compute what the outputs need, in order: the first of {@link #forward()}. */
    public List<Step> outputs() {
        return forward.subList(0, outputSteps);
    }

    /** The rest of the forward pass: what only the loss needs. */
    public List<Step> lossOnly() {
        return forward.subList(outputSteps, forward.size());
    }

    /** Every step, forward then backward. */
    public List<Step> steps() {
        List<Step> all = new java.util.ArrayList<>(forward);
        all.addAll(backward);
        return all;
    }
}
