package dev.adjoint.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class TensorTest {

  @Test
  void factoriesSetShapeSizeAndType() {
    FloatTensor t = FloatTensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    assertArrayEquals(new int[] {2, 3}, t.shape());
    assertEquals(2, t.rank());
    assertEquals(6, t.size());
    assertEquals(3, t.dim(1));
    assertEquals(ElementType.F32, t.elementType());
    assertEquals(6.0, t.getAsDouble(5));
    assertEquals("f32[2, 3]", t.typeString());

    DoubleTensor z = DoubleTensor.zeros(4);
    assertArrayEquals(new double[4], z.data());
    IntTensor full = IntTensor.full(7, 2, 2);
    assertArrayEquals(new int[] {7, 7, 7, 7}, full.toArray());
  }

  @Test
  void scalarsHaveEmptyShapeAndSizeOne() {
    DoubleTensor s = DoubleTensor.scalar(2.5);
    assertArrayEquals(new int[0], s.shape());
    assertEquals(0, s.rank());
    assertEquals(1, s.size());
    assertEquals(2.5, s.item());
    assertEquals("f64[] [2.5]", s.toString());
    assertEquals(FloatTensor.scalar(1f), FloatTensor.of(new float[] {1f}));
  }

  @Test
  void ofCopiesWrapSharesAndDataIsTheBackingArray() {
    float[] data = {1, 2};
    FloatTensor copied = FloatTensor.of(data, 2);
    FloatTensor wrapped = FloatTensor.wrap(data, 2);
    data[0] = 9;
    assertEquals(1f, copied.get(0));
    assertEquals(9f, wrapped.get(0));
    assertSame(data, wrapped.data());
    float[] out = wrapped.toArray();
    out[1] = 5;
    assertEquals(2f, wrapped.get(1));
    int[] shape = wrapped.shape();
    shape[0] = 100;
    assertEquals(2, wrapped.dim(0));
  }

  @Test
  void lengthMismatchIsAClearError() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> FloatTensor.of(new float[5], 2, 3));
    assertEquals("data has 5 elements but shape [2, 3] needs 6", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> IntTensor.zeros(2, -1));
    assertEquals("negative dimension in shape [2, -1]", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> DoubleTensor.zeros(1 << 16, 1 << 16));
  }

  @Test
  void zeroSizedTensorsAreAllowed() {
    FloatTensor t = FloatTensor.zeros(0, 3);
    assertEquals(0, t.size());
    assertEquals("f32[0, 3] []", t.toString());
  }

  @Test
  void toStringShowsShapeAndFirstValues() {
    assertEquals("i32[2, 2] [1, 2, 3, 4]", IntTensor.of(new int[] {1, 2, 3, 4}, 2, 2).toString());
    double[] many = new double[10];
    for (int i = 0; i < many.length; i++) {
      many[i] = i;
    }
    assertEquals("f64[10] [0.0, 1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, ... (10 values)]",
        DoubleTensor.of(many, 10).toString());
  }

  @Test
  void equalityIsByTypeShapeAndContent() {
    FloatTensor a = FloatTensor.of(new float[] {1, 2, 3, 4}, 2, 2);
    assertEquals(a, FloatTensor.of(new float[] {1, 2, 3, 4}, 2, 2));
    assertEquals(a.hashCode(), FloatTensor.of(new float[] {1, 2, 3, 4}, 2, 2).hashCode());
    assertEquals(a, a.copy());
    assertNotEquals(a, FloatTensor.of(new float[] {1, 2, 3, 4}, 4));
    assertNotEquals(a, FloatTensor.of(new float[] {1, 2, 3, 5}, 2, 2));
    assertNotEquals(a, DoubleTensor.of(new double[] {1, 2, 3, 4}, 2, 2));
    assertEquals(FloatTensor.scalar(Float.NaN), FloatTensor.scalar(Float.NaN));
  }

  @Test
  void elementTypesPrintAsTheLanguageSpellsThem() {
    assertEquals("f32", ElementType.F32.toString());
    assertEquals("f64", ElementType.F64.toString());
    assertEquals("i32", ElementType.I32.toString());
    assertEquals(ElementType.F64, ElementType.parse("f64"));
    assertThrows(IllegalArgumentException.class, () -> ElementType.parse("f16"));
  }

  @Test
  void itemNeedsOneElement() {
    assertThrows(IllegalStateException.class, () -> IntTensor.zeros(2).item());
  }

  @Test
  void aTensorTooLargeForTheHeapSaysWhatDidNotFit() {
    long bytes = 46340L * 46340L * 8;
    Assumptions.assumeTrue(Runtime.getRuntime().maxMemory() < bytes, "the heap holds 17 GB");
    OutOfMemoryError e = assertThrows(OutOfMemoryError.class, () -> DoubleTensor.zeros(46340, 46340));
    assertTrue(e.getMessage().startsWith("a f64[46340, 46340] tensor needs 17,179,164,800 bytes, and the Java"
        + " heap holds at most "), e.getMessage());
  }
}
