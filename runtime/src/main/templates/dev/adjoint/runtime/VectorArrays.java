package dev.adjoint.runtime;

// twin: double
import jdk.incubator.vector.FloatVector;
// end twin
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
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

  // Dropout's masks: the generator's 64-bit arithmetic in long lanes. Only the preferred shape's float and double
  // vectors appear, as in the other kernels: a second float shape (as many float lanes as long ones) made the Vector
  // API's shared methods meet a second class, and the matrix micro-kernels compiled after that ran boxed (class_check
  // traps, BENCHMARKS.md). So f32 goes through an int array: long-lane masks narrowed to ints, then whole float vectors.
  private static final VectorSpecies<Long> LONGS = LongVector.SPECIES_PREFERRED;
  private static final int LONG_LANES = LONGS.length();
  private static final VectorSpecies<Integer> HALF_INTS =
      VectorSpecies.of(int.class, VectorShape.forBitSize(LONGS.vectorBitSize() / 2));
  private static final VectorSpecies<Integer> INTS = VectorSpecies.of(int.class, SPECIES_F32.vectorShape());
  /** Lane {@code j}: {@code (j + 1)·γ}, the generator's state of output {@code j} less its start. */
  private static final LongVector DRAW_OFFSETS =
      LongVector.zero(LONGS).addIndex(1).add(1).mul(Dropout.GOLDEN_GAMMA);
  private static final LongVector MIX_1 = LongVector.broadcast(LONGS, Dropout.MIX_1);
  private static final LongVector MIX_2 = LongVector.broadcast(LONGS, Dropout.MIX_2);
  private static final LongVector NO_LONGS = LongVector.zero(LONGS);
  private static final LongVector ALL_ONES = LongVector.broadcast(LONGS, -1L);

  /**
   * {@code y[i] = Dropout.draw(stream, i) >= threshold ? x[i]·scale : +0} for {@code i < n}: the scalar loop's 64-bit
   * hash and mispredicted branch cost 3-4 ns an element. The kept elements' bits are masked in, so a dropped one is
   * {@code +0}, as in the scalar loop. Chunks of {@link GemmScratch#MASK_CHUNK}: the masks of a chunk, then its floats.
   */
  static void dropout(float[] x, float[] y, int n, long stream, long threshold, float scale) {
    LongVector limit = LongVector.broadcast(LONGS, threshold);
    FloatVector factor = FloatVector.broadcast(SPECIES_F32, scale);
    int[] masks = GemmScratch.current().masks();
    int i = 0;
    for (int upper = SPECIES_F32.loopBound(n); i < upper; ) {
      int chunk = Math.min(upper - i, masks.length);
      for (int j = 0; j < chunk; j += LONG_LANES) {
        LongVector z = DRAW_OFFSETS.add(stream + (long) (i + j) * Dropout.GOLDEN_GAMMA);
        z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(MIX_1);
        z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(MIX_2);
        z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31)).lanewise(VectorOperators.LSHR, 11);
        NO_LONGS.blend(ALL_ONES, z.compare(VectorOperators.GE, limit))
            .convertShape(VectorOperators.L2I, HALF_INTS, 0).reinterpretAsInts().intoArray(masks, j);
      }
      for (int j = 0; j < chunk; j += LANES_F32, i += LANES_F32) {
        FloatVector.fromArray(SPECIES_F32, x, i).mul(factor).reinterpretAsInts()
            .and(IntVector.fromArray(INTS, masks, j)).reinterpretAsFloats().intoArray(y, i);
      }
    }
    for (; i < n; i++) {
      y[i] = Dropout.draw(stream, i) >= threshold ? x[i] * scale : 0f;
    }
  }

  /** {@link #dropout(float[], float[], int, long, long, float)} in f64. */
  static void dropout(double[] x, double[] y, int n, long stream, long threshold, double scale) {
    LongVector limit = LongVector.broadcast(LONGS, threshold);
    DoubleVector factor = DoubleVector.broadcast(SPECIES_F64, scale);
    int i = 0;
    for (int upper = LONGS.loopBound(n); i < upper; i += LONG_LANES) {
      LongVector z = DRAW_OFFSETS.add(stream + i * Dropout.GOLDEN_GAMMA);
      z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 30)).mul(MIX_1);
      z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 27)).mul(MIX_2);
      z = z.lanewise(VectorOperators.XOR, z.lanewise(VectorOperators.LSHR, 31)).lanewise(VectorOperators.LSHR, 11);
      LongVector kept = NO_LONGS.blend(ALL_ONES, z.compare(VectorOperators.GE, limit));
      DoubleVector.fromArray(SPECIES_F64, x, i).mul(factor).reinterpretAsLongs().and(kept).reinterpretAsDoubles()
          .intoArray(y, i);
    }
    for (; i < n; i++) {
      y[i] = Dropout.draw(stream, i) >= threshold ? x[i] * scale : 0d;
    }
  }
}
