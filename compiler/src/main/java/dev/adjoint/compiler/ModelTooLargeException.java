package dev.adjoint.compiler;

import dev.adjoint.compiler.diag.Diagnostic;

/**
 * A model the front end accepted that a later stage cannot take: its gradient passes the node limit, or javac
 * refuses its generated class for its size. Not a compiler bug but a limit, so it carries the error at the model
 * that each door reports like any other diagnostic.
 */
public final class ModelTooLargeException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Diagnostic diagnostic;

    ModelTooLargeException(Diagnostic diagnostic) {
        super(diagnostic.message(), null, false, false);
        this.diagnostic = diagnostic;
    }

    /** The error, at the model's loss (or name). */
    public Diagnostic diagnostic() {
        return diagnostic;
    }
}
