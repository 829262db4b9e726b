package dev.adjoint.compiler.plan;

/** A checkpoint policy that cannot be applied: a budget below the smallest feasible peak, or dims missing. */
public final class CheckpointException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }
}
