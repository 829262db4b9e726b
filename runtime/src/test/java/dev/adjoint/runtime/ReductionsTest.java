package dev.adjoint.runtime;

import static dev.adjoint.runtime.TestSupport.assertClose;
import static dev.adjoint.runtime.TestSupport.randomDoubles;
import static dev.adjoint.runtime.TestSupport.size;
import static dev.adjoint.runtime.TestSupport.toFloat;
import static dev.adjoint.runtime.TestSupport.unravel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ReductionsTest {

  /** Shapes of rank 0..4 with random axis subsets: empty, single, contiguous runs and gaps. */
  static Stream<Arguments> cases() {
    Random r = new Random(3);
    Stream<Arguments> fixed = Stream.of(
        Arguments.of(new int[] {2, 3, 4}, new int[] {0, 2}),
        Arguments.of(new int[] {2, 3, 4}, new int[] {2, 1, 0}),
        Arguments.of(new int[] {5}, new int[] {0}),
        Arguments.of(new int[0], new int[0]),
        Arguments.of(new int[] {3, 4}, new int[] {0}),
        Arguments.of(new int[] {2, 1, 3, 2}, new int[] {1, 3}));
    Stream<Arguments> random = IntStream.range(0, 40).mapToObj(i -> {
      int[] shape = TestSupport.randomShape(r, i % 5, 4);
      return Arguments.of(shape, TestSupport.randomAxes(r, shape.length));
    });
    return Stream.concat(fixed, random);
  }

  /** Output flat index of an input flat index (kept coordinates, row-major). */
  private static int outIndex(int flat, int[] shape, int[] axes) {
    int[] idx = unravel(flat, shape);
    int j = 0;
    for (int d = 0; d < shape.length; d++) {
      if (!contains(axes, d)) {
        j = j * shape[d] + idx[d];
      }
    }
    return j;
  }

  private static boolean contains(int[] axes, int d) {
    return Arrays.stream(axes).anyMatch(a -> a == d);
  }

  private static int outSize(int[] shape, int[] axes) {
    return size(Shapes.reducedShape(shape, axes, false));
  }

  private static double[] naive(String op, double[] x, int[] shape, int[] axes) {
    int n = outSize(shape, axes);
    double[] sum = new double[n];
    double[] max = new double[n];
    int[] count = new int[n];
    Arrays.fill(max, Double.NEGATIVE_INFINITY);
    for (int i = 0; i < x.length; i++) {
      int j = outIndex(i, shape, axes);
      sum[j] += x[i];
      max[j] = Math.max(max[j], x[i]);
      count[j]++;
    }
    double[] out = new double[n];
    for (int j = 0; j < n; j++) {
      out[j] = switch (op) {
        case "sum" -> sum[j];
        case "mean" -> sum[j] / count[j];
        case "max" -> max[j];
        default -> Double.NaN;
      };
    }
    if (op.equals("logsumexp")) {
      for (int i = 0; i < x.length; i++) {
        int j = outIndex(i, shape, axes);
        out[j] = Double.isNaN(out[j]) ? 0 : out[j];
        out[j] += Math.exp(x[i] - max[j]);
      }
      for (int j = 0; j < n; j++) {
        out[j] = max[j] + Math.log(out[j]);
      }
    }
    return out;
  }

  private static double[] run(String op, double[] x, int[] shape, int[] axes) {
    double[] y = new double[outSize(shape, axes)];
    Arrays.fill(y, 99); // must be overwritten
    switch (op) {
      case "sum" -> Reductions.sum(x, shape, axes, y);
      case "mean" -> Reductions.mean(x, shape, axes, y);
      case "max" -> Reductions.max(x, shape, axes, y);
      default -> Reductions.logsumexp(x, shape, axes, y);
    }
    return y;
  }

  private static float[] run(String op, float[] x, int[] shape, int[] axes) {
    float[] y = new float[outSize(shape, axes)];
    Arrays.fill(y, 99);
    switch (op) {
      case "sum" -> Reductions.sum(x, shape, axes, y);
      case "mean" -> Reductions.mean(x, shape, axes, y);
      case "max" -> Reductions.max(x, shape, axes, y);
      default -> Reductions.logsumexp(x, shape, axes, y);
    }
    return y;
  }

  @ParameterizedTest
  @MethodSource("cases")
  void forwardMatchesNaive(int[] shape, int[] axes) {
    double[] x = randomDoubles(new Random(size(shape) + axes.length), size(shape));
    for (String op : new String[] {"sum", "mean", "max", "logsumexp"}) {
      double[] expected = naive(op, x, shape, axes);
      assertClose(expected, run(op, x, shape, axes), 1e-12);
      assertClose(expected, run(op, toFloat(x), shape, axes), 2e-6);
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void smoothBackwardsMatchFiniteDifferences(int[] shape, int[] axes) {
    Random r = new Random(size(shape) * 31 + axes.length);
    double[] x = randomDoubles(r, size(shape));
    double[] dy = randomDoubles(r, outSize(shape, axes));
    double[] dx = new double[x.length];

    ReductionGrads.sumBackward(dy, shape, axes, dx);
    TestSupport.checkGradient(v -> run("sum", v, shape, axes), x, dy, dx, 1e-7);
    ReductionGrads.meanBackward(dy, shape, axes, dx);
    TestSupport.checkGradient(v -> run("mean", v, shape, axes), x, dy, dx, 1e-7);
    double[] y = run("logsumexp", x, shape, axes);
    ReductionGrads.logsumexpBackward(x, shape, axes, y, dy, dx);
    TestSupport.checkGradient(v -> run("logsumexp", v, shape, axes), x, dy, dx, 1e-6);
    // x is random, so there are no ties and max is differentiable.
    y = run("max", x, shape, axes);
    ReductionGrads.maxBackward(x, shape, axes, y, dy, dx);
    TestSupport.checkGradient(v -> run("max", v, shape, axes), x, dy, dx, 1e-6);

    float[] dxf = new float[x.length];
    ReductionGrads.logsumexpBackward(toFloat(x), shape, axes, run("logsumexp", toFloat(x), shape, axes),
        toFloat(dy), dxf);
    double[] expected = new double[x.length];
    ReductionGrads.logsumexpBackward(x, shape, axes, run("logsumexp", x, shape, axes), dy, expected);
    assertClose(expected, dxf, 1e-5);
  }

  @ParameterizedTest
  @MethodSource("cases")
  void maxBackwardSharesTiesEvenly(int[] shape, int[] axes) {
    Random r = new Random(size(shape) * 17 + axes.length);
    double[] x = new double[size(shape)];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextInt(3); // many ties
    }
    double[] dy = randomDoubles(r, outSize(shape, axes));
    double[] y = run("max", x, shape, axes);
    int[] ties = new int[y.length];
    for (int i = 0; i < x.length; i++) {
      int j = outIndex(i, shape, axes);
      if (x[i] == y[j]) {
        ties[j]++;
      }
    }
    double[] expected = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      int j = outIndex(i, shape, axes);
      expected[i] = x[i] == y[j] ? dy[j] / ties[j] : 0;
    }
    double[] dx = new double[x.length];
    ReductionGrads.maxBackward(x, shape, axes, y, dy, dx);
    assertClose(expected, dx, 1e-15);
    float[] dxf = new float[x.length];
    ReductionGrads.maxBackward(toFloat(x), shape, axes, run("max", toFloat(x), shape, axes), toFloat(dy), dxf);
    assertClose(expected, dxf, 1e-6);
    float[] sf = new float[x.length];
    ReductionGrads.meanBackward(toFloat(dy), shape, axes, sf);
    double[] sd = new double[x.length];
    ReductionGrads.meanBackward(dy, shape, axes, sd);
    assertClose(sd, sf, 1e-6);
  }

  @Test
  void logsumexpIsStableAtLargeMagnitudes() {
    double[] big = {1000, 1000, -1000};
    double[] y = new double[1];
    Reductions.logsumexp(big, new int[] {3}, new int[] {0}, y);
    assertEquals(1000 + Math.log(2), y[0], 1e-12);
    float[] yf = new float[1];
    Reductions.logsumexp(new float[] {-100, -100}, new int[] {2}, new int[] {0}, yf);
    assertEquals((float) (-100 + Math.log(2)), yf[0], 1e-5);
    Reductions.logsumexp(new float[] {-1000, -1000}, new int[] {2}, new int[] {0}, yf);
    assertEquals((float) (-1000 + Math.log(2)), yf[0], 1e-4);
    Reductions.logsumexp(new double[] {Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY},
        new int[] {2}, new int[] {0}, y);
    assertEquals(Double.NEGATIVE_INFINITY, y[0]);
    double[] dx = new double[3];
    Reductions.logsumexp(big, new int[] {3}, new int[] {0}, y);
    ReductionGrads.logsumexpBackward(big, new int[] {3}, new int[] {0}, y, new double[] {1}, dx);
    assertArrayEquals(new double[] {0.5, 0.5, 0}, dx, 1e-12);
  }

  @Test
  void invalidAxesAndLengthsAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Reductions.sum(new float[6], new int[] {2, 3}, new int[] {2}, new float[2]));
    assertEquals("axis 2 is out of range for rank 2", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Reductions.sum(new float[6], new int[] {2, 3}, new int[] {1}, new float[3]));
    assertEquals("sum: output has 3 elements, expected 2", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> ReductionGrads.maxBackward(new double[6], new int[] {2, 3}, new int[] {1},
            new double[2], new double[2], new double[5]));
    assertEquals("max backward: dx has 5 elements, expected 6", e.getMessage());
  }
}
