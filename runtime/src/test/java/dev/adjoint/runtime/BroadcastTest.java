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
