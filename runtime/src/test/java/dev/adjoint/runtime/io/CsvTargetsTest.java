package dev.adjoint.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.ElementType;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.IntTensor;
import java.io.IOException;
import java.io.StringReader;
import org.junit.jupiter.api.Test;

/** Float targets for regression, and data without targets. */
class CsvTargetsTest {
  private static final String TEXT = "1,2,3.5,10\n4,5,6.25,20\n7,8,9,30\n";

  private static CsvData csv(String text, CsvOptions options) throws IOException {
    return CsvData.read(new StringReader(text), "t.csv", options);
  }

  @Test
  void oneTargetColumnIsAVectorInTheFeatureType() throws IOException {
    CsvData d = csv(TEXT, CsvOptions.defaults().withTargetColumn(2).withFeatureType(ElementType.F64));
    assertArrayEquals(new int[] {3, 3}, d.features().shape());
    assertArrayEquals(new double[] {1, 2, 10, 4, 5, 20, 7, 8, 30},
        ((DoubleTensor) d.features()).data(), "every column but the target, in order");
    DoubleTensor t = (DoubleTensor) d.targets();
    assertArrayEquals(new int[] {3}, t.shape());
    assertArrayEquals(new double[] {3.5, 6.25, 9}, t.data());
    IllegalStateException e = assertThrows(IllegalStateException.class, d::labels);
    assertEquals("the data has float targets f64[3], not integer labels", e.getMessage());
  }

  @Test
  void severalTargetColumnsAreAMatrixInTheOrderGiven() throws IOException {
    CsvData d = csv(TEXT, CsvOptions.defaults().withTargetColumns(3, 2));
    FloatTensor t = (FloatTensor) d.targets();
    assertArrayEquals(new int[] {3, 2}, t.shape());
    assertArrayEquals(new float[] {10, 3.5f, 20, 6.25f, 30, 9}, t.data());
    assertArrayEquals(new float[] {1, 2, 4, 5, 7, 8}, ((FloatTensor) d.features()).data());
    CsvData one = csv(TEXT, CsvOptions.defaults().withTargetColumns(3));
    assertArrayEquals(new int[] {3, 1}, one.targets().shape(), "[rows, 1] for an input [B, 1]");
  }

  @Test
  void withoutTargetsEveryColumnIsAFeature() throws IOException {
    CsvData d = csv(TEXT, CsvOptions.defaults().withoutTargets());
    assertFalse(d.hasTargets());
    assertEquals(4, d.featureCount());
    assertThrows(IllegalStateException.class, d::targets);
    Batches b = d.batchesInOrder(2);
    b.next();
    assertEquals(2, b.size());
    assertThrows(IllegalStateException.class, b::targets);
  }

  @Test
  void targetValuesAreCheckedLikeFeatures() {
    CsvFormatException e = assertThrows(CsvFormatException.class,
        () -> csv("1,2,x\n", CsvOptions.defaults().withTargetColumn(2)));
    assertEquals("t.csv:1:3: 'x' is not a number", e.getMessage());
    IllegalArgumentException overlap = assertThrows(IllegalArgumentException.class,
        () -> csv(TEXT, CsvOptions.defaults().withTargetColumns(2, 3).withFeatureColumns(0, 2)));
    assertEquals("t.csv: feature column index 2 is a target column", overlap.getMessage());
    assertThrows(IllegalArgumentException.class, () -> csv(TEXT, CsvOptions.defaults().withTargetColumn(4)));
    assertThrows(IllegalArgumentException.class, () -> CsvOptions.defaults().withTargetColumns());
    assertThrows(IllegalArgumentException.class, () -> CsvOptions.defaults().withTargetColumns(1, 1));
  }

  @Test
  void batchesCopyFloatTargetRowsWithTheirFeatures() throws IOException {
    CsvData d = csv(TEXT, CsvOptions.defaults().withTargetColumns(2, 3));
    Batches b = d.batches(2, 5);
    int rows = 0;
    while (b.next()) {
      FloatTensor x = (FloatTensor) b.features();
      FloatTensor t = (FloatTensor) b.targets();
      assertArrayEquals(new int[] {b.size(), 2}, t.shape());
      for (int r = 0; r < b.size(); r++) {
        // In TEXT the last column is 10 times the row's number, the first 3 * row + 1.
        assertEquals((x.data()[2 * r] + 2) / 3 * 10, t.data()[2 * r + 1], 1e-6);
      }
      rows += b.size();
    }
    assertEquals(3, rows);
  }

  @Test
  void splitsAndSelectionsKeepTargetsWithTheirRows() throws IOException {
    CsvData d = csv(TEXT, CsvOptions.defaults().withTargetColumn(3));
    CsvData.Split s = d.split(1);
    assertArrayEquals(new float[] {10, 20}, ((FloatTensor) s.train().targets()).data());
    assertArrayEquals(new float[] {30}, ((FloatTensor) s.heldOut().targets()).data());
    CsvData labels = csv("1,0\n2,1\n", CsvOptions.defaults());
    assertEquals(IntTensor.class, labels.split(1).heldOut().targets().getClass());
  }
}
