package dev.adjoint.runtime;

import static dev.adjoint.runtime.TestSupport.assertClose;
import static dev.adjoint.runtime.TestSupport.randomDoubles;
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

class BroadcastTest {

  /** A big shape of rank 0..4 and a small shape that broadcasts to it (leading axes dropped, 1s). */
  static Stream<Arguments> shapes() {
    Random r = new Random(2);
    return IntStream.range(0, 40).mapToObj(i -> {
      int[] big = TestSupport.randomShape(r, i % 5, 4);
      int drop = big.length == 0 ? 0 : r.nextInt(big.length + 1);
      int[] small = new int[big.length - drop];
      for (int d = 0; d < small.length; d++) {
        small[d] = r.nextInt(3) == 0 ? 1 : big[d + drop];
      }
      return Arguments.of(big, small);
    });
  }

  /** Naive source index of a destination flat index under broadcasting. */
  private static int sourceIndex(int flat, int[] big, int[] small) {
    int[] idx = unravel(flat, big);
    int lead = big.length - small.length;
    int s = 0;
    for (int d = 0; d < small.length; d++) {
      s = s * small[d] + (small[d] == 1 ? 0 : idx[d + lead]);
    }
    return s;
  }

  @ParameterizedTest
  @MethodSource("shapes")
  void broadcastToMatchesNaive(int[] big, int[] small) {
    double[] src = randomDoubles(new Random(size(big)), size(small));
    double[] expected = new double[size(big)];
    for (int i = 0; i < expected.length; i++) {
      expected[i] = src[sourceIndex(i, big, small)];
    }
    double[] dd = new double[expected.length];
    Broadcast.broadcastTo(src, small, dd, big);
    assertArrayEquals(expected, dd);
    float[] df = new float[expected.length];
    Broadcast.broadcastTo(toFloat(src), small, df, big);
    assertArrayEquals(toFloat(expected), df);
    int[] si = new int[src.length];
    for (int i = 0; i < si.length; i++) {
      si[i] = i * 3;
    }
    int[] di = new int[expected.length];
    Broadcast.broadcastTo(si, small, di, big);
    for (int i = 0; i < di.length; i++) {
      assertEquals(3 * sourceIndex(i, big, small), di[i]);
    }
  }

  @ParameterizedTest
  @MethodSource("shapes")
  void sumToShapeMatchesNaiveAndIsTheAdjoint(int[] big, int[] small) {
    Random r = new Random(size(big) + 7);
    double[] src = randomDoubles(r, size(big));
    double[] expected = new double[size(small)];
    for (int i = 0; i < src.length; i++) {
      expected[sourceIndex(i, big, small)] += src[i];
    }
    double[] dd = randomDoubles(r, expected.length); // overwritten
    Broadcast.sumToShape(src, big, dd, small);
    assertClose(expected, dd, 1e-12);
    float[] df = new float[expected.length];
    Broadcast.sumToShape(toFloat(src), big, df, small);
    assertClose(expected, df, 1e-5);

    // <broadcast(a), b> == <a, sumToShape(b)>
    double[] a = randomDoubles(r, size(small));
    double[] ba = new double[src.length];
    Broadcast.broadcastTo(a, small, ba, big);
    assertEquals(TestSupport.dot(ba, src), TestSupport.dot(a, dd), 1e-9);
  }

  @Test
  void biasGradientIsTheBatchSum() {
    double[] dy = {1, 2, 3, 4, 5, 6};
    double[] db = new double[3];
    Broadcast.sumToShape(dy, new int[] {2, 3}, db, new int[] {3});
    assertArrayEquals(new double[] {5, 7, 9}, db);
  }

  /** {@code rows} against the naive loop, for row lengths and counts around its doubling copies. */
  @ParameterizedTest(name = "n={0} rows={1}")
  @MethodSource("rowCounts")
  void rowsRepeatsTheRowAndLeavesTheRestAlone(int n, int rows) {
    Random r = new Random(31L * n + rows);
    float[] row = new float[n + 2];                    // longer than n: only the first n are read
    for (int j = 0; j < row.length; j++) {
      row[j] = r.nextFloat() - 0.5f;
    }
    float[] out = new float[n * rows + 3];             // longer than the total: the tail is not written
    java.util.Arrays.fill(out, Float.NaN);
    Broadcast.rows(row, n, out, n * rows);
    for (int i = 0; i < out.length; i++) {
      float want = i < n * rows ? row[i % n] : Float.NaN;
      assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(out[i]), "element " + i);
    }
    double[] rowD = {1.5, -2.5, 3.5};
    double[] outD = new double[3 * rows];
    Broadcast.rows(rowD, 3, outD, 3 * rows);
    for (int i = 0; i < outD.length; i++) {
      assertEquals(rowD[i % 3], outD[i]);
    }
  }

  static Stream<Arguments> rowCounts() {
    return Stream.of(Arguments.of(1, 1), Arguments.of(1, 7), Arguments.of(3, 0), Arguments.of(3, 2),
        Arguments.of(10, 32), Arguments.of(10, 33), Arguments.of(64, 64), Arguments.of(7, 127),
        Arguments.of(512, 5), Arguments.of(0, 0));
  }

  @Test
  void rowsRejectsCountsThatDoNotFit() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Broadcast.rows(new float[4], 4, new float[10], 10));
    assertEquals("broadcast rows: 10 elements of rows of 4 do not fit arrays of 4 and 10", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Broadcast.rows(new float[4], 4, new float[7], 8));
    assertThrows(IllegalArgumentException.class, () -> Broadcast.rows(new float[3], 4, new float[8], 8));
    assertThrows(IllegalArgumentException.class, () -> Broadcast.rows(new float[0], 0, new float[2], 2));
  }

  @Test
  void incompatibleShapesAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Broadcast.broadcastTo(new float[3], new int[] {3}, new float[8], new int[] {2, 4}));
    assertEquals("shape [3] does not broadcast to [2, 4]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Broadcast.sumToShape(new double[7], new int[] {2, 4}, new double[4], new int[] {4}));
    assertEquals("broadcast: target has 7 elements but shape [2, 4] needs 8", e.getMessage());
  }
}
