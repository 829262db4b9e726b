package dev.adjoint.runtime;

/**
 * One thread's packing buffers for the matrix kernels (and statistics for batch norm, the
 * blocks the Vector API elementwise kernels pass between their passes, and dropout's masks). They grow to
 * the largest size asked for and are then reused, so a thread's calls allocate nothing once warm.
 * Each thread that runs kernels has its own ({@link #current()}; the workers of {@link KernelPool}
 * keep theirs).
 */
final class GemmScratch {
  private static final ThreadLocal<GemmScratch> CURRENT = ThreadLocal.withInitial(GemmScratch::new);

  /** The calling thread's buffers. */
  static GemmScratch current() {
    return CURRENT.get();
  }

  private double[] statsA = new double[0];
  private double[] statsB = new double[0];

  /** A zeroed array of at least {@code size} doubles (per-feature statistics). */
  double[] statsA(int size) {
    statsA = zeroed(statsA, size);
    return statsA;
  }

  /** A second zeroed array of at least {@code size} doubles. */
  double[] statsB(int size) {
    statsB = zeroed(statsB, size);
    return statsB;
  }

  private final long[] masks = new long[Dropout.CHUNK];

  /** Dropout's masks of one chunk of elements ({@link Dropout#CHUNK} long). */
  long[] masks() {
    return masks;
  }

  private static double[] zeroed(double[] a, int size) {
    if (a.length < size) {
      return new double[size];
    }
    java.util.Arrays.fill(a, 0, size, 0);
    return a;
  }

  // twin: double

  private float[] aF32 = new float[0];
  private float[] bF32 = new float[0];
  private float[] tileF32 = new float[0];
  private float[] passesF32 = new float[0];
  private float[] rowF32 = new float[0];
  private float[] transposedF32 = new float[0];
  private float[] imageF32 = new float[0];
  private float[] filterF32 = new float[0];
  private float[] pooledF32 = new float[0];
  private float[][] rowsF32 = new float[0][];
  private float[][] cRowsF32 = new float[0][];

  /** The packed-{@code A} buffer, at least {@code size} long. */
  float[] aF32(int size) {
    if (aF32.length < size) {
      aF32 = new float[size];
    }
    return aF32;
  }

  /** The packed-{@code B} buffer, at least {@code size} long. */
  float[] bF32(int size) {
    if (bF32.length < size) {
      bF32 = new float[size];
    }
    return bF32;
  }

  /** The scratch tile for edges, at least {@code size} long. */
  float[] tileF32(int size) {
    if (tileF32.length < size) {
      tileF32 = new float[size];
    }
    return tileF32;
  }

  /** The block an elementwise kernel's passes hand on to each other ({@code VectorMath}), at least {@code size} long. */
  float[] passesF32(int size) {
    if (passesF32.length < size) {
      passesF32 = new float[size];
    }
    return passesF32;
  }

  /** The transposed product of {@code MatMul}'s {@code A·Bᵀ} route, at least {@code size} long. */
  float[] transposedF32(int size) {
    if (transposedF32.length < size) {
      transposedF32 = new float[size];
    }
    return transposedF32;
  }

  /** Images laid out channels last ({@code Conv2d}; {@code Pool2d}: planes last), at least {@code size} long. */
  float[] imageF32(int size) {
    if (imageF32.length < size) {
      imageF32 = new float[size];
    }
    return imageF32;
  }

  /** Filters with their taps before their channels ({@code Conv2d}), at least {@code size} long. */
  float[] filterF32(int size) {
    if (filterF32.length < size) {
      filterF32 = new float[size];
    }
    return filterF32;
  }

  /** Max pooling's outputs laid out planes last ({@code Pool2d}), at least {@code size} long. */
  float[] pooledF32(int size) {
    if (pooledF32.length < size) {
      pooledF32 = new float[size];
    }
    return pooledF32;
  }

  /** One row of a matrix copied to offset 0 (so that a loop over it vectorizes), at least {@code size} long. */
  float[] rowF32(int size) {
    if (rowF32.length < size) {
      rowF32 = new float[size];
    }
    return rowF32;
  }

  /** At least {@code count} row arrays of at least {@code length} each (packed rows of {@code B}). */
  float[][] rowsF32(int count, int length) {
    rowsF32 = grow(rowsF32, count, length);
    return rowsF32;
  }

  /** At least {@code count} row arrays of at least {@code length} each (rows of {@code C}). */
  float[][] cRowsF32(int count, int length) {
    cRowsF32 = grow(cRowsF32, count, length);
    return cRowsF32;
  }

  private static float[][] grow(float[][] rows, int count, int length) {
    if (rows.length < count || (count > 0 && rows[0].length < length)) {
      int n = Math.max(count, rows.length);
      int len = Math.max(length, rows.length > 0 ? rows[0].length : 0);
      rows = new float[n][len];
    }
    return rows;
  }

  /** {@code C[0..m, 0..n] = 0} with row stride {@code ldc}. */
  static void zero(float[] c, int co, int ldc, int m, int n) {
    for (int i = 0; i < m; i++) {
      java.util.Arrays.fill(c, co + i * ldc, co + i * ldc + n, 0);
    }
  }

  /**
   * Copies the {@code rows × cols} corner of {@code C} into a tile of row stride {@code width} when
   * {@code load}. The rest of the tile is left as it is: what is computed there is never copied out.
   */
  static void tileIn(float[] c, int co, int ldc, int rows, int cols, float[] tile, int width, boolean load) {
    if (load) {
      for (int r = 0; r < rows; r++) {
        System.arraycopy(c, co + r * ldc, tile, r * width, cols);
      }
    }
  }

  /**
   * {@code y[yo + j·ldy + i] = x[xo + i·ldx + j]} for {@code i < rows}, {@code j < cols}: the transpose of a
   * {@code rows × cols} matrix, eight rows of {@code x} at a time, so that each step writes eight neighbouring
   * values of {@code y} (0.33 ns an element on 128 × 512, against 0.5 for one row or a column at a time).
   */
  static void transpose(float[] x, int xo, int ldx, int rows, int cols, float[] y, int yo, int ldy) {
    int i = 0;
    for (; i + 8 <= rows; i += 8) {
      int r0 = xo + i * ldx;
      int r1 = r0 + ldx;
      int r2 = r1 + ldx;
      int r3 = r2 + ldx;
      int r4 = r3 + ldx;
      int r5 = r4 + ldx;
      int r6 = r5 + ldx;
      int r7 = r6 + ldx;
      for (int j = 0, to = yo + i; j < cols; j++, to += ldy) {
        y[to] = x[r0 + j];
        y[to + 1] = x[r1 + j];
        y[to + 2] = x[r2 + j];
        y[to + 3] = x[r3 + j];
        y[to + 4] = x[r4 + j];
        y[to + 5] = x[r5 + j];
        y[to + 6] = x[r6 + j];
        y[to + 7] = x[r7 + j];
      }
    }
    for (; i < rows; i++) {
      for (int j = 0, from = xo + i * ldx, to = yo + i; j < cols; j++, to += ldy) {
        y[to] = x[from + j];
      }
    }
  }

  /** Copies the {@code rows × cols} corner of the tile back into {@code C}. */
  static void tileOut(float[] tile, int width, float[] c, int co, int ldc, int rows, int cols) {
    for (int r = 0; r < rows; r++) {
      System.arraycopy(tile, r * width, c, co + r * ldc, cols);
    }
  }

  // end twin
}
