package dev.adjoint.runtime;

import static dev.adjoint.runtime.TestSupport.randomDoubles;
import static dev.adjoint.runtime.TestSupport.ravel;
import static dev.adjoint.runtime.TestSupport.size;
import static dev.adjoint.runtime.TestSupport.toFloat;
import static dev.adjoint.runtime.TestSupport.unravel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TransposeTest {

  static Stream<Arguments> cases() {
    Random r = new Random(8);
    return IntStream.range(0, 30).mapToObj(i -> {
      int[] shape = TestSupport.randomShape(r, i % 5, 4);
      int[] perm = IntStream.range(0, shape.length).toArray();
      for (int k = perm.length - 1; k > 0; k--) {
        int j = r.nextInt(k + 1);
        int t = perm[k];
        perm[k] = perm[j];
        perm[j] = t;
      }
      return Arguments.of(shape, perm);
    });
  }

  @ParameterizedTest
  @MethodSource("cases")
  void matchesNaiveAndInverseUndoesIt(int[] shape, int[] perm) {
    double[] x = randomDoubles(new Random(size(shape)), size(shape));
    int[] yShape = new int[shape.length];
    for (int d = 0; d < shape.length; d++) {
      yShape[d] = shape[perm[d]];
    }
    double[] expected = new double[x.length];
    for (int i = 0; i < x.length; i++) {
      int[] xi = unravel(i, shape);
      int[] yi = new int[shape.length];
      for (int d = 0; d < shape.length; d++) {
        yi[d] = xi[perm[d]];
      }
      expected[ravel(yi, yShape)] = x[i];
    }
    double[] y = new double[x.length];
    Transpose.transpose(x, shape, perm, y);
    assertArrayEquals(expected, y);
    float[] yf = new float[x.length];
    Transpose.transpose(toFloat(x), shape, perm, yf);
    assertArrayEquals(toFloat(expected), yf);
    int[] xi = new int[x.length];
    for (int i = 0; i < xi.length; i++) {
      xi[i] = i;
    }
    int[] yi = new int[x.length];
    Transpose.transpose(xi, shape, perm, yi);
    for (int i = 0; i < yi.length; i++) {
      assertEquals(expected[i], x[yi[i]]);
    }
    double[] back = new double[x.length];
    Transpose.transpose(y, yShape, Shapes.inversePermutation(perm), back);
    assertArrayEquals(x, back);
  }

  @Test
  void matrixTranspose() {
    float[] y = new float[6];
    Transpose.transpose2d(new float[] {1, 2, 3, 4, 5, 6}, 2, 3, y);
    assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, y);
    double[] yd = new double[6];
    Transpose.transpose(new double[] {1, 2, 3, 4, 5, 6}, new int[] {2, 3}, new int[] {1, 0}, yd);
    assertArrayEquals(new double[] {1, 4, 2, 5, 3, 6}, yd);
  }

  @Test
  void rejectsABadPermutation() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Transpose.transpose(new float[6], new int[] {2, 3}, new int[] {1, 1}, new float[6]));
    assertEquals("not a permutation of 0..1: [1, 1]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Transpose.transpose(new float[6], new int[] {2, 3}, new int[] {0}, new float[6]));
    assertEquals("transpose: permutation [0] does not match rank 2 of shape [2, 3]", e.getMessage());
  }
}
