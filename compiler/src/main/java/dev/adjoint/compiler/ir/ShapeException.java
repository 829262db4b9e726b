package dev.adjoint.compiler.ir;

/**
 * A violated shape or type rule. The message is complete and user-facing, naming the operation and
 * both shapes, e.g. {@code matmul: [2, 3] @ [4, 5]: inner dimensions 3 and 4 differ}. The front end
 * attaches the source position; {@link #argument()} says which argument to point at (-1: the call).
 */
public final class ShapeException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int argument;

    public ShapeException(String message) {
        this(-1, message);
    }

    public ShapeException(int argument, String message) {
        super(message, null, false, false);
        this.argument = argument;
    }

    public int argument() {
        return argument;
    }
}
