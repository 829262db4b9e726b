package dev.adjoint.runtime;

// twin: double
import jdk.incubator.vector.FloatVector;
// end twin
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Plain array kernels with the Vector API where C2 on JDK 17 does not vectorize the scalar loop: relu's backward
 * mask {@code where(x > 0, a, 0)}, which it compiles to one scalar conditional move per element (0.46 ns an
 * element in a step of {@code bench/models/mlp_b.model}), and max pooling's running maximum {@code Math.max}, a
 * jump per element (0.5-0.8 ns an element on varied data, against 0.08-0.16 ns with vectors). Each gives exactly the bits of the scalar loop in
 * {@link ScalarKernels}. Only {@link VectorKernels} refers to this class.
 *
 * <p>One short loop, no vector crossing a call or a branch, every constant a vector: what keeps C2 from boxing
 * (see {@code VectorMath}).
 */
final class VectorArrays {
  private VectorArrays() {}

  // twin: double

  private static final VectorSpecies<Float> SPECIES_F32 = FloatVector.SPECIES_PREFERRED;
  private static final int LANES_F32 = SPECIES_F32.length();
  private static final FloatVector ZERO_F32 = FloatVector.zero(SPECIES_F32);

  /** {@code y[yo + i] = x[xo + i] > 0 ? a[ao + i] : 0} for {@code i < n}; {@code y} may be {@code x} or {@code a}. */
  static void wherePositive(float[] x, int xo, float[] a, int ao, float[] y, int yo, int n) {
    int i = 0;
    for (int upper = SPECIES_F32.loopBound(n); i < upper; i += LANES_F32) {
      FloatVector xv = FloatVector.fromArray(SPECIES_F32, x, xo + i);
      FloatVector av = FloatVector.fromArray(SPECIES_F32, a, ao + i);
      ZERO_F32.blend(av, xv.compare(VectorOperators.GT, ZERO_F32)).intoArray(y, yo + i);
    }
    for (; i < n; i++) {
      y[yo + i] = FastMath.where(x[xo + i] > 0, a[ao + i], 0);
    }
  }

  /** {@code y[yo + i] = Math.max(y[yo + i], x[xo + i])} for {@code i < n}: C2 compiles the scalar loop to a jump. */
  static void maxInto(float[] y, int yo, float[] x, int xo, int n) {
    int i = 0;
    for (int upper = SPECIES_F32.loopBound(n); i < upper; i += LANES_F32) {
      FloatVector yv = FloatVector.fromArray(SPECIES_F32, y, yo + i);
      yv.max(FloatVector.fromArray(SPECIES_F32, x, xo + i)).intoArray(y, yo + i);
    }
    for (; i < n; i++) {
      y[yo + i] = Math.max(y[yo + i], x[xo + i]);
    }
  }

  // end twin
}
