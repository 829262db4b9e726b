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

class SlicesTest {

  static Stream<Arguments> cases() {
    Random r = new Random(9);
    return IntStream.range(0, 30).mapToObj(i -> {
      int[] shape = TestSupport.randomShape(r, i % 5, 5);
      int[] starts = new int[shape.length];
      int[] ends = new int[shape.length];
      for (int d = 0; d < shape.length; d++) {
        starts[d] = r.nextInt(shape[d] + 1);
        ends[d] = starts[d] + r.nextInt(shape[d] - starts[d] + 1);
      }
      return Arguments.of(shape, starts, ends);
    });
  }

  @ParameterizedTest
  @MethodSource("cases")
  void sliceAndItsBackwardMatchNaive(int[] shape, int[] starts, int[] ends) {
    Random r = new Random(size(shape));
    double[] x = randomDoubles(r, size(shape));
    int[] yShape = Shapes.sliceShape(starts, ends);
    double[] expected = new double[size(yShape)];
    for (int j = 0; j < expected.length; j++) {
      int[] idx = unravel(j, yShape);
      for (int d = 0; d < idx.length; d++) {
        idx[d] += starts[d];
      }
      expected[j] = x[ravel(idx, shape)];
    }
    double[] y = new double[expected.length];
    Slices.slice(x, shape, starts, ends, y);
    assertArrayEquals(expected, y);
    float[] yf = new float[expected.length];
    Slices.slice(toFloat(x), shape, starts, ends, yf);
    assertArrayEquals(toFloat(expected), yf);
    int[] xi = IntStream.range(0, x.length).toArray();
    int[] yi = new int[expected.length];
    Slices.slice(xi, shape, starts, ends, yi);
    for (int j = 0; j < yi.length; j++) {
      assertEquals(expected[j], x[yi[j]]);
    }

    // Backward: the adjoint, <slice(x), dy> == <x, sliceBackward(dy)>; accumulate adds.
    double[] dy = randomDoubles(r, expected.length);
    double[] dx = randomDoubles(r, x.length);
    Slices.sliceBackward(dy, shape, starts, ends, dx, false);
    assertEquals(TestSupport.dot(y, dy), TestSupport.dot(x, dx), 1e-12);
    double[] acc = x.clone();
    Slices.sliceBackward(dy, shape, starts, ends, acc, true);
    for (int i = 0; i < x.length; i++) {
      assertEquals(x[i] + dx[i], acc[i], 1e-15);
    }
    float[] dxf = new float[x.length];
    Slices.sliceBackward(toFloat(dy), shape, starts, ends, dxf, false);
    assertArrayEquals(toFloat(dx), dxf);
  }

  @Test
  void rejectsBoundsOutsideTheAxis() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Slices.slice(new float[6], new int[] {2, 3}, new int[] {0, 2}, new int[] {2, 4}, new float[4]));
    assertEquals("slice: axis 1 bounds [2, 4) are not within 0..3", e.getMessage());
  }
}
