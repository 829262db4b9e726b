package dev.adjoint.runtime;

/**
 * Batch normalization with the statistics of the batch (PyTorch's training mode): axis 0 is the
 * batch, every other position is a feature. With {@code x} viewed as {@code [batch, features]}
 * ({@code features} = product of {@code shape[1..]}),
 * {@code y[b, f] = (x[b, f] - mean[f]) * rstd[f] * gamma[f] + beta[f]}, where {@code mean} and the
 * biased variance are taken over the batch and {@code rstd = 1 / sqrt(var + eps)}. {@code gamma},
 * {@code beta}, {@code mean} and {@code rstd} have {@code features} entries.
 *
 * <p>Statistics are computed in double, two-pass, in the thread's scratch arrays, so that every loop
 * runs along rows in memory order (each feature still sums its batch in ascending order). There are
 * no running averages: the language has no inference mode. Outputs are overwritten.
 */
public final class BatchNorm {
  private BatchNorm() {}

  // twin: double
  /**
   * Forward pass: writes {@code y} and the saved {@code mean} and {@code rstd} of every feature.
   *
   * @param shape the shape of {@code x}, rank at least 1; {@code shape[0]} is the batch
   */
  public static void forward(float[] x, int[] shape, float[] gamma, float[] beta, double eps,
      float[] y, float[] mean, float[] rstd) {
    int features = check(x.length, shape, gamma.length, beta.length, y.length, mean.length, rstd.length);
    int batch = shape[0];
    GemmScratch scratch = GemmScratch.current();
    double[] mu = scratch.statsA(features);
    double[] rs = scratch.statsB(features);
    for (int b = 0; b < batch; b++) {
      for (int f = 0, k = b * features; f < features; f++, k++) {
        mu[f] += x[k];
      }
    }
    for (int f = 0; f < features; f++) {
      mu[f] /= batch;
    }
    for (int b = 0; b < batch; b++) {
      for (int f = 0, k = b * features; f < features; f++, k++) {
        double c = x[k] - mu[f];
        rs[f] += c * c;
      }
    }
    for (int f = 0; f < features; f++) {
      rs[f] = 1 / Math.sqrt(rs[f] / batch + eps);
      mean[f] = (float) mu[f];
      rstd[f] = (float) rs[f];
    }
    for (int b = 0; b < batch; b++) {
      for (int f = 0, k = b * features; f < features; f++, k++) {
        y[k] = (float) ((x[k] - mu[f]) * (rs[f] * gamma[f]) + beta[f]);
      }
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
    GemmScratch scratch = GemmScratch.current();
    double[] sumDy = scratch.statsA(features);
    double[] sumDyXhat = scratch.statsB(features);
    for (int b = 0; b < batch; b++) {
      for (int f = 0, k = b * features; f < features; f++, k++) {
        double g = dy[k];
        sumDy[f] += g;
        sumDyXhat[f] += g * (x[k] - (double) mean[f]) * rstd[f];
      }
    }
    for (int f = 0; f < features; f++) {
      dgamma[f] = (float) sumDyXhat[f];
      dbeta[f] = (float) sumDy[f];
      sumDy[f] /= batch;
      sumDyXhat[f] /= batch;
    }
    for (int b = 0; b < batch; b++) {
      for (int f = 0, k = b * features; f < features; f++, k++) {
        double rs = rstd[f];
        double xhat = (x[k] - (double) mean[f]) * rs;
        dx[k] = (float) ((gamma[f] * rs) * (dy[k] - sumDy[f] - xhat * sumDyXhat[f]));
      }
    }
  }
  // end twin

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
