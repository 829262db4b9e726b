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

class ConcatTest {

  static Stream<Arguments> cases() {
    Random r = new Random(10);
    return IntStream.range(0, 25).mapToObj(i -> {
      int[] base = TestSupport.randomShape(r, 1 + i % 4, 4);
      int axis = r.nextInt(base.length);
      int[][] shapes = new int[1 + r.nextInt(3)][];
      for (int p = 0; p < shapes.length; p++) {
        shapes[p] = base.clone();
        shapes[p][axis] = r.nextInt(4); // zero-width parts included
      }
      return Arguments.of(shapes, axis);
    });
  }

  @ParameterizedTest
  @MethodSource("cases")
  void concatAndBackwardMatchNaive(int[][] shapes, int axis) {
    Random r = new Random(shapes.length * 10 + axis);
    double[][] parts = new double[shapes.length][];
    int[] outShape = shapes[0].clone();
    outShape[axis] = 0;
    for (int p = 0; p < shapes.length; p++) {
      parts[p] = randomDoubles(r, size(shapes[p]));
      outShape[axis] += shapes[p][axis];
    }
    double[] expected = new double[size(outShape)];
    for (int j = 0; j < expected.length; j++) {
      int[] idx = unravel(j, outShape);
      int p = 0;
      while (idx[axis] >= shapes[p][axis]) {
        idx[axis] -= shapes[p][axis];
        p++;
      }
      expected[j] = parts[p][ravel(idx, shapes[p])];
    }
    double[] y = new double[expected.length];
    Concat.concat(parts, shapes, axis, y);
    assertArrayEquals(expected, y);

    float[][] fparts = new float[parts.length][];
    int[][] iparts = new int[parts.length][];
    for (int p = 0; p < parts.length; p++) {
      fparts[p] = toFloat(parts[p]);
      iparts[p] = new int[parts[p].length];
    }
    float[] yf = new float[expected.length];
    Concat.concat(fparts, shapes, axis, yf);
    assertArrayEquals(toFloat(expected), yf);
    Concat.concat(iparts, shapes, axis, new int[expected.length]);

    double[][] back = new double[parts.length][];
    float[][] backf = new float[parts.length][];
    for (int p = 0; p < parts.length; p++) {
      back[p] = new double[parts[p].length];
      backf[p] = new float[parts[p].length];
    }
    Concat.concatBackward(y, shapes, axis, back);
    Concat.concatBackward(yf, shapes, axis, backf);
    for (int p = 0; p < parts.length; p++) {
      assertArrayEquals(parts[p], back[p]);
      assertArrayEquals(fparts[p], backf[p]);
    }
  }

  @Test
  void rejectsPartsThatDisagreeOffTheAxis() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Concat.concat(new float[][] {new float[6], new float[4]},
            new int[][] {{2, 3}, {2, 2}}, 0, new float[10]));
    assertEquals("concat: part 1 has shape [2, 2], which does not match [2, 3] outside axis 0",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Concat.concat(new float[][] {new float[6], new float[3]},
            new int[][] {{2, 3}, {2, 2}}, 1, new float[10]));
    assertEquals("concat: part 1 has 3 elements but shape [2, 2] needs 4", e.getMessage());
  }
}
