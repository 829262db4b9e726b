package dev.adjoint.runtime;

import static dev.adjoint.runtime.TestSupport.assertClose;
import static dev.adjoint.runtime.TestSupport.randomDoubles;
import static dev.adjoint.runtime.TestSupport.toFloat;
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

class CrossEntropyTest {

  static Stream<Arguments> sizes() {
    Random r = new Random(6);
    return IntStream.range(0, 20).mapToObj(i -> Arguments.of(1 + r.nextInt(6), 1 + r.nextInt(8)));
  }

  private static int[] labels(Random r, int rows, int classes) {
    int[] labels = new int[rows];
    for (int i = 0; i < rows; i++) {
      labels[i] = r.nextInt(classes);
    }
    return labels;
  }

  private static double[] loss(double[] logits, int[] labels, int rows, int classes) {
    double[] loss = new double[rows];
    CrossEntropy.crossEntropy(logits, labels, rows, classes, loss);
    return loss;
  }

  @ParameterizedTest
  @MethodSource("sizes")
  void matchesNaiveAndFiniteDifferences(int rows, int classes) {
    Random r = new Random(rows * 100 + classes);
    double[] logits = randomDoubles(r, rows * classes);
    int[] labels = labels(r, rows, classes);
    double[] expected = new double[rows];
    for (int i = 0; i < rows; i++) {
      double s = 0;
      for (int c = 0; c < classes; c++) {
        s += Math.exp(logits[i * classes + c]);
      }
      expected[i] = -Math.log(Math.exp(logits[i * classes + labels[i]]) / s);
    }
    assertClose(expected, loss(logits, labels, rows, classes), 1e-12);
    float[] lf = new float[rows];
    CrossEntropy.crossEntropy(toFloat(logits), labels, rows, classes, lf);
    assertClose(expected, lf, 2e-6);

    double[] dloss = randomDoubles(r, rows);
    double[] dlogits = new double[logits.length];
    CrossEntropy.crossEntropyBackward(logits, labels, dloss, rows, classes, dlogits);
    TestSupport.checkGradient(v -> loss(v, labels, rows, classes), logits, dloss, dlogits, 1e-7);
    float[] df = new float[logits.length];
    CrossEntropy.crossEntropyBackward(toFloat(logits), labels, toFloat(dloss), rows, classes, df);
    assertClose(dlogits, df, 1e-5);
  }

  @Test
  void stableAndCorrectInTheLimits() {
    for (double big : new double[] {100, 1000}) {
      double[] logits = {big, -big, -big, big};
      int[] labels = {0, 0};
      double[] l = loss(logits, labels, 2, 2);
      assertEquals(0, l[0], 1e-15);
      assertEquals(2 * big, l[1], 1e-9);
      float[] lf = new float[2];
      CrossEntropy.crossEntropy(toFloat(logits), labels, 2, 2, lf);
      assertEquals(0f, lf[0]);
      assertEquals((float) (2 * big), lf[1]);
      float[] df = new float[4];
      CrossEntropy.crossEntropyBackward(toFloat(logits), labels, new float[] {1, 1}, 2, 2, df);
      assertArrayEquals(new float[] {0, 0, -1, 1}, df);
      for (float v : df) {
        assertTrue(Float.isFinite(v));
      }
    }
    double[] equal = {1000, 1000, 1000, 1000};
    assertEquals(Math.log(4), loss(equal, new int[] {2}, 1, 4)[0], 1e-12);
  }

  @Test
  void outOfRangeLabelsNameRowLabelAndClassCount() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CrossEntropy.crossEntropy(new float[6], new int[] {0, 3}, 2, 3, new float[2]));
    assertEquals("cross_entropy: label 3 in row 1 is out of range for 3 classes (expected 0 <= label < 3)",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> CrossEntropy.crossEntropyBackward(new double[6], new int[] {-1, 0}, new double[2], 2, 3,
            new double[6]));
    assertEquals("cross_entropy: label -1 in row 0 is out of range for 3 classes (expected 0 <= label < 3)",
        e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> CrossEntropy.oneHot(new int[] {1, 10}, 10, new float[20]));
    assertEquals("one_hot: label 10 in element 1 is out of range for 10 classes (expected 0 <= label < 10)",
        e.getMessage());
  }

  @Test
  void oneHot() {
    float[] out = new float[9];
    CrossEntropy.oneHot(new int[] {2, 0, 1}, 3, out);
    assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0, 0, 1, 0}, out);
    double[] od = new double[4];
    od[1] = 5;
    CrossEntropy.oneHot(new int[] {0, 1}, 2, od);
    assertArrayEquals(new double[] {1, 0, 0, 1}, od);
  }
}
