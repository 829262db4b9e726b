package dev.adjoint.runtime;

/**
 * How a model computes the ops that behave differently while training: {@code batch_norm} and
 * {@code dropout}.
 *
 * <ul>
 *   <li>{@link #TRAINING}: {@code batch_norm} normalizes with the statistics of the batch, and
 *       {@code dropout(x, p)} zeroes each element with probability {@code p} and scales the rest by
 *       {@code 1 / (1 - p)}, with the masks of the model's current training step
 *       ({@link AdjointModel#trainingStep()}). What {@link AdjointModel#step} and
 *       {@link AdjointModel#gradient} compute.
 *   <li>{@link #EVALUATION}: {@code batch_norm} normalizes with its running mean and variance, and
 *       {@code dropout} is the identity. What {@link AdjointModel#evaluate},
 *       {@link AdjointModel#forward} and {@link AdjointModel#predict} compute, so that a row's
 *       prediction does not depend on the other rows of its batch, nor on chance.
 * </ul>
 *
 * <p>A model without {@code batch_norm} and {@code dropout} computes the same in both.
 */
public enum Mode {
  /** Batch statistics and dropout masks, as in a training step. */
  TRAINING,
  /** Running statistics, no dropout: evaluation and prediction. */
  EVALUATION
}
