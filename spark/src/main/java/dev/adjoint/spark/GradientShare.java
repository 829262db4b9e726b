package dev.adjoint.spark;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.GradientResult;
import dev.adjoint.runtime.StepResult;
import dev.adjoint.runtime.Tensor;
import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Partitions' shares of one step's loss and gradient, summed. A partition holding {@code b} of the
 * global batch's {@code B} rows computes the model's loss and gradient on its {@code b} rows — a mean
 * over them — and contributes them weighted by {@code b / B}; the weighted sum over the partitions is
 * the mean over all {@code B} rows, which is what one {@code gradient} call on the whole batch gives
 * (see {@link SparkTrainer} for what this assumes of the loss). Sums are kept in {@code double}; a
 * partition that holds the whole batch contributes with weight exactly 1, so one partition gives the
 * single-machine gradient bit for bit.
 */
final class GradientShare implements Serializable {
  private static final long serialVersionUID = 1L;

  private double loss;
  private long rows;
  /** Per parameter in declaration order: the weighted sum; null until a partition contributes one. */
  private final double[][] gradients;

  private GradientShare(int parameters) {
    this.gradients = new double[parameters][];
  }

  /** Nothing yet: the zero of the sum. */
  static GradientShare empty(int parameters) {
    return new GradientShare(parameters);
  }

  /** One partition's share: its rows' loss and gradient weighted by {@code rows / batchRows}. */
  static GradientShare of(GradientResult r, String[] names, int rows, int batchRows) {
    double w = (double) rows / batchRows;
    GradientShare s = new GradientShare(names.length);
    s.loss = r.loss() * w;
    s.rows = rows;
    for (int p = 0; p < names.length; p++) {
      Tensor g = r.gradients().get(names[p]);
      if (g != null) {
        double[] d = new double[g.size()];
        for (int i = 0; i < d.length; i++) {
          d[i] = g.getAsDouble(i) * w;
        }
        s.gradients[p] = d;
      }
    }
    return s;
  }

  /** Adds {@code o} into this one and returns this. */
  GradientShare add(GradientShare o) {
    loss += o.loss;
    rows += o.rows;
    for (int p = 0; p < gradients.length; p++) {
      double[] g = o.gradients[p];
      if (g == null) {
        continue;
      }
      if (gradients[p] == null) {
        gradients[p] = g.clone();
      } else {
        double[] mine = gradients[p];
        for (int i = 0; i < mine.length; i++) {
          mine[i] += g[i];
        }
      }
    }
    return this;
  }

  /** The rows that contributed. */
  long rows() {
    return rows;
  }

  /**
   * The sum as a gradient result: the loss, and each parameter's gradient with the parameter's element
   * type and shape (a parameter no partition had a gradient for is left out).
   */
  StepResult toResult(Map<String, Tensor> parameters) {
    Map<String, Tensor> out = new LinkedHashMap<>();
    int p = 0;
    for (Map.Entry<String, Tensor> e : parameters.entrySet()) {
      double[] g = gradients[p++];
      if (g == null) {
        continue;
      }
      Tensor t = e.getValue();
      if (t instanceof FloatTensor) {
        float[] f = new float[g.length];
        for (int i = 0; i < g.length; i++) {
          f[i] = (float) g[i];
        }
        out.put(e.getKey(), FloatTensor.wrap(f, t.shape()));
      } else {
        out.put(e.getKey(), DoubleTensor.wrap(g.clone(), t.shape()));
      }
    }
    return new StepResult(Map.of(), out).loss(loss);
  }
}
