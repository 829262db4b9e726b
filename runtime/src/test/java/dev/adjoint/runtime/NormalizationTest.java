package dev.adjoint.runtime;

import static dev.adjoint.runtime.TestSupport.assertClose;
import static dev.adjoint.runtime.TestSupport.randomDoubles;
import static dev.adjoint.runtime.TestSupport.size;
import static dev.adjoint.runtime.TestSupport.toFloat;
import static dev.adjoint.runtime.TestSupport.unravel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Layer norm (any single axis) and batch norm (axis 0), forward against naive, backward against finite differences. */
class NormalizationTest {
  private static final double EPS = 1e-5;

  static Stream<Arguments> cases() {
    Random r = new Random(11);
    return IntStream.range(0, 24).mapToObj(i -> {
      int[] shape = TestSupport.randomShape(r, 1 + i % 4, 4);
      int axis = r.nextInt(shape.length);
      shape[axis] = 2 + r.nextInt(4); // a normalized axis of one element has no variance to speak of
      if (shape.length > 0) {
        shape[0] = Math.max(shape[0], 2);
      }
      return Arguments.of(shape, axis);
    });
  }

  private record LayerNormOut(double[] y, double[] mean, double[] rstd) {}

  private static LayerNormOut layerNorm(double[] x, int[] shape, int axis, double[] gamma, double[] beta) {
    int slices = x.length / shape[axis];
    LayerNormOut out = new LayerNormOut(new double[x.length], new double[slices], new double[slices]);
    LayerNorm.forward(x, shape, axis, gamma, beta, EPS, out.y(), out.mean(), out.rstd());
    return out;
  }

  @ParameterizedTest
  @MethodSource("cases")
  void layerNormMatchesNaive(int[] shape, int axis) {
    Random r = new Random(size(shape) + axis);
    double[] x = randomDoubles(r, size(shape));
    double[] gamma = randomDoubles(r, shape[axis]);
    double[] beta = randomDoubles(r, shape[axis]);
    int n = shape[axis];
    int stride = Shapes.suffixProduct(shape, axis + 1);
    double[] expected = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      int pos = unravel(i, shape)[axis];
      int first = i - pos * stride;
      double mu = 0;
      for (int k = 0; k < n; k++) {
        mu += x[first + k * stride] / n;
      }
      double var = 0;
      for (int k = 0; k < n; k++) {
        var += (x[first + k * stride] - mu) * (x[first + k * stride] - mu) / n;
      }
      expected[i] = (x[i] - mu) / Math.sqrt(var + EPS) * gamma[pos] + beta[pos];
    }
    assertClose(expected, layerNorm(x, shape, axis, gamma, beta).y(), 1e-12);
    float[] yf = new float[x.length];
    int slices = x.length / n;
    LayerNorm.forward(toFloat(x), shape, axis, toFloat(gamma), toFloat(beta), EPS, yf,
        new float[slices], new float[slices]);
    assertClose(expected, yf, 1e-5);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void layerNormBackwardMatchesFiniteDifferences(int[] shape, int axis) {
    Random r = new Random(size(shape) * 3 + axis);
    double[] x = randomDoubles(r, size(shape));
    double[] gamma = randomDoubles(r, shape[axis]);
    double[] beta = randomDoubles(r, shape[axis]);
    double[] dy = randomDoubles(r, x.length);
    LayerNormOut f = layerNorm(x, shape, axis, gamma, beta);
    double[] dx = new double[x.length];
    double[] dgamma = new double[gamma.length];
    double[] dbeta = new double[beta.length];
    LayerNorm.backward(x, shape, axis, gamma, f.mean(), f.rstd(), dy, dx, dgamma, dbeta);
    TestSupport.checkGradient(v -> layerNorm(v, shape, axis, gamma, beta).y(), x, dy, dx, 1e-5);
    TestSupport.checkGradient(v -> layerNorm(x, shape, axis, v, beta).y(), gamma.clone(), dy, dgamma, 1e-6);
    TestSupport.checkGradient(v -> layerNorm(x, shape, axis, gamma, v).y(), beta.clone(), dy, dbeta, 1e-6);

    int slices = x.length / shape[axis];
    float[] mean = new float[slices];
    float[] rstd = new float[slices];
    float[] xf = toFloat(x);
    LayerNorm.forward(xf, shape, axis, toFloat(gamma), toFloat(beta), EPS, new float[x.length], mean, rstd);
    float[] dxf = new float[x.length];
    float[] dgf = new float[gamma.length];
    float[] dbf = new float[beta.length];
    LayerNorm.backward(xf, shape, axis, toFloat(gamma), mean, rstd, toFloat(dy), dxf, dgf, dbf);
    assertClose(dx, dxf, 1e-4);
    assertClose(dgamma, dgf, 1e-4);
    assertClose(dbeta, dbf, 1e-5);
  }

