package dev.adjoint.runtime.train;

/**
 * A problem {@link GradientHealth} saw in one parameter's gradient. Raised at most once per
 * parameter and kind.
 *
 * @param kind what went wrong
 * @param parameter the parameter's name, such as {@code W[0]}
 * @param step the global step (from 1) at which the warning was raised
 * @param norm the parameter's gradient norm at that step
 * @param message a sentence for people: what happened and what to try
 */
public record HealthWarning(Kind kind, String parameter, long step, double norm, String message) {

  /** The kind of problem. */
  public enum Kind {
    /** The gradient stays tiny, absolutely or compared with the other parameters'. */
    VANISHING,
    /** The gradient is huge, absolutely or compared with its own early values. */
    EXPLODING
  }
}
