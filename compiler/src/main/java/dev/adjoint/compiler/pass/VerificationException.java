package dev.adjoint.compiler.pass;

/** A graph broke an invariant of the IR: a compiler bug, named with the stage where it was found. */
public final class VerificationException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public VerificationException(String message) {
        super(message);
    }
}
