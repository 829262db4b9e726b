package dev.adjoint.compiler.ir;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ad.GradBuilder;
import dev.adjoint.compiler.ad.Vjp;
import dev.adjoint.compiler.emit.LoweringContext;
import dev.adjoint.compiler.eval.EvalContext;
import dev.adjoint.compiler.eval.NdArray;
import java.util.List;

/**
 * An operation of the graph IR, with every rule the compiler knows about it in one place: its type and
 * shape rule ({@link #infer}), its derivative ({@link #vjp}, with the textbook rule for generated comments
 * in {@link #adjointRule}), its reference evaluation ({@link #eval}) and its lowering to Java
 * ({@link #lower}). Implementations are immutable records in {@code dev.adjoint.compiler.ops}, one file per
 * op or op family, whose components are the op's attributes (axes, eps, target shape...), so two nodes with
 * equal ops and equal inputs are the same computation and hash-cons to one node. Every op kind is listed in
 * {@link dev.adjoint.compiler.ops.OpRegistry}.
 *
 * <p>Elementwise ops implement {@link dev.adjoint.compiler.ops.ElementwiseOp} instead of {@link #lower}: they
 * give a scalar Java expression, and the emitter writes the loop around it.
 */
public interface Op {

    /** Short lower-case name used in dumps and messages ({@code matmul}, {@code add}, {@code sum}). */
    String name();

    /**
     * The result type for these argument types.
     *
     * @throws ShapeException with a complete, user-facing message when the rule is violated
     */
    TensorType infer(List<TensorType> args);

    /** Attribute text for dumps ({@code axis=1, keepdims=true}), empty when the op has none. */
    default String attributes() {
        return "";
    }

    // ---- differentiation ----------------------------------------------------------------------------------

    /** Whether gradients flow through this op; see {@link Differentiability}. */
    default Differentiability differentiability() {
        return Differentiability.DIFFERENTIABLE;
    }

    /**
     * The vector–Jacobian products: the adjoint of each input of {@code v.y()} given the adjoint {@code v.dy()}
     * of its output, built with {@code g} as ordinary graph nodes. An entry is null for a symbolic zero (an
     * input that needs no adjoint, or gets none). The default gives none, as for an op that is
     * {@link Differentiability#PIECEWISE_CONSTANT}.
     *
     * @throws UnsupportedOperationException naming the op when it has no derivative
     *     ({@link Differentiability#NONE})
     */
    default Node[] vjp(GradBuilder g, Vjp v) {
        if (differentiability() == Differentiability.NONE) {
            throw new UnsupportedOperationException(name() + ": no derivative rule for this op");
        }
        return v.none();
    }

    /**
     * The textbook rule behind the adjoint of input {@code i} of {@code y}, for the comment above the generated
     * step ({@code d(tanh u)/du = 1 - tanh(u)^2}); empty where no short rule is written down.
     */
    default String adjointRule(Node y, int i) {
        return "";
    }

    // ---- reference evaluation -----------------------------------------------------------------------------

    /**
     * The value of {@code y} from its inputs' values, in double precision with plain loops: the oracle the
     * differentiator, the optimizer and the generated code are checked against, and the constant folder.
     *
     * @param ctx the dim bindings ({@link EvalContext#shape} of any shape)
     * @throws IllegalArgumentException for a value the op rejects at run time (an out-of-range label)
     */
    NdArray eval(EvalContext ctx, Node y, List<NdArray> args);

    // ---- cost ---------------------------------------------------------------------------------------------

    /**
     * An estimate of the floating-point operations computing {@code y} takes, as a monomial of the dims: by
     * default one per element of the result; a matrix product {@code 2·m·k·n}; reductions and normalizations
     * a few per input element; leaves, constants and aliases none.
     */
    default Dim flops(Node y) {
        return y.shape().numel();
    }

    // ---- lowering to Java ---------------------------------------------------------------------------------

    /**
     * The index of the input whose buffer {@code y} shares, unchanged (a reshape, a broadcast to the same
     * shape, a reduction over no axes), or -1 when {@code y} is computed into a buffer of its own.
     */
    default int aliasedInput(Node y) {
        return -1;
    }

    /** A temporary buffer an op's lowering needs for one step (a normalization's statistics). */
    record Scratch(String purpose, DType dtype, Dim size) {
    }

    /** The temporary buffers {@link #lower} asks for with {@link LoweringContext#scratch}, planned with the rest. */
    default List<Scratch> scratch(Node y) {
        return List.of();
    }

    // ---- training and evaluation ---------------------------------------------------------------------------

    /**
     * A value the model keeps from call to call for an op, updated by training steps and saved with the params (a
     * batch norm's running mean): a field of the generated class, listed by its {@code buffers()}, initialized to
     * {@code initial} in every element.
     *
     * @param name the name it is saved under ({@code g1.running_mean}), unique in the model
     */
    record State(String name, DType dtype, Dim size, double initial) {
    }

    /** The state {@link #lower} reads and writes with {@link LoweringContext#state}; nodes naming one state share it. */
    default List<State> state(Node y) {
        return List.of();
    }

    /**
     * Whether the op computes differently in training and in evaluation ({@code batch_norm}, {@code dropout}; see
     * {@link dev.adjoint.runtime.Mode}): its {@link #eval} reads {@link EvalContext#mode}, its lowering
     * {@link LoweringContext#mode}, and it is never folded into a constant.
     */
    default boolean modeDependent() {
        return false;
    }

    /**
     * Java statements that compute {@code y} into its buffer {@code ctx.ref(y)}, which the emitter has already
     * allocated with {@code y}'s element count, reading the inputs through {@code ctx.ref(input)}. Not called for
     * leaves, for aliases ({@link #aliasedInput}) or for elementwise ops.
     */
    CodeBlock lower(LoweringContext ctx, Node y);
}
