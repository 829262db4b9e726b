package dev.adjoint.runtime.train;

import java.util.Arrays;
import java.util.Objects;

/**
 * A bounded, evenly spaced record of per-parameter norms: records are sampled with a stride that
 * starts at 1; when the store is full every other sample is dropped and the stride doubles. The
 * latest record is always kept as well, so the samples run from the first record to the latest.
 * Exact minimum and maximum over all records. Adding allocates nothing.
 */
final class NormSamples {
  // Strided samples: steps[i], norms[p][i] for i < count, from records 1 + i * stride.
  private final long[] steps;
  private final double[][] norms;
  private int count;
  private long stride = 1;
  // The latest record, kept whether or not it is a strided sample.
  private final double[] lastNorms;
  private long lastStep;
  private boolean lastIsExtra;
  private long records;
  private final double[] min;
  private final double[] max;

  /** Room for {@code maxSamples >= 2} samples of {@code parameters} norms. */
  NormSamples(int parameters, int maxSamples) {
    steps = new long[maxSamples - 1];
    norms = new double[parameters][maxSamples - 1];
    lastNorms = new double[parameters];
    min = new double[parameters];
    max = new double[parameters];
    Arrays.fill(min, Double.POSITIVE_INFINITY);
    Arrays.fill(max, Double.NEGATIVE_INFINITY);
  }

  void add(long step, double[] values) {
    records++;
    for (int p = 0; p < values.length; p++) {
      min[p] = Math.min(min[p], values[p]);
      max[p] = Math.max(max[p], values[p]);
      lastNorms[p] = values[p];
    }
    lastStep = step;
    lastIsExtra = true;
    if ((records - 1) % stride != 0) {
      return;
    }
    if (count == steps.length) {
      // Full: keep samples 0, 2, 4, … and double the stride.
      int kept = (count + 1) / 2;
      for (int i = 0; i < kept; i++) {
        steps[i] = steps[2 * i];
        for (double[] s : norms) {
          s[i] = s[2 * i];
        }
      }
      count = kept;
      stride *= 2;
      if ((records - 1) % stride != 0) {
        return;
      }
    }
    steps[count] = step;
    for (int p = 0; p < values.length; p++) {
      norms[p][count] = values[p];
    }
    count++;
    lastIsExtra = false;
  }

  /** The number of {@link #add} calls. */
  long records() {
    return records;
  }

  int samples() {
    return count + (lastIsExtra ? 1 : 0);
  }

  long stepAt(int sample) {
    Objects.checkIndex(sample, samples());
    return sample < count ? steps[sample] : lastStep;
  }

  double norm(int parameter, int sample) {
    Objects.checkIndex(parameter, lastNorms.length);
    Objects.checkIndex(sample, samples());
    return sample < count ? norms[parameter][sample] : lastNorms[parameter];
  }

  /** The smallest value of the parameter over every record; NaN before the first. */
  double min(int parameter) {
    return records == 0 ? Double.NaN : min[parameter];
  }

  /** The largest value of the parameter over every record; NaN before the first. */
  double max(int parameter) {
    return records == 0 ? Double.NaN : max[parameter];
  }
}