  private static double[] batchNorm(double[] x, int[] shape, double[] gamma, double[] beta,
      double[] mean, double[] rstd) {
    double[] y = new double[x.length];
    BatchNorm.forward(x, shape, gamma, beta, EPS, y, mean, rstd);
    return y;
  }

  @ParameterizedTest
  @MethodSource("cases")
  void batchNormMatchesNaiveAndFiniteDifferences(int[] shape, int ignoredAxis) {
    Random r = new Random(size(shape) * 5 + ignoredAxis);
    int batch = shape[0];
    int features = size(shape) / batch;
    double[] x = randomDoubles(r, size(shape));
    double[] gamma = randomDoubles(r, features);
    double[] beta = randomDoubles(r, features);
    double[] expected = new double[x.length];
    for (int f = 0; f < features; f++) {
      double mu = 0;
      for (int b = 0; b < batch; b++) {
        mu += x[b * features + f] / batch;
      }
      double var = 0;
      for (int b = 0; b < batch; b++) {
        var += (x[b * features + f] - mu) * (x[b * features + f] - mu) / batch;
      }
      for (int b = 0; b < batch; b++) {
        expected[b * features + f] = (x[b * features + f] - mu) / Math.sqrt(var + EPS) * gamma[f] + beta[f];
      }
    }
    double[] mean = new double[features];
    double[] rstd = new double[features];
    assertClose(expected, batchNorm(x, shape, gamma, beta, mean, rstd), 1e-12);
    float[] yf = new float[x.length];
    BatchNorm.forward(toFloat(x), shape, toFloat(gamma), toFloat(beta), EPS, yf,
        new float[features], new float[features]);
    assertClose(expected, yf, 1e-5);

    double[] dy = randomDoubles(r, x.length);
    double[] dx = new double[x.length];
    double[] dgamma = new double[features];
    double[] dbeta = new double[features];
    BatchNorm.backward(x, shape, gamma, mean, rstd, dy, dx, dgamma, dbeta);
    double[] m2 = new double[features];
    double[] r2 = new double[features];
    TestSupport.checkGradient(v -> batchNorm(v, shape, gamma, beta, m2, r2), x, dy, dx, 1e-5);
    TestSupport.checkGradient(v -> batchNorm(x, shape, v, beta, m2, r2), gamma.clone(), dy, dgamma, 1e-6);
    TestSupport.checkGradient(v -> batchNorm(x, shape, gamma, v, m2, r2), beta.clone(), dy, dbeta, 1e-6);
  }

  @Test
  void lengthErrorsNameTheOperation() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LayerNorm.forward(new float[6], new int[] {2, 3}, 1, new float[2], new float[3], EPS,
            new float[6], new float[2], new float[2]));
    assertEquals("layer_norm: gamma has 2 elements, expected 3", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> BatchNorm.forward(new double[6], new int[] {2, 3}, new double[3], new double[3], EPS,
            new double[6], new double[2], new double[3]));
    assertEquals("batch_norm: mean has 2 elements, expected 3", e.getMessage());
  }
}
