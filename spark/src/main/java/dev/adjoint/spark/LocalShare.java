package dev.adjoint.spark;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.Tensor;
import java.io.Serializable;
import java.util.Map;

/**
 * Partitions' results of an epoch of local steps, summed: each partition's final parameters times the
 * rows it trained on, and for every step of the epoch its loss and squared gradient norms times its rows
 * in that step's batch. The driver divides: the new parameters are the row-weighted mean of the
 * partitions', a step's loss the row-weighted mean of the partitions' losses, a parameter's gradient
 * norm the row-weighted root mean square of the partitions' norms.
 */
final class LocalShare implements Serializable {
  private static final long serialVersionUID = 1L;

  private final double[][] parameters;
  private long rows;
  private final double[] lossSum;
  private final long[] stepRows;
  private final double[][] normSquares;
  /** Why a partition stopped (a diverged step), or null. */
  private String failure;

  LocalShare(int parameters, int steps) {
    this.parameters = new double[parameters][];
    this.lossSum = new double[steps];
    this.stepRows = new long[steps];
    this.normSquares = new double[steps][parameters];
  }

  /** Records step {@code s}: {@code rows} rows, their loss and each parameter's gradient norm. */
  void step(int s, int rows, double loss, double[] norms) {
    stepRows[s] += rows;
    lossSum[s] += loss * rows;
    for (int p = 0; p < norms.length; p++) {
      normSquares[s][p] += norms[p] * norms[p] * rows;
    }
  }

  /** Records the partition's parameters after the epoch, trained on {@code rows} rows. */
  void parameters(Map<String, Tensor> values, long rows) {
    this.rows += rows;
    int p = 0;
    for (Tensor t : values.values()) {
      double[] d = new double[t.size()];
      for (int i = 0; i < d.length; i++) {
        d[i] = t.getAsDouble(i) * rows;
      }
      parameters[p++] = d;
    }
  }

  void fail(String why) {
    failure = why;
  }

  /** Adds {@code o} into this one and returns this. */
  LocalShare add(LocalShare o) {
    rows += o.rows;
    for (int p = 0; p < parameters.length; p++) {
      if (o.parameters[p] == null) {
        continue;
      }
      if (parameters[p] == null) {
        parameters[p] = o.parameters[p].clone();
      } else {
        for (int i = 0; i < parameters[p].length; i++) {
          parameters[p][i] += o.parameters[p][i];
        }
      }
    }
    for (int s = 0; s < lossSum.length; s++) {
      lossSum[s] += o.lossSum[s];
      stepRows[s] += o.stepRows[s];
      for (int p = 0; p < normSquares[s].length; p++) {
        normSquares[s][p] += o.normSquares[s][p];
      }
    }
    if (failure == null) {
      failure = o.failure;
    }
    return this;
  }

  String failure() {
    return failure;
  }

  /** Writes the row-weighted mean of the partitions' parameters into {@code target}. */
  void averageInto(Map<String, Tensor> target) {
    int p = 0;
    for (Tensor t : target.values()) {
      double[] sum = parameters[p++];
      if (t instanceof FloatTensor f) {
        for (int i = 0; i < sum.length; i++) {
          f.data()[i] = (float) (sum[i] / rows);
        }
      } else {
        double[] d = ((DoubleTensor) t).data();
        for (int i = 0; i < sum.length; i++) {
          d[i] = sum[i] / rows;
        }
      }
    }
  }

  /** The row-weighted mean loss of step {@code s}. */
  double loss(int s) {
    return lossSum[s] / stepRows[s];
  }

  /** The row-weighted root mean square of the partitions' gradient norms at step {@code s}. */
  double[] norms(int s) {
    double[] n = new double[normSquares[s].length];
    for (int p = 0; p < n.length; p++) {
      n[p] = Math.sqrt(normSquares[s][p] / stepRows[s]);
    }
    return n;
  }
}
