package dev.adjoint.runtime;

import java.util.Arrays;

/**
 * Layer normalization over one axis:
 * {@code y = (x - mean) * rstd * gamma + beta}, with {@code mean} and the biased variance taken
 * along {@code axis} and {@code rstd = 1 / sqrt(var + eps)}. {@code gamma} and {@code beta} have
 * one entry per position along {@code axis}.
 *
 * <p>The tensor is viewed as {@code [outer, n, inner]} around {@code axis} (the last axis is the
 * usual case, {@code inner = 1}). The forward pass saves {@code mean} and {@code rstd}, one value
 * per normalized slice ({@code outer * inner} values, row-major over the remaining axes), for the
 * backward pass. Statistics are computed in double, two-pass. Outputs are overwritten.
 *
 * <p>Dedicated rather than composed from primitives because the fused backward is shorter, needs no
 * intermediate tensors and is more accurate.
 */
public final class LayerNorm {
  private LayerNorm() {}

  // twin: double
  /**
   * Forward pass: writes {@code y}, and the saved {@code mean} and {@code rstd}.
   *
   * @param gamma scale, length {@code shape[axis]}
   * @param beta shift, length {@code shape[axis]}
   * @param mean out: mean of each slice, length {@code size / shape[axis]}
   * @param rstd out: {@code 1 / sqrt(var + eps)} of each slice, same length as {@code mean}
   */
  public static void forward(float[] x, int[] shape, int axis, float[] gamma, float[] beta,
      double eps, float[] y, float[] mean, float[] rstd) {
    check(x.length, shape, axis, gamma.length, beta.length, y.length, mean.length, rstd.length);
    int n = shape[axis];
    int inner = Shapes.suffixProduct(shape, axis + 1);
    for (int j = 0; j < mean.length; j++) {
      int base = j / inner * n * inner + j % inner;
      double s = 0;
      for (int r = 0; r < n; r++) {
        s += x[base + r * inner];
      }
      double mu = s / n;
      double v = 0;
      for (int r = 0; r < n; r++) {
        double c = x[base + r * inner] - mu;
        v += c * c;
      }
      double rs = 1 / Math.sqrt(v / n + eps);
      for (int r = 0; r < n; r++) {
        int k = base + r * inner;
        y[k] = (float) ((x[k] - mu) * rs * gamma[r] + beta[r]);
      }
      mean[j] = (float) mu;
      rstd[j] = (float) rs;
    }
  }

  /**
   * Backward pass from the saved statistics. With {@code xhat = (x - mean) * rstd} and
   * {@code g = dy * gamma}: {@code dx = rstd * (g - mean(g) - xhat * mean(g * xhat))} along the axis,
   * {@code dgamma = sum(dy * xhat)} and {@code dbeta = sum(dy)} over all slices.
   *
   * @param dx out, shape of {@code x}
   * @param dgamma out, length {@code shape[axis]}
   * @param dbeta out, length {@code shape[axis]}
   */
  public static void backward(float[] x, int[] shape, int axis, float[] gamma, float[] mean,
      float[] rstd, float[] dy, float[] dx, float[] dgamma, float[] dbeta) {
    check(x.length, shape, axis, gamma.length, dbeta.length, dx.length, mean.length, rstd.length);
    Shapes.checkLength("layer_norm backward", "dy", dy.length, x.length);
    Shapes.checkLength("layer_norm backward", "dgamma", dgamma.length, gamma.length);
    int n = shape[axis];
    int inner = Shapes.suffixProduct(shape, axis + 1);
    Arrays.fill(dgamma, 0);
    Arrays.fill(dbeta, 0);
    for (int j = 0; j < mean.length; j++) {
      int base = j / inner * n * inner + j % inner;
      double mu = mean[j];
      double rs = rstd[j];
      double sumG = 0;
      double sumGx = 0;
      for (int r = 0; r < n; r++) {
        int k = base + r * inner;
        double gr = gamma[r];
        double g = gr * dy[k];
        sumG += g;
        sumGx += g * (x[k] - mu) * rs;
      }
      double meanG = sumG / n;
      double meanGx = sumGx / n;
      for (int r = 0; r < n; r++) {
        int k = base + r * inner;
        double xhat = (x[k] - mu) * rs;
        double gr = gamma[r];
        double g = gr * dy[k];
        dx[k] = (float) (rs * (g - meanG - xhat * meanGx));
        dgamma[r] += (float) (dy[k] * xhat);
        dbeta[r] += dy[k];
      }
    }
  }
  // end twin

  private static void check(int xLength, int[] shape, int axis, int gammaLength, int betaLength,
      int yLength, int meanLength, int rstdLength) {
    Shapes.checkAxis(axis, shape.length);
    Shapes.checkLength("layer_norm", "input", xLength, shape);
    Shapes.checkLength("layer_norm", "output", yLength, xLength);
    Shapes.checkLength("layer_norm", "gamma", gammaLength, shape[axis]);
    Shapes.checkLength("layer_norm", "beta", betaLength, shape[axis]);
    long slices = (long) Shapes.product(shape, 0, axis) * Shapes.suffixProduct(shape, axis + 1);
    Shapes.checkLength("layer_norm", "mean", meanLength, slices);
    Shapes.checkLength("layer_norm", "rstd", rstdLength, slices);
  }
}
