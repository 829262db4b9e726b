package dev.adjoint.runtime;

import static dev.adjoint.runtime.TestSupport.assertClose;
import static dev.adjoint.runtime.TestSupport.randomDoubles;
import static dev.adjoint.runtime.TestSupport.size;
import static dev.adjoint.runtime.TestSupport.toFloat;
import static dev.adjoint.runtime.TestSupport.unravel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SoftmaxTest {

  static Stream<Arguments> cases() {
    Random r = new Random(4);
    return IntStream.range(0, 30).mapToObj(i -> {
      int[] shape = TestSupport.randomShape(r, 1 + i % 4, 5);
      return Arguments.of(shape, r.nextInt(shape.length));
    });
  }

  /** Naive softmax along an axis: for each element, sum over the elements that differ only on axis. */
  private static double[] naiveSoftmax(double[] x, int[] shape, int axis, boolean log) {
    double[] y = new double[x.length];
    int stride = Shapes.suffixProduct(shape, axis + 1);
    for (int i = 0; i < x.length; i++) {
      int pos = unravel(i, shape)[axis];
      int first = i - pos * stride;
      double s = 0;
      for (int r = 0; r < shape[axis]; r++) {
        s += Math.exp(x[first + r * stride]);
      }
      y[i] = log ? x[i] - Math.log(s) : Math.exp(x[i]) / s;
    }
    return y;
  }

  private static double[] softmax(double[] x, int[] shape, int axis, boolean log) {
    double[] y = new double[x.length];
    if (log) {
      Softmax.logSoftmax(x, shape, axis, y);
    } else {
      Softmax.softmax(x, shape, axis, y);
    }
    return y;
  }

  @ParameterizedTest
  @MethodSource("cases")
  void forwardMatchesNaive(int[] shape, int axis) {
    double[] x = randomDoubles(new Random(size(shape) + axis), size(shape));
    for (boolean log : new boolean[] {false, true}) {
      double[] expected = naiveSoftmax(x, shape, axis, log);
      assertClose(expected, softmax(x, shape, axis, log), 1e-12);
      float[] yf = new float[x.length];
      if (log) {
        Softmax.logSoftmax(toFloat(x), shape, axis, yf);
      } else {
        Softmax.softmax(toFloat(x), shape, axis, yf);
      }
      assertClose(expected, yf, 2e-6);
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void backwardMatchesFiniteDifferences(int[] shape, int axis) {
    Random r = new Random(size(shape) * 7 + axis);
    double[] x = randomDoubles(r, size(shape));
    double[] dy = randomDoubles(r, x.length);
    double[] dx = new double[x.length];
    Softmax.softmaxBackward(softmax(x, shape, axis, false), dy, shape, axis, dx);
    TestSupport.checkGradient(v -> softmax(v, shape, axis, false), x, dy, dx, 1e-7);
    Softmax.logSoftmaxBackward(softmax(x, shape, axis, true), dy, shape, axis, dx);
    TestSupport.checkGradient(v -> softmax(v, shape, axis, true), x, dy, dx, 1e-7);

    float[] dxf = new float[x.length];
    float[] yf = new float[x.length];
    Softmax.logSoftmax(toFloat(x), shape, axis, yf);
    Softmax.logSoftmaxBackward(yf, toFloat(dy), shape, axis, dxf);
    assertClose(dx, dxf, 1e-5);
    Softmax.softmax(toFloat(x), shape, axis, yf);
    Softmax.softmaxBackward(yf, toFloat(dy), shape, axis, dxf);
    Softmax.softmaxBackward(softmax(x, shape, axis, false), dy, shape, axis, dx);
    assertClose(dx, dxf, 1e-5);
  }

  @Test
  void stableAtHundredsAndThousands() {
    for (double big : new double[] {100, 1000}) {
      double[] x = {big, -big, 0, big};
      double[] y = softmax(x, new int[] {4}, 0, false);
      assertArrayEquals(new double[] {0.5, 0, 0, 0.5}, y, 1e-15);
      double[] ly = softmax(x, new int[] {4}, 0, true);
      assertEquals(-Math.log(2), ly[0], 1e-12);
      assertEquals(-big - Math.log(2) - big, ly[1], 1e-9);
      float[] yf = new float[4];
      Softmax.softmax(toFloat(x), new int[] {4}, 0, yf);
      assertArrayEquals(new float[] {0.5f, 0, 0, 0.5f}, yf, 1e-30f);
      Softmax.logSoftmax(toFloat(x), new int[] {4}, 0, yf);
      for (float v : yf) {
        assertTrue(Float.isFinite(v));
      }
      assertEquals((float) (-2 * big - Math.log(2)), yf[1], 1e-3);
    }
  }

  @Test
  void rejectsABadAxis() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Softmax.softmax(new float[4], new int[] {4}, 1, new float[4]));
    assertEquals("axis 1 is out of range for rank 1", e.getMessage());
  }
}
