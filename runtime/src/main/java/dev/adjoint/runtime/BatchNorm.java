package dev.adjoint.runtime;

/**
 * Batch normalization, as PyTorch's {@code BatchNorm1d} over every position of an example: axis 0
 * is the batch, every other position is a feature. With {@code x} viewed as
 * {@code [batch, features]} ({@code features} = product of {@code shape[1..]}),
 * {@code y[b, f] = (x[b, f] - mean[f]) * rstd[f] * gamma[f] + beta[f]}, {@code rstd = 1 /
 * sqrt(var + eps)}, where:
 *
 * <ul>
 *   <li>in {@link Mode#TRAINING}, {@code mean} and the biased {@code var} are those of the batch;
 *       a training step ({@code update}) also moves the running statistics towards them, with
 *       PyTorch's momentum 0.1 and the unbiased variance: {@code running_mean = 0.9 *
 *       running_mean + 0.1 * mean}, {@code running_var = 0.9 * running_var + 0.1 * var * batch /
 *       (batch - 1)} (a batch of one row leaves {@code running_var} as it is: its unbiased
 *       variance is undefined, and PyTorch refuses to train on it);
 *   <li>in {@link Mode#EVALUATION}, they are the running mean and variance, so that each row is
 *       normalized on its own.
 * </ul>
 *
 * {@code gamma}, {@code beta}, {@code mean}, {@code rstd} and the running statistics have
 * {@code features} entries. Statistics are computed in double, two-pass. Outputs are overwritten.
 */
public final class BatchNorm {
  /** The weight of a batch's statistics in the running statistics (PyTorch's default). */
  public static final double MOMENTUM = 0.1;

  private BatchNorm() {}

  /**
   * Forward pass in {@code mode}: in training, as {@link #forward(float[], int[], float[], float[],
   * double, float[], float[], float[])}, and when {@code update} also the update of the running
   * statistics; in evaluation, with the running statistics ({@code mean} and {@code rstd} are
   * then left alone).
   */
  public static void forward(float[] x, int[] shape, float[] gamma, float[] beta, double eps,
      float[] y, float[] mean, float[] rstd, float[] runningMean, float[] runningVar, Mode mode,
      boolean update) {
    int features = check(x.length, shape, gamma.length, beta.length, y.length, mean.length, rstd.length);
    Shapes.checkLength("batch_norm", "running mean", runningMean.length, features);
    Shapes.checkLength("batch_norm", "running variance", runningVar.length, features);
    int batch = shape[0];
    if (mode == Mode.EVALUATION) {
      for (int f = 0; f < features; f++) {
        double mu = runningMean[f];
        double scale = gamma[f] / Math.sqrt(runningVar[f] + (double) eps);
        for (int b = 0; b < batch; b++) {
          int k = b * features + f;
          y[k] = (float) ((x[k] - mu) * scale + beta[f]);
        }
      }
      return;
    }
    forward(x, shape, gamma, beta, eps, y, mean, rstd);
    if (!update || batch == 0) {
      return;
    }
    for (int f = 0; f < features; f++) {
      double mu = 0;
      for (int b = 0; b < batch; b++) {
        mu += x[b * features + f];
      }
      mu /= batch;
      runningMean[f] = (float) ((1 - MOMENTUM) * runningMean[f] + MOMENTUM * mu);
      if (batch > 1) {
        double v = 0;
        for (int b = 0; b < batch; b++) {
          double c = x[b * features + f] - mu;
          v += c * c;
        }
        runningVar[f] = (float) ((1 - MOMENTUM) * runningVar[f] + MOMENTUM * v / (batch - 1));
      }
    }
  }

