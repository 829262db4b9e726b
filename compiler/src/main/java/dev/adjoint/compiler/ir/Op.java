package dev.adjoint.compiler.ir;

import java.util.List;

/**
 * An operation of the graph IR. Implementations are immutable records whose components are the
 * operation's attributes (axes, eps, target shape...), so two nodes with equal ops and equal inputs
 * are the same computation and hash-cons to one node.
 *
 * <p>Each op keeps its rules together: the shape/type rule here, and (as the compiler grows) its
 * derivative and its lowering. See {@code ops/} for one file per op family.
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
}
