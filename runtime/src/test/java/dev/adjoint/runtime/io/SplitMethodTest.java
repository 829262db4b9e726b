package dev.adjoint.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.FloatTensor;
import java.io.IOException;
import java.io.StringReader;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/** Which rows each split method holds out. */
class SplitMethodTest {

  /**
   * {@code rows} rows sorted by class, as many real files are: feature 1 is the row number, so a
   * row can be recognised after the split; class sizes are uneven.
   */
  static CsvData sortedByClass(int rows, int classes) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r < rows; r++) {
      int label = (int) ((long) r * r * classes / ((long) rows * rows)); // more rows in late classes
      sb.append(r).append(",0.5,").append(label).append('\n');
    }
    return CsvData.read(new StringReader(sb.toString()), "sorted.csv", CsvOptions.defaults());
  }

  static Stream<Arguments> cases() {
    Random random = new Random(20261205);
    return LongStream.range(0, 12).mapToObj(i -> {
      int rows = 10 + random.nextInt(300);
      int classes = 2 + random.nextInt(6);
      int held = random.nextInt(rows + 1);
      return Arguments.of(rows, classes, held, random.nextLong());
    });
  }

  private static int[] rowNumbers(CsvData d) {
    float[] x = ((FloatTensor) d.features()).data();
    int[] rows = new int[d.rows()];
    for (int r = 0; r < rows.length; r++) {
      rows[r] = (int) x[2 * r];
    }
    return rows;
  }

  @ParameterizedTest
  @MethodSource("cases")
  void everyMethodHoldsOutExactlyTheRowsAskedForAndKeepsFileOrder(int rows, int classes, int held,
      long seed) throws IOException {
    CsvData data = sortedByClass(rows, classes);
    for (SplitMethod m : SplitMethod.values()) {
      CsvData.Split s = data.split(held, m, seed);
      assertEquals(held, s.heldOut().rows(), m.name());
      assertEquals(rows - held, s.train().rows(), m.name());
      int[] train = rowNumbers(s.train());
      int[] heldOut = rowNumbers(s.heldOut());
      assertTrue(isIncreasing(train) && isIncreasing(heldOut), m + ": file order");
      Set<Integer> all = new HashSet<>();
      Arrays.stream(train).forEach(all::add);
      Arrays.stream(heldOut).forEach(all::add);
      assertEquals(rows, all.size(), m + ": every row in exactly one part");
      // Labels travel with their rows.
      for (int i = 0; i < heldOut.length; i++) {
        assertEquals(data.labels().get(heldOut[i]), s.heldOut().labels().get(i));
      }
      assertArrayEquals(heldOut, rowNumbers(data.split(held, m, seed).heldOut()), m + ": seeded");
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void stratifiedHoldsOutEachClassesShareRoundedToOneRow(int rows, int classes, int held, long seed)
      throws IOException {
    CsvData data = sortedByClass(rows, classes);
    CsvData.Split s = data.split(held, SplitMethod.STRATIFIED, seed);
    int[] total = counts(data, classes);
    int[] out = counts(s.heldOut(), classes);
    for (int c = 0; c < classes; c++) {
      double exact = (double) held * total[c] / rows;
      assertTrue(out[c] >= Math.floor(exact) && out[c] <= Math.ceil(exact),
          "class " + c + ": " + out[c] + " held out, its share is " + exact);
    }
  }

  private static int[] counts(CsvData d, int classes) {
    int[] n = new int[classes];
    for (int y : d.labels().data()) {
      n[y]++;
    }
    return n;
  }

  private static boolean isIncreasing(int[] a) {
    for (int i = 1; i < a.length; i++) {
      if (a[i] <= a[i - 1]) {
        return false;
      }
    }
    return true;
  }

  @Test
  void onAFileSortedByClassTheLastRowsAreOneClassButAStratifiedSplitHasThemAll() throws IOException {
    CsvData data = sortedByClass(200, 4);
    CsvData.Split last = data.split(20, SplitMethod.LAST, 0);
    assertEquals(1, Arrays.stream(counts(last.heldOut(), 4)).filter(n -> n > 0).count());
    CsvData.Split stratified = data.split(20, SplitMethod.STRATIFIED, 0);
    assertTrue(Arrays.stream(counts(stratified.heldOut(), 4)).allMatch(n -> n > 0),
        Arrays.toString(counts(stratified.heldOut(), 4)));
    CsvData.Split random = data.split(20, SplitMethod.RANDOM, 0);
    assertTrue(Arrays.stream(counts(random.heldOut(), 4)).filter(n -> n > 0).count() > 1);
  }

  @Test
  void anotherSeedDrawsOtherRows() throws IOException {
    CsvData data = sortedByClass(300, 3);
    for (SplitMethod m : new SplitMethod[] {SplitMethod.RANDOM, SplitMethod.STRATIFIED}) {
      assertNotEquals(Arrays.toString(rowNumbers(data.split(60, m, 1).heldOut())),
          Arrays.toString(rowNumbers(data.split(60, m, 2).heldOut())), m.name());
    }
    assertArrayEquals(rowNumbers(data.split(60, SplitMethod.LAST, 1).heldOut()),
        rowNumbers(data.split(60, SplitMethod.LAST, 2).heldOut()));
  }

  @Test
  void stratifiedNeedsLabels() throws IOException {
    CsvData values = CsvData.read(new StringReader("1,2.5\n2,3.5\n"), "v.csv",
        CsvOptions.defaults().withTargetColumn(1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> values.split(1, SplitMethod.STRATIFIED, 0));
    assertEquals("a stratified split needs integer labels; the data has float targets f32[2]",
        e.getMessage());
    assertFalse(values.split(1, SplitMethod.RANDOM, 0).heldOut().targets().toString().isEmpty());
    assertThrows(IllegalArgumentException.class, () -> values.split(3, SplitMethod.RANDOM, 0));
  }
}
