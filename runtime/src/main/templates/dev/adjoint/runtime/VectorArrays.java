package dev.adjoint.runtime;

// twin: double
import jdk.incubator.vector.FloatVector;
// end twin
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * Plain array kernels with the Vector API where C2 on JDK 17 does not vectorize the scalar loop: relu's backward
 * mask {@code where(x > 0, a, 0)}, which it compiles to one scalar conditional move per element (0.46 ns an
 * element in a step of {@code bench/models/mlp_b.model}), and max pooling's running maximum {@code Math.max}, a
 * jump per element (0.5-0.8 ns an element on varied data, against 0.08-0.16 ns with vectors); and max pooling of
 * 2×2 windows of stride 2 in the images' own layout (a shuffle within a vector). Each gives exactly the bits of the
 * scalar loop in {@link ScalarKernels}. Only {@link VectorKernels} refers to this class.
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

  /** Lane {@code l} from lane {@code 2l}: the left columns of the windows together, in the lower half. */
  private static final VectorShuffle<Float> LEFT_COLUMNS_F32 =
      VectorShuffle.fromOp(SPECIES_F32, l -> 2 * l % LANES_F32);

  /**
   * {@link KernelImpl#maxPool2x2}. The vectors of a window's four elements are loaded one column and one row apart,
   * so that the lanes of the windows' left top elements hold their maxima; those lanes are brought together and the
   * whole vector stored (its upper lanes are overwritten by the next store, or by the next call). Rows of a whole
   * number of vectors: a vector of each row at a time (half a vector of windows); rows of half a vector: a pair of
   * rows at a time (a quarter). Others, and the windows where a vector would read {@code x} or write {@code y} past
   * its end: {@link Pool2d#max2x2}.
   */
  static void maxPool2x2(float[] x, int xo, float[] y, int yo, int pairs, int width) {
    int step = 2 * width == LANES_F32 ? 2 * width : width % LANES_F32 == 0 ? LANES_F32 : 0;
    for (int q = 0; q < pairs; q++) {
      int t = xo + 2 * q * width;
      int u = t + width;
      int yq = yo + q * (width / 2);
      int s = 0;
      if (step > 0) {
        for (; s < width && yq + s / 2 + LANES_F32 <= y.length && u + s + 1 + LANES_F32 <= x.length; s += step) {
          windowMaxima(x, t + s, u + s, y, yq + s / 2);
        }
      }
      if (s < width) {
        Pool2d.max2x2(x, t + s, u + s, y, yq + s / 2, (width - s) / 2);
      }
    }
  }

  /**
   * One vector of {@link #maxPool2x2}, from {@code x[t]} and {@code x[u]}: a method of its own for the JIT's sake.
   * Until C2 compiles it, every vector operation allocates, and C2 compiles a method called some thousands of times
   * much sooner than a loop that has run some thousands of times (tens of thousands of iterations).
   */
  private static void windowMaxima(float[] x, int t, int u, float[] y, int yi) {
    FloatVector top = FloatVector.fromArray(SPECIES_F32, x, t).max(FloatVector.fromArray(SPECIES_F32, x, t + 1));
    FloatVector bottom = FloatVector.fromArray(SPECIES_F32, x, u).max(FloatVector.fromArray(SPECIES_F32, x, u + 1));
    top.max(bottom).rearrange(LEFT_COLUMNS_F32).intoArray(y, yi);
  }

  // end twin
}
