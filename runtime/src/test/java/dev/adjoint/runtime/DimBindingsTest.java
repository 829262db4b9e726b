package dev.adjoint.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DimBindingsTest {
  private static final InputSpec X =
      InputSpec.of("x", "f32[B, 64]", ElementType.F32, Dim.of("B"), Dim.of(64));
  private static final InputSpec Y = InputSpec.of("y", "i32[B]", ElementType.I32, Dim.of("B"));

  private static String failure(DimBindings dims, InputSpec spec, Tensor t) {
    return assertThrows(IllegalArgumentException.class, () -> dims.check(spec, t)).getMessage();
  }

  @Test
  void bindsOnFirstSightAndReturnsTheTypedInput() {
    DimBindings dims = new DimBindings();
    FloatTensor x = FloatTensor.zeros(2, 64);
    assertSame(x, dims.checkF32(X, x));
    IntTensor y = IntTensor.zeros(2);
    assertSame(y, dims.checkI32(Y, y));
    assertEquals(2, dims.size("B"));
    assertEquals(Map.of("B", 2), dims.bindings());
  }

  @Test
  void fixedDimensionMismatch() {
    assertEquals("input x: expected f32[B, 64], got f32[2, 63] (dimension 2 is 63, expected 64)",
        failure(new DimBindings(), X, FloatTensor.zeros(2, 63)));
  }

  @Test
  void symbolicDimensionBoundByAnotherInput() {
    DimBindings dims = new DimBindings();
    dims.check(X, FloatTensor.zeros(2, 64));
    assertEquals("input y: expected i32[B], got i32[3]: dim B is 2 (bound by input x)",
        failure(dims, Y, IntTensor.zeros(3)));
  }

  @Test
  void symbolicDimensionRepeatedInOneInput() {
    InputSpec square = InputSpec.parse("m", "f64[N, N]");
    assertEquals("input m: expected f64[N, N], got f64[2, 3]: dim N is 2 (bound by input m)",
        failure(new DimBindings(), square, DoubleTensor.zeros(2, 3)));
  }

  @Test
  void elementTypeRankAndMissingInput() {
    DimBindings dims = new DimBindings();
    assertEquals("input x: expected f32[B, 64], got f64[2, 64] (element type f64, expected f32)",
        failure(dims, X, DoubleTensor.zeros(2, 64)));
    assertEquals("input x: expected f32[B, 64], got f32[128] (rank 1, expected 2)",
        failure(dims, X, FloatTensor.zeros(128)));
    assertEquals("input x: expected f32[B, 64], got nothing", failure(dims, X, null));
    assertFalse(dims.isBound("B"));
  }

  @Test
  void aFailedInputBindsNothing() {
    DimBindings dims = new DimBindings();
    InputSpec z = InputSpec.parse("z", "f32[B, T, 3]");
    failure(dims, z, FloatTensor.zeros(4, 5, 2));
    assertFalse(dims.isBound("B"));
    assertFalse(dims.isBound("T"));
  }

  @Test
  void explicitBindings() {
    DimBindings dims = new DimBindings().bind("B", 4);
    assertEquals("input y: expected i32[B], got i32[3]: dim B is 4 (bound by the caller)",
        failure(dims, Y, IntTensor.zeros(3)));
    dims.bind("B", 4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> dims.bind("B", 5));
    assertEquals("dim B is 4 (bound by the caller), cannot bind it to 5", e.getMessage());
    IllegalStateException s = assertThrows(IllegalStateException.class, () -> dims.size("T"));
    assertEquals("dim T is not bound by any input", s.getMessage());
  }

  @Test
  void scalarInputs() {
    InputSpec s = InputSpec.parse("lr", "f64");
    DimBindings dims = new DimBindings();
    dims.checkF64(s, DoubleTensor.scalar(0.1));
    assertEquals("input lr: expected f64, got f64[1] (rank 1, expected 0)",
        failure(dims, s, DoubleTensor.zeros(1)));
    assertEquals(0, InputSpec.parse("lr", "f64[]").rank());
  }

  @Test
  void parseReadsFixedAndSymbolicDims() {
    InputSpec spec = InputSpec.parse("x", "f32[B, 64]");
    assertEquals(X, spec);
    assertEquals(List.of(Dim.of("B"), Dim.of(64)), spec.dims());
    assertEquals("B", Dim.of("B").toString());
    assertThrows(IllegalArgumentException.class, () -> InputSpec.parse("x", "f32[B, -1]"));
    assertThrows(IllegalArgumentException.class, () -> InputSpec.parse("x", "q8[3]"));
  }

  @Test
  void typedCheckOfTheWrongDeclaredTypeIsAProgrammingError() {
    assertThrows(IllegalStateException.class, () -> new DimBindings().checkF64(X, FloatTensor.zeros(1, 64)));
  }

  @Test
  void parseReadsProductsOfIntegersAndDims() {
    InputSpec spec = InputSpec.parse("x", "f32[2*B, C*H, 3 * 4, 1*B]");
    assertEquals(List.of(new Dim.Product(2, List.of("B")), new Dim.Product(1, List.of("C", "H")),
        Dim.of(12), Dim.of("B")), spec.dims());
    assertEquals("2*B", spec.dims().get(0).toString());
    assertEquals("C*H", spec.dims().get(1).toString());
    assertThrows(IllegalArgumentException.class, () -> InputSpec.parse("x", "f32[2*]"));
    assertThrows(IllegalArgumentException.class, () -> InputSpec.parse("x", "f32[65536*65536]"));
  }

  @Test
  void aProductBindsItsOneUnknownDimWhenTheSizeDividesEvenly() {
    DimBindings dims = new DimBindings();
    InputSpec x = InputSpec.parse("x", "f32[2*B]");
    dims.check(x, FloatTensor.zeros(6));
    assertEquals(3, dims.size("B"));
    assertEquals("input x: expected f32[2*B], got f32[5] (dimension 1 is 5, declared 2*B): 5 is not a"
        + " multiple of 2, so no size of dim B fits", failure(new DimBindings(), x, FloatTensor.zeros(5)));
  }

  @Test
  void aProductIsCheckedAgainstDimsBoundBefore() {
    DimBindings dims = new DimBindings();
    dims.check(Y, IntTensor.zeros(3));
    InputSpec x = InputSpec.parse("x", "f32[2*B]");
    assertEquals("input x: expected f32[2*B], got f32[4] (dimension 1 is 4, declared 2*B): expected 6"
        + " from dim B = 3 (bound by input y)", failure(dims, x, FloatTensor.zeros(4)));
    dims.check(x, FloatTensor.zeros(6));
  }

  @Test
  void aProductWithTwoUnknownDimsWaitsForALaterInput() {
    InputSpec flat = InputSpec.parse("flat", "f32[B*C]");
    InputSpec grid = InputSpec.parse("grid", "f32[B, C]");
    DimBindings ok = new DimBindings();
    ok.check(flat, FloatTensor.zeros(6));
    ok.check(grid, FloatTensor.zeros(2, 3));
    assertEquals(Map.of("B", 2, "C", 3), ok.bindings());
    DimBindings bad = new DimBindings();
    bad.check(flat, FloatTensor.zeros(7));
    assertEquals("input flat: expected f32[B*C], got f32[7] (dimension 1 is 7, declared B*C): expected 6"
        + " from dim B = 2 (bound by input grid), dim C = 3 (bound by input grid)",
        failure(bad, grid, FloatTensor.zeros(2, 3)));
    DimBindings never = new DimBindings();
    never.check(flat, FloatTensor.zeros(6));
    assertEquals("input flat: expected f32[B*C], got f32[6] (dimension 1 is 6, declared B*C): no input"
        + " binds enough of B, C alone to check it",
        assertThrows(IllegalArgumentException.class, () -> never.size("B")).getMessage());
  }
}
