package dev.adjoint.runtime;

/**
 * Batch normalization with the statistics of the batch (PyTorch's training mode): axis 0 is the
 * batch, every other position is a feature. With {@code x} viewed as {@code [batch, features]}
 * ({@code features} = product of {@code shape[1..]}),
 * {@code y[b, f] = (x[b, f] - mean[f]) * rstd[f] * gamma[f] + beta[f]}, where {@code mean} and the
 * biased variance are taken over the batch and {@code rstd = 1 / sqrt(var + eps)}. {@code gamma},
 * {@code beta}, {@code mean} and {@code rstd} have {@code features} entries.
 *
 * <p>Statistics are computed in double, two-pass. There are no running averages: the language has
 * no inference mode. Outputs are overwritten.
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
