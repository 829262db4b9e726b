package dev.adjoint.cli;

/**
 * A reason {@code adjoint train} stops before training or before writing anything: a bad option, a data file
 * that does not fit the model, a parameter file that does not match it. The message is complete
 * ({@code FILE:LINE:COL: error: …} or {@code adjoint train: error: …}) and is printed as it is; exit status 1.
 */
public final class TrainException extends Exception {
    private static final long serialVersionUID = 1L;

    TrainException(String message) {
        super(message, null, false, false);
    }

    /** {@code adjoint train: error: message}, for problems with the command line itself. */
    public static TrainException usage(String message) {
        return new TrainException("adjoint train: error: " + message);
    }

    /** {@code where: error: message}, where {@code where} is a file, {@code file:line} or {@code file:line:col}. */
    public static TrainException at(String where, String message) {
        return new TrainException(where + ": error: " + message);
    }
}