  /** The f64 form of {@link #forward(float[], int[], float[], float[], double, float[], float[], float[], float[], float[], Mode, boolean)}. */
  public static void forward(double[] x, int[] shape, double[] gamma, double[] beta, double eps,
      double[] y, double[] mean, double[] rstd, double[] runningMean, double[] runningVar,
      Mode mode, boolean update) {
    int features = check(x.length, shape, gamma.length, beta.length, y.length, mean.length, rstd.length);
    Shapes.checkLength("batch_norm", "running mean", runningMean.length, features);
    Shapes.checkLength("batch_norm", "running variance", runningVar.length, features);
    int batch = shape[0];
    if (mode == Mode.EVALUATION) {
      for (int f = 0; f < features; f++) {
        double mu = runningMean[f];
        double scale = gamma[f] / Math.sqrt(runningVar[f] + eps);
        for (int b = 0; b < batch; b++) {
          int k = b * features + f;
          y[k] = (x[k] - mu) * scale + beta[f];
        }
      }
      return;
    }
    forward(x, shape, gamma, beta, eps, y, mean, rstd);
    if (!update || batch == 0) {
      return;
    }
    for (int f = 0; f < features; f++) {
      double mu = 0;
      for (int b = 0; b < batch; b++) {
        mu += x[b * features + f];
      }
      mu /= batch;
      runningMean[f] = (1 - MOMENTUM) * runningMean[f] + MOMENTUM * mu;
      if (batch > 1) {
        double v = 0;
        for (int b = 0; b < batch; b++) {
          double c = x[b * features + f] - mu;
          v += c * c;
        }
        runningVar[f] = (1 - MOMENTUM) * runningVar[f] + MOMENTUM * v / (batch - 1);
      }
    }
  }

  /**
   * Forward pass with the statistics of the batch (training): writes {@code y} and the saved
   * {@code mean} and {@code rstd} of every feature.
   *
   * @param shape the shape of {@code x}, rank at least 1; {@code shape[0]} is the batch
   */
  public static void forward(float[] x, int[] shape, float[] gamma, float[] beta, double eps,
      float[] y, float[] mean, float[] rstd) {
    int features = check(x.length, shape, gamma.length, beta.length, y.length, mean.length, rstd.length);
    int batch = shape[0];
    for (int f = 0; f < features; f++) {
      double s = 0;
      for (int b = 0; b < batch; b++) {
        s += x[b * features + f];
      }
      double mu = s / batch;
      double v = 0;
      for (int b = 0; b < batch; b++) {
        double c = x[b * features + f] - mu;
        v += c * c;
      }
      double rs = 1 / Math.sqrt(v / batch + eps);
      double scale = rs * gamma[f];
      for (int b = 0; b < batch; b++) {
        int k = b * features + f;
        y[k] = (float) ((x[k] - mu) * scale + beta[f]);
      }
      mean[f] = (float) mu;
      rstd[f] = (float) rs;
    }
  }

  /**
   * Backward pass from the saved statistics. With {@code xhat = (x - mean) * rstd}, per feature:
   * {@code dbeta = sum(dy)}, {@code dgamma = sum(dy * xhat)} and
   * {@code dx = gamma * rstd * (dy - dbeta / batch - xhat * dgamma / batch)}.
   */
  public static void backward(float[] x, int[] shape, float[] gamma, float[] mean, float[] rstd,
      float[] dy, float[] dx, float[] dgamma, float[] dbeta) {
    int features = check(x.length, shape, gamma.length, dbeta.length, dx.length, mean.length, rstd.length);
    Shapes.checkLength("batch_norm backward", "dy", dy.length, x.length);
    Shapes.checkLength("batch_norm backward", "dgamma", dgamma.length, features);
    int batch = shape[0];
    for (int f = 0; f < features; f++) {
      double mu = mean[f];
      double rs = rstd[f];
      double sumDy = 0;
      double sumDyXhat = 0;
      for (int b = 0; b < batch; b++) {
        int k = b * features + f;
        double g = dy[k];
        sumDy += g;
        sumDyXhat += g * (x[k] - mu) * rs;
      }
      double meanDy = sumDy / batch;
      double meanDyXhat = sumDyXhat / batch;
      double scale = gamma[f] * rs;
      for (int b = 0; b < batch; b++) {
        int k = b * features + f;
        double xhat = (x[k] - mu) * rs;
        dx[k] = (float) (scale * (dy[k] - meanDy - xhat * meanDyXhat));
      }
      dgamma[f] = (float) sumDyXhat;
      dbeta[f] = (float) sumDy;
    }
  }

