package dev.adjoint.runtime.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.io.CsvData;
import dev.adjoint.runtime.io.CsvOptions;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CsvBatchSourceTest {

  /** {@code rows} rows: features (r, 100 + r), label r. */
  static CsvData rows(int rows) throws IOException {
    StringBuilder text = new StringBuilder();
    for (int r = 0; r < rows; r++) {
      text.append(r).append(',').append(100 + r).append(',').append(r).append('\n');
    }
    return CsvData.read(new StringReader(text.toString()), "rows.csv", CsvOptions.defaults());
  }

  /** The labels of {@code batches} calls of next(), one list per batch, checking features. */
  private static List<List<Integer>> take(BatchSource source, int batches) {
    List<List<Integer>> out = new ArrayList<>();
    for (int b = 0; b < batches; b++) {
      Map<String, Tensor> batch = source.next();
      IntTensor y = (IntTensor) batch.get("y");
      FloatTensor x = (FloatTensor) batch.get("x");
      assertEquals(source.lastBatchRows(), y.size());
      assertArrayEquals(new int[] {y.size(), 2}, x.shape());
      List<Integer> labels = new ArrayList<>();
      for (int r = 0; r < y.size(); r++) {
        labels.add(y.get(r));
        assertEquals(y.get(r), x.get(2 * r), "feature 0 of row " + r);
        assertEquals(100 + y.get(r), x.get(2 * r + 1), "feature 1 of row " + r);
      }
      out.add(labels);
    }
    return out;
  }

  private static List<List<Integer>> epochs(BatchSource source, int epochs) {
    List<List<Integer>> out = new ArrayList<>();
    for (int e = 0; e < epochs; e++) {
      source.startEpoch(e);
      out.addAll(take(source, source.batchesPerEpoch()));
    }
    return out;
  }

  @Test
  void bindsFeaturesAndLabelsToTheNamedInputs() throws IOException {
    CsvBatchSource source = CsvBatchSource.inOrder(rows(5), "x", "y", 2);
    assertEquals(3, source.batchesPerEpoch());
    source.startEpoch(0);
    Map<String, Tensor> batch = source.next();
    assertEquals(java.util.Set.of("x", "y"), batch.keySet());
    assertEquals(List.of(List.of(2, 3), List.of(4)), take(source, 2));
    assertEquals(1, source.lastBatchRows());
    assertEquals("x", source.featureInput());
    assertEquals("y", source.labelInput());
    assertEquals(2, source.batchSize());
  }

  @Test
  void withoutALabelInputOnlyFeaturesAreBound() throws IOException {
    CsvBatchSource source = CsvBatchSource.shuffled(rows(4), "features", null, 4, 1);
    source.startEpoch(0);
    Map<String, Tensor> batch = source.next();
    assertEquals(java.util.Set.of("features"), batch.keySet());
    assertEquals(4, source.lastBatchRows());
  }

  @Test
  void inOrderGivesFileOrderEveryEpoch() throws IOException {
    CsvBatchSource source = CsvBatchSource.inOrder(rows(5), "x", "y", 2);
    List<List<Integer>> once = List.of(List.of(0, 1), List.of(2, 3), List.of(4));
    List<List<Integer>> three = new ArrayList<>();
    for (int e = 0; e < 3; e++) {
      three.addAll(once);
    }
    assertEquals(three, epochs(source, 3));
  }

  @Test
  void theSameSeedGivesTheSameBatches() throws IOException {
    CsvData data = rows(20);
    List<List<Integer>> a = epochs(CsvBatchSource.shuffled(data, "x", "y", 6, 42), 3);
    List<List<Integer>> b = epochs(CsvBatchSource.shuffled(data, "x", "y", 6, 42), 3);
    List<List<Integer>> c = epochs(CsvBatchSource.shuffled(data, "x", "y", 6, 43), 3);
    assertEquals(a, b);
    assertNotEquals(a, c);
    // Epochs differ from each other, and each is a permutation of all rows.
    assertNotEquals(a.subList(0, 4), a.subList(4, 8));
    for (int e = 0; e < 3; e++) {
      List<Integer> all = new ArrayList<>();
      a.subList(4 * e, 4 * e + 4).forEach(all::addAll);
      all.sort(null);
      for (int r = 0; r < 20; r++) {
        assertEquals(r, all.get(r));
      }
    }
  }

  @Test
  void anEpochsOrderDependsOnlyOnTheSeedAndItsIndex() throws IOException {
    CsvData data = rows(20);
    List<List<Integer>> sequential = epochs(CsvBatchSource.shuffled(data, "x", "y", 6, 42), 3);

    CsvBatchSource skipping = CsvBatchSource.shuffled(data, "x", "y", 6, 42);
    skipping.startEpoch(2);
    assertEquals(sequential.subList(8, 12), take(skipping, 4));

    CsvBatchSource repeating = CsvBatchSource.shuffled(data, "x", "y", 6, 42);
    repeating.startEpoch(1);
    take(repeating, 2);
    repeating.startEpoch(1);
    assertEquals(sequential.subList(4, 8), take(repeating, 4));
    repeating.startEpoch(0);
    assertEquals(sequential.subList(0, 4), take(repeating, 4));
  }

  @Test
  void nextPastTheEpochContinuesIntoTheNextOne() throws IOException {
    CsvData data = rows(20);
    List<List<Integer>> sequential = epochs(CsvBatchSource.shuffled(data, "x", "y", 6, 42), 2);
    CsvBatchSource source = CsvBatchSource.shuffled(data, "x", "y", 6, 42);
    source.startEpoch(0);
    assertEquals(sequential, take(source, 8));
  }

  @Test
  void checksItsArguments() throws IOException {
    CsvData data = rows(3);
    assertThrows(NullPointerException.class, () -> CsvBatchSource.inOrder(data, null, "y", 2));
    assertThrows(NullPointerException.class, () -> CsvBatchSource.inOrder(null, "x", "y", 2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> CsvBatchSource.shuffled(data, "x", "y", 0, 1));
    assertEquals("batch size must be positive, got 0", e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> CsvBatchSource.inOrder(data, "x", "x", 2));
    assertTrue(e.getMessage().contains("same input x"), e.getMessage());
    CsvBatchSource source = CsvBatchSource.inOrder(data, "x", "y", 2);
    assertThrows(IllegalArgumentException.class, () -> source.startEpoch(-1));
  }

  @Test
  void anEmptyDataSetHasNoBatches() throws IOException {
    CsvBatchSource source = CsvBatchSource.inOrder(rows(3).split(0).heldOut(), "x", "y", 2);
    assertEquals(0, source.batchesPerEpoch());
    assertThrows(IllegalStateException.class, source::next);
  }
}
