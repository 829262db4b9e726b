package dev.adjoint.spark;

import java.io.Serializable;

/**
 * What the driver broadcasts once per epoch for training with local steps: the epoch, the parameters
 * (float[] or double[] per parameter, in declaration order), the epoch's row order (position → row
 * number), the batch size, each step's learning rate (NaN: the optimizer's own) and the clip norm (NaN:
 * none).
 */
record EpochInput(int epoch, long firstStep, Object[] parameters, int[] order, int batchSize, double[] rates,
    double clipNorm) implements Serializable {

  /** The steps in the epoch. */
  int steps() {
    return rates.length;
  }

  /** The row numbers of step {@code s} (0-based within the epoch). */
  int[] batch(int s) {
    int from = s * batchSize;
    return java.util.Arrays.copyOfRange(order, from, Math.min(order.length, from + batchSize));
  }
}
