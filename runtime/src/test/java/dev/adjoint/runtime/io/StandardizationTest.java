package dev.adjoint.runtime.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.ElementType;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.Tensor;
import java.io.IOException;
import java.io.StringReader;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class StandardizationTest {

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4})
  void trainingFeaturesGetMeanZeroAndStdOne(long seed) throws IOException {
    Random random = new Random(seed);
    StringBuilder sb = new StringBuilder();
    int rows = 50 + random.nextInt(100);
    for (int r = 0; r < rows; r++) {
      sb.append(100 + 30 * random.nextGaussian()).append(',').append(-1e-3 * random.nextDouble())
          .append(",7,").append(random.nextInt(3)).append('\n');
    }
    CsvData data = CsvData.read(new StringReader(sb.toString()), "s.csv",
        CsvOptions.defaults().withFeatureType(ElementType.F64));
    Standardization s = Standardization.fit("x", data);
    assertEquals(1.0, s.std()[2], "a constant column keeps a std of 1");
    assertEquals(7.0, s.mean()[2]);
    CsvData z = s.apply(data);
    double[] x = ((DoubleTensor) z.features()).data();
    for (int j = 0; j < 3; j++) {
      double mean = 0;
      double sq = 0;
      for (int r = 0; r < rows; r++) {
        mean += x[3 * r + j] / rows;
      }
      for (int r = 0; r < rows; r++) {
        sq += (x[3 * r + j] - mean) * (x[3 * r + j] - mean) / rows;
      }
      assertEquals(0, mean, 1e-9, "column " + j);
      assertEquals(j == 2 ? 0 : 1, sq, 1e-9, "column " + j);
    }
    assertEquals(data.labels(), z.labels(), "targets unchanged");
  }

  @Test
  void metadataRoundTripsExactly() {
    Standardization s = new Standardization("x", new double[] {0.1, -3.0000000000000004, 1e300},
        new double[] {1.0 / 3, 2, 5e-324});
    Map<String, String> m = s.toMetadata();
    assertEquals("x", m.get("standardize"));
    Map<String, String> withOthers = new HashMap<>(m);
    withOthers.put("model", "M");
    assertEquals(s, Standardization.fromMetadata(withOthers));
    assertNull(Standardization.fromMetadata(Map.of("model", "M")));
    withOthers.put("standardize.std", "1,x,3");
    assertThrows(IllegalArgumentException.class, () -> Standardization.fromMetadata(withOthers));
    withOthers.put("standardize.std", "1,0,3");
    assertThrows(IllegalArgumentException.class, () -> Standardization.fromMetadata(withOthers));
  }

  @Test
  void appliesInTheFeatureTypeAndChecksTheWidth() throws IOException {
    CsvData f32 = CsvData.read(new StringReader("1,3,0\n3,5,1\n"), "f.csv", CsvOptions.defaults());
    Standardization s = Standardization.fit("x", f32);
    Tensor z = s.apply(f32).features();
    assertArrayEquals(new float[] {-1, -1, 1, 1}, ((FloatTensor) z).data());
    CsvData narrow = CsvData.read(new StringReader("1,0\n"), "n.csv", CsvOptions.defaults());
    assertThrows(IllegalArgumentException.class, () -> s.apply(narrow));
  }
}
