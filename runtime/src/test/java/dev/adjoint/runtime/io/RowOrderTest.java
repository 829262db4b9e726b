package dev.adjoint.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.runtime.ElementType;
import dev.adjoint.runtime.SeededRandom;
import java.io.IOException;
import java.io.StringReader;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RowOrderTest {

  /** {@code rows} rows whose label is the row number. */
  private static CsvData numbered(int rows) throws IOException {
    StringBuilder text = new StringBuilder();
    for (int r = 0; r < rows; r++) {
      text.append(r * 0.5).append(',').append(r).append('\n');
    }
    return CsvData.read(new StringReader(text.toString()), "rows.csv",
        CsvOptions.defaults().withFeatureType(ElementType.F64));
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {0, 1, 42, -7})
  void shuffledBatchesVisitTheRowsInTheRowOrder(long seed) throws IOException {
    int rows = 23;
    Batches batches = numbered(rows).batches(5, seed);
    RowOrder order = new RowOrder(rows, seed);
    for (int epoch = 0; epoch < 4; epoch++) {
      int[] expected = order.nextEpoch().clone();
      int[] seen = new int[rows];
      int n = 0;
      while (batches.next()) {
        for (int r = 0; r < batches.size(); r++) {
          seen[n++] = batches.labels().get(r);
        }
      }
      assertEquals(rows, n);
      assertArrayEquals(expected, seen, "epoch " + epoch);
    }
  }

  @Test
  void eachEpochIsAFisherYatesReshuffleOfThePreviousOne() {
    RowOrder order = new RowOrder(10, 5);
    SeededRandom random = new SeededRandom(5);
    int[] expected = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
    for (int epoch = 0; epoch < 3; epoch++) {
      for (int i = expected.length - 1; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = expected[i];
        expected[i] = expected[j];
        expected[j] = t;
      }
      int[] actual = order.nextEpoch();
      assertArrayEquals(expected, actual);
      int[] sorted = actual.clone();
      Arrays.sort(sorted);
      assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted, "a permutation");
    }
  }

  @Test
  void negativeRowCountsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new RowOrder(-1, 0));
  }
}
