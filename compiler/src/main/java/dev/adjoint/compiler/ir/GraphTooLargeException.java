package dev.adjoint.compiler.ir;

/** Thrown when a model would unroll into more nodes than the compiler accepts. */
public final class GraphTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int limit;

    public GraphTooLargeException(int limit) {
        super("the graph would exceed " + limit + " nodes", null, false, false);
        this.limit = limit;
    }

    public int limit() {
        return limit;
    }
}