  // ---- f64 ----

  /**
   * Forward pass with the statistics of the batch (training): writes {@code y} and the saved
   * {@code mean} and {@code rstd} of every feature.
   *
   * @param shape the shape of {@code x}, rank at least 1; {@code shape[0]} is the batch
   */
  public static void forward(double[] x, int[] shape, double[] gamma, double[] beta, double eps,
      double[] y, double[] mean, double[] rstd) {
    int features = check(x.length, shape, gamma.length, beta.length, y.length, mean.length, rstd.length);
    int batch = shape[0];
    for (int f = 0; f < features; f++) {
      double s = 0;
      for (int b = 0; b < batch; b++) {
        s += x[b * features + f];
      }
      double mu = s / batch;
      double v = 0;
      for (int b = 0; b < batch; b++) {
        double c = x[b * features + f] - mu;
        v += c * c;
      }
      double rs = 1 / Math.sqrt(v / batch + eps);
      double scale = rs * gamma[f];
      for (int b = 0; b < batch; b++) {
        int k = b * features + f;
        y[k] = (x[k] - mu) * scale + beta[f];
      }
      mean[f] = mu;
      rstd[f] = rs;
    }
  }

  /**
   * Backward pass from the saved statistics. With {@code xhat = (x - mean) * rstd}, per feature:
   * {@code dbeta = sum(dy)}, {@code dgamma = sum(dy * xhat)} and
   * {@code dx = gamma * rstd * (dy - dbeta / batch - xhat * dgamma / batch)}.
   */
  public static void backward(double[] x, int[] shape, double[] gamma, double[] mean, double[] rstd,
      double[] dy, double[] dx, double[] dgamma, double[] dbeta) {
    int features = check(x.length, shape, gamma.length, dbeta.length, dx.length, mean.length, rstd.length);
    Shapes.checkLength("batch_norm backward", "dy", dy.length, x.length);
    Shapes.checkLength("batch_norm backward", "dgamma", dgamma.length, features);
    int batch = shape[0];
    for (int f = 0; f < features; f++) {
      double mu = mean[f];
      double rs = rstd[f];
      double sumDy = 0;
      double sumDyXhat = 0;
      for (int b = 0; b < batch; b++) {
        int k = b * features + f;
        double g = dy[k];
        sumDy += g;
        sumDyXhat += g * (x[k] - mu) * rs;
      }
      double meanDy = sumDy / batch;
      double meanDyXhat = sumDyXhat / batch;
      double scale = gamma[f] * rs;
      for (int b = 0; b < batch; b++) {
        int k = b * features + f;
        double xhat = (x[k] - mu) * rs;
        dx[k] = scale * (dy[k] - meanDy - xhat * meanDyXhat);
      }
      dgamma[f] = sumDyXhat;
      dbeta[f] = sumDy;
    }
  }

  /** Validates lengths and returns the number of features. */
  private static int check(int xLength, int[] shape, int gammaLength, int betaLength, int yLength,
      int meanLength, int rstdLength) {
    if (shape.length == 0) {
      throw new IllegalArgumentException("batch_norm: needs a batch axis, got a scalar");
    }
    Shapes.checkLength("batch_norm", "input", xLength, shape);
    Shapes.checkLength("batch_norm", "output", yLength, xLength);
    int features = Shapes.suffixProduct(shape, 1);
    Shapes.checkLength("batch_norm", "gamma", gammaLength, features);
    Shapes.checkLength("batch_norm", "beta", betaLength, features);
    Shapes.checkLength("batch_norm", "mean", meanLength, features);
    Shapes.checkLength("batch_norm", "rstd", rstdLength, features);
    return features;
  }
}
