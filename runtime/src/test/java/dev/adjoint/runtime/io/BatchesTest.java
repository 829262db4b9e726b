package dev.adjoint.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.ElementType;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Tensor;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchesTest {

  /** Five rows: features (10r, 10r+1), label r. */
  private static CsvData five(ElementType type) throws IOException {
    StringBuilder text = new StringBuilder();
    for (int r = 0; r < 5; r++) {
      text.append(10 * r).append(',').append(10 * r + 1).append(',').append(r).append('\n');
    }
    return CsvData.read(new StringReader(text.toString()), "five.csv",
        CsvOptions.defaults().withFeatureType(type));
  }

  /** The labels of one epoch's batches, one list per batch, checking each row's features. */
  private static List<List<Integer>> epoch(Batches b) {
    List<List<Integer>> batches = new ArrayList<>();
    while (b.next()) {
      List<Integer> labels = new ArrayList<>();
      Tensor x = b.features();
      assertEquals(b.size(), x.dim(0));
      for (int r = 0; r < b.size(); r++) {
        int label = b.labels().get(r);
        labels.add(label);
        assertEquals(10.0 * label, x.getAsDouble(2 * r));
        assertEquals(10.0 * label + 1, x.getAsDouble(2 * r + 1));
      }
      batches.add(labels);
    }
    return batches;
  }

  @Test
  void inOrderBatchesWithASmallerLastBatch() throws IOException {
    Batches b = five(ElementType.F32).batchesInOrder(2);
    assertEquals(3, b.batchesPerEpoch());
    assertEquals(List.of(List.of(0, 1), List.of(2, 3), List.of(4)), epoch(b));
    assertEquals(1, b.epoch());
    assertEquals(List.of(List.of(0, 1), List.of(2, 3), List.of(4)), epoch(b));
    assertEquals(2, b.epoch());
  }

  @Test
  void buffersAreReused() throws IOException {
    Batches b = five(ElementType.F64).batchesInOrder(2);
    assertTrue(b.next());
    Tensor first = b.features();
    IntTensor firstLabels = b.labels();
    assertTrue(b.next());
    assertSame(first, b.features());
    assertSame(firstLabels, b.labels());
    assertTrue(b.features() instanceof DoubleTensor);
    assertTrue(b.next());
    assertArrayEquals(new int[] {1, 2}, b.features().shape());
    assertFalse(b.next());
  }

  @Test
  void shuffledBatchesAreSeededPermutations() throws IOException {
    CsvData data = five(ElementType.F32);
    Batches a = data.batches(2, 42);
    Batches again = data.batches(2, 42);
    List<List<List<Integer>>> epochs = new ArrayList<>();
    for (int e = 0; e < 4; e++) {
      List<List<Integer>> epoch = epoch(a);
      assertEquals(epoch, epoch(again), "same seed, same batches");
      List<Integer> rows = new ArrayList<>();
      epoch.forEach(rows::addAll);
      rows.sort(null);
      assertEquals(List.of(0, 1, 2, 3, 4), rows, "every row once per epoch");
      epochs.add(epoch);
    }
    assertNotEquals(epochs.get(0), epochs.get(1), "reshuffled each epoch");
    assertNotEquals(epochs.get(0), epoch(data.batches(2, 43)), "seed matters");
  }

  @Test
  void batchLargerThanTheData() throws IOException {
    Batches b = five(ElementType.F32).batches(8, 1);
    assertTrue(b.next());
    assertEquals(5, b.size());
    assertTrue(b.features() instanceof FloatTensor);
    assertFalse(b.next());
    assertThrows(IllegalArgumentException.class, () -> five(ElementType.F32).batches(0, 1));
  }

  @Test
  void theLargestBatchSizeIsOneBatchPerEpoch() throws IOException {
    Batches b = five(ElementType.F32).batches(Integer.MAX_VALUE, 1);
    assertEquals(1, b.batchesPerEpoch());
    assertTrue(b.next());
    assertEquals(5, b.size());
  }
}
