package dev.adjoint.runtime;

import static dev.adjoint.runtime.TestSupport.assertClose;
import static dev.adjoint.runtime.TestSupport.randomDoubles;
import static dev.adjoint.runtime.TestSupport.size;
import static dev.adjoint.runtime.TestSupport.toFloat;
import static dev.adjoint.runtime.TestSupport.unravel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The kernels of issue 14 (min, prod, var, std, argmax, strided slices) against naive loops. */
class MoreReductionsTest {

  /** The values of each reduction group, in row-major order. */
  private static List<List<Double>> groups(double[] x, int[] shape, int[] axes) {
    List<List<Double>> out = new ArrayList<>();
    for (int j = 0; j < size(Shapes.reducedShape(shape, axes, false)); j++) {
      out.add(new ArrayList<>());
    }
    for (int i = 0; i < x.length; i++) {
      int[] idx = unravel(i, shape);
      int j = 0;
      for (int d = 0; d < shape.length; d++) {
        final int dd = d;
        if (Arrays.stream(axes).noneMatch(a -> a == dd)) {
          j = j * shape[d] + idx[d];
        }
      }
      out.get(j).add(x[i]);
    }
    return out;
  }

  private static double naive(String op, List<Double> g, double correction) {
    double mean = g.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
    double ss = g.stream().mapToDouble(v -> (v - mean) * (v - mean)).sum();
    return switch (op) {
      case "min" -> g.stream().mapToDouble(Double::doubleValue).min().orElse(Double.POSITIVE_INFINITY);
      case "prod" -> g.stream().mapToDouble(Double::doubleValue).reduce(1, (a, b) -> a * b);
      case "var" -> ss / (g.size() - correction);
      default -> Math.sqrt(ss / (g.size() - correction));
    };
  }

  @ParameterizedTest
  @MethodSource("dev.adjoint.runtime.ReductionsTest#cases")
  void forwardMatchesNaive(int[] shape, int[] axes) {
    double[] x = randomDoubles(new Random(size(shape) * 7L + axes.length), size(shape));
    List<List<Double>> groups = groups(x, shape, axes);
    int n = groups.size();
    for (String op : new String[] {"min", "prod", "var", "std"}) {
      double correction = op.equals("std") ? 0 : 1;
      double[] expected = groups.stream().mapToDouble(g -> naive(op, g, correction)).toArray();
      double[] y = new double[n];
      float[] yf = new float[n];
      Arrays.fill(y, 99);
      Arrays.fill(yf, 99);
      switch (op) {
        case "min" -> {
          Reductions.min(x, shape, axes, y);
          Reductions.min(toFloat(x), shape, axes, yf);
        }
        case "prod" -> {
          Reductions.prod(x, shape, axes, y);
          Reductions.prod(toFloat(x), shape, axes, yf);
        }
        case "var" -> {
          Moments.var(x, shape, axes, correction, y);
          Moments.var(toFloat(x), shape, axes, correction, yf);
        }
        default -> {
          Moments.std(x, shape, axes, correction, y);
          Moments.std(toFloat(x), shape, axes, correction, yf);
        }
      }
      assertArrayEquals(expected, y, 1e-12, op);
      for (int j = 0; j < n; j++) {
        if (Double.isFinite(expected[j])) {
          assertEquals(expected[j], yf[j], 2e-6 * Math.max(1, Math.abs(expected[j])), op);
        } else {
          assertEquals(expected[j], yf[j], op);       // a group of one: var 0/0 is NaN
        }
      }
    }
  }

  @Test
  void integerMinAndProd() {
    int[] x = {3, -2, 5, 4, 1, -6};
    int[] y = new int[2];
    Reductions.min(x, new int[] {2, 3}, new int[] {1}, y);
    assertArrayEquals(new int[] {-2, -6}, y);
    Reductions.prod(x, new int[] {2, 3}, new int[] {1}, y);
    assertArrayEquals(new int[] {-30, -24}, y);
    int[] big = {1 << 16, 1 << 16};
    assertThrows(ArithmeticException.class, () -> Reductions.prod(big, new int[] {2}, new int[] {0}, new int[1]));
  }

  /** A large common offset does not cancel the variance away (two passes in double). */
  @Test
  void varianceOfValuesWithALargeOffset() {
    float[] x = {1e6f + 1, 1e6f + 2, 1e6f + 3, 1e6f + 4};
    float[] y = new float[1];
    Moments.var(x, new int[] {4}, new int[] {0}, 1, y);
    assertEquals(5.0 / 3, y[0], 1e-6);
    double[] d = {1, 1};
    double[] v = new double[1];
    Moments.var(d, new int[] {2}, new int[] {0}, 2, v);
    assertEquals(Double.NaN, v[0]);                     // 0 / 0, as torch.var with correction = n
  }

  @Test
  void argmaxTakesTheFirstMaximumAndNaNWins() {
    int[] y = new int[2];
    ArgMax.argmax(new double[] {1, 3, 3, 2, Double.NaN, 7}, new int[] {2, 3}, 1, y);
    assertArrayEquals(new int[] {1, 1}, y);
    ArgMax.argmax(new float[] {1, 3, 3, 2, Float.NaN, 7}, new int[] {2, 3}, 1, y);
    assertArrayEquals(new int[] {1, 1}, y);
    int[] z = new int[3];
    ArgMax.argmax(new int[] {4, 5, 9, 4, 2, 9}, new int[] {2, 3}, 0, z);
    assertArrayEquals(new int[] {0, 0, 0}, z);
    assertThrows(IllegalArgumentException.class, () -> ArgMax.argmax(new double[0], new int[] {2, 0}, 1, new int[2]));
  }

  /** x[1:7:2, ::3] of a [7, 5] tensor, and its backward: the same positions, the rest zero. */
  @Test
  void stridedSliceAndItsBackward() {
    int[] shape = {7, 5};
    double[] x = new double[35];
    for (int i = 0; i < x.length; i++) {
      x[i] = i;
    }
    int[] starts = {1, 0};
    int[] steps = {2, 3};
    int[] counts = {3, 2};
    double[] y = new double[6];
    StridedSlices.slice(x, shape, starts, steps, counts, y);
    assertArrayEquals(new double[] {5, 8, 15, 18, 25, 28}, y, 0);
    int[] yi = new int[6];
    StridedSlices.slice(Arrays.stream(x).mapToInt(v -> (int) v).toArray(), shape, starts, steps, counts, yi);
    assertArrayEquals(new int[] {5, 8, 15, 18, 25, 28}, yi);
    float[] dx = new float[35];
    Arrays.fill(dx, 9);
    StridedSlices.sliceBackward(new float[] {1, 2, 3, 4, 5, 6}, shape, starts, steps, counts, dx);
    float[] expected = new float[35];
    expected[5] = 1;
    expected[8] = 2;
    expected[15] = 3;
    expected[18] = 4;
    expected[25] = 5;
    expected[28] = 6;
    assertArrayEquals(expected, dx);
    assertThrows(IllegalArgumentException.class,
        () -> StridedSlices.slice(x, shape, starts, steps, new int[] {4, 2}, new double[8]));
  }
}
