package dev.adjoint.runtime;

// twin: double
import jdk.incubator.vector.FloatVector;
// end twin
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API matrix product: {@code C (+)= A·B} with any strides for {@code A} and {@code B},
 * cache-blocked and register-tiled. Loaded only when the module {@code jdk.incubator.vector} is
 * present (see {@link Kernels}); nothing outside {@link VectorKernels} refers to it.
 *
 * <p>Blocking (as in BLIS): columns in blocks of {@code NC}, the contraction in blocks of {@code KC},
 * rows in blocks of {@code MC}. Per block, {@code B} is packed into panels of 1 to 3 vectors' width, or 4 for the last
 * panel when exactly 4 vectors' width remain ({@code kc × width}, zero-padded), whatever its strides, so one register-tiled micro-kernel serves
 * {@code A·B}, {@code Aᵀ·B} and {@code A·Bᵀ}; a row-major {@code B} is read in place instead when
 * {@code C} has few rows ({@link #B_IN_PLACE_ROWS}), except for a narrow edge panel. {@code A} is
 * read in place at any strides (its {@code MR} rows are {@code MR} streams the caches follow; packing
 * it, as BLIS does, cost 4–27 % on every shape measured here, up to 1024³), and only a short edge
 * micro-panel of fewer than {@link #MR} rows is packed, zero-padded. A micro-kernel keeps an
 * {@code MR × width} tile of {@code C} in registers and, for each {@code p} in ascending order, broadcasts {@code A[i, p]} and
 * adds {@code A[i, p]·B[p, j]} with one fused multiply-add per lane. Between {@code k}-blocks the tile
 * goes through {@code C}, which does not change the chain of roundings, so every entry is
 * {@code fma(A[i,k-1], B[k-1,j], … fma(A[i,0], B[0,j], c0))} as in the scalar implementation.
 * Tiles that stick out of {@code C} are computed in a scratch tile and copied.
 *
 * <p><b>Boxing.</b> C2 on JDK 17 compiles a micro-kernel to registers only while it may speculate on types: the
 * results of {@code FloatVector.broadcast} and {@code fromArray} have the static type {@code FloatVector}, and the
 * {@code fma} called on a broadcast vector is inlined (and intrinsified) through the type profile, with an uncommon
 * trap for other classes. C2 stops speculating in a compile once the {@code class_check} traps recorded in the
 * profiles of all the methods it inlines add up to {@code PerMethodTrapLimit} (100); then every {@code fma} is a call
 * on heap vectors, 96 bytes each (3,982,058,496 bytes a step on {@code tools/bench/deep_tanh_256.model}). Each
 * {@code fma} inlines the JDK's {@code VectorOperators.ImplCache.find}, so {@code micro8x3} counts the traps of
 * {@code find} 24 times ({@code micro4x4} and {@code micro8x2} 16, {@code micro8x1} 8): five traps there are enough.
 * They came from first uses of operations after C2 had compiled {@code find} (4 traps in 5 of 19 runs of the deep
 * model, when its first {@code tanh} ran after {@link KernelWarmUp}'s products); {@link VectorFirstUse} now runs every
 * kernel once before anything is hot. What is left: another program's first uses of Vector API operations late in
 * a run, or traps in other JDK methods inlined as often, could still push a compile past the limit (BENCHMARKS.md,
 * Known problems).
 */
final class VectorGemm {
  private VectorGemm() {}

  /** Rows of a micro-tile. */
  static final int MR = 8;
  /** Contraction block: a packed panel of {@code B} ({@code KC × 3} vectors) stays in L1. */
  static final int KC = 128;
  /** Row block: the block of {@code A} ({@code MC × KC}) that a sweep over the panels of {@code B} reads stays in L2. */
  static final int MC = 192;
  /**
   * Up to this many rows of {@code C}, a row-major {@code B} is read in place: each of its panels
   * then serves too few micro-tiles to repay copying it (measured: 1.14× on 64×64×64 and 1.26× on
   * 32×784×128, and no gain or a loss from 128 rows up).
   */
  static final int B_IN_PLACE_ROWS = 64;
  /**
   * The contraction block of the products of a JVM's first {@link #COLD_TILES} micro-tiles (of each element type).
   * Until C2 has compiled the micro-kernels, they run in the interpreter or C1, where the Vector API allocates an
   * object per operation and a fused multiply-add costs tens of nanoseconds; C2 compiles a method after some hundreds
   * of invocations, and a micro-kernel is invoked once per block. With blocks of 128 terms, a small network's
   * first epoch spent about a second reaching those counts; with 16 (after {@link #KC_FIRST}), well under half
   * of that (docs/training.md, "The samples"). The block does not change a result: each entry of {@code C} is the same chain of fused multiply-adds
   * in ascending {@code p}, stored and loaded between blocks.
   */
  static final int KC_COLD = 16;
  /**
   * How much of {@code C} is computed in short blocks, in 8-row, one-vector pieces: a few dozen training steps of
   * the digits sample.
   */
  static final int COLD_TILES = 20_000;
  /**
   * The block of the first {@link #FIRST_TILES} of those pieces: while the micro-kernels are still interpreted (C1
   * compiles them after some hundreds of invocations), each term costs microseconds, so they start with 2. Medians of
   * five interleaved runs of the digits sample: Flight Recorder samples in the Vector API's fallbacks 79 → 55,
   * training 2.2 → 1.6 s (under the recorder).
   */
  static final int KC_FIRST = 2;
  static final int FIRST_TILES = 6_000;

  // twin: double

  private static final VectorSpecies<Float> SPECIES_F32 = FloatVector.SPECIES_PREFERRED;
  private static final int LANES_F32 = SPECIES_F32.length();
  /** Column block: the packed {@code B} ({@code KC × NC}) stays in L2. */
  private static final int NC_F32 = 16 * 3 * LANES_F32;
  /** Micro-tiles left to run in blocks of {@link #KC_COLD} terms; threads race on it, which only moves the end. */
  private static int coldTilesF32 = COLD_TILES;

  /** The vector width in bits, for {@link Kernels#implementation()}. */
  static int bitsF32() {
    return SPECIES_F32.vectorBitSize();
  }

  /**
   * {@code C[i, j] (+)= Σ_p A[i, p]·B[p, j]} for {@code i < m}, {@code j < n}, {@code p < k}, where
   * {@code A[i, p] = a[ao + i·ars + p·aps]}, {@code B[p, j] = b[bo + p·brs + j·bps]} and
   * {@code C[i, j] = c[co + i·ldc + j]}.
   */
  static void gemm(float[] a, int ao, int ars, int aps, float[] b, int bo, int brs, int bps,
      float[] c, int co, int ldc, int m, int k, int n, boolean accumulate, GemmScratch s) {
    int block = KC;
    if (coldTilesF32 > 0) {
      block = coldTilesF32 > COLD_TILES - FIRST_TILES ? KC_FIRST : KC_COLD;
      coldTilesF32 -= ((m + MR - 1) / MR) * ((n + LANES_F32 - 1) / LANES_F32);
    }
    gemm(a, ao, ars, aps, b, bo, brs, bps, c, co, ldc, m, k, n, accumulate, s, block);
  }

  /** {@link #gemm} in contraction blocks of {@code block} terms, at most {@link #KC}. */
  static void gemm(float[] a, int ao, int ars, int aps, float[] b, int bo, int brs, int bps,
      float[] c, int co, int ldc, int m, int k, int n, boolean accumulate, GemmScratch s, int block) {
    if (m == 0 || n == 0) {
      return;
    }
    if (k == 0) {
      if (!accumulate) {
        GemmScratch.zero(c, co, ldc, m, n);
      }
      return;
    }
    int w = 4 * LANES_F32;
    float[] ap = s.aF32(MR * KC);
    float[] bp = s.bF32(KC * (NC_F32 + w));
    float[] tile = s.tileF32(MR * w);
    boolean bInPlace = bps == 1 && m <= B_IN_PLACE_ROWS;
    for (int jc = 0; jc < n; jc += NC_F32) {
      int nc = Math.min(NC_F32, n - jc);
      for (int pc = 0; pc < k; pc += block) {
        int kc = Math.min(block, k - pc);
        boolean load = accumulate || pc > 0;
        int bBlock = bo + pc * brs + jc * bps;
        if (!bInPlace) {
          packB(b, bBlock, brs, bps, kc, nc, bp);
        }
        for (int ic = 0; ic < m; ic += MC) {
          int mc = Math.min(MC, m - ic);
          int bOff = 0;
          for (int jr = 0; jr < nc; ) {
            int vectors = vectorsF32(nc - jr);
            int width = vectors * LANES_F32;
            int cols = Math.min(width, nc - jr);
            // B's panel: packed, or read in place unless it is a narrow edge panel.
            float[] y = bp;
            int yOff = bOff;
            int yrs = width;
            if (bInPlace) {
              if (cols == width) {
                y = b;
                yOff = bBlock + jr;
                yrs = brs;
              } else if (ic == 0) {
                packPanel(b, bBlock + jr, brs, 1, kc, cols, width, bp, bOff);
              }
            }
            for (int ir = 0; ir < mc; ir += MR) {
              int rows = Math.min(MR, mc - ir);
              int cOff = co + (ic + ir) * ldc + jc + jr;
              // A's micro-panel: read in place, or packed when it is a short edge panel.
              float[] x = a;
              int xOff = ao + (ic + ir) * ars + pc * aps;
              int xrs = ars;
              int xps = aps;
              if (rows < MR) {
                packA(a, xOff, ars, aps, rows, kc, ap);
                x = ap;
                xOff = 0;
                xrs = 1;
                xps = MR;
              }
              if (rows == MR && cols == width) {
                micro(vectors, kc, x, xOff, xrs, xps, y, yOff, yrs, c, cOff, ldc, load);
              } else {
                GemmScratch.tileIn(c, cOff, ldc, rows, cols, tile, width, load);
                micro(vectors, kc, x, xOff, xrs, xps, y, yOff, yrs, tile, 0, width, load);
                GemmScratch.tileOut(tile, width, c, cOff, ldc, rows, cols);
              }
            }
            bOff += kc * width;
            jr += width;
          }
        }
      }
    }
  }

  /**
   * Vectors per panel for {@code remaining} columns: 3, fewer at the right edge, or 4 when exactly 4 remain
   * (64 columns in {@code f32} with 512-bit vectors), which one panel of 4 takes faster than panels of 3 and 1:
   * 1.08–1.19× on products 64 columns wide, and no faster as the width of every panel (0.91–0.97× from
   * 128×512×512 up; measured with a one-off harness alternating both in one JVM, 2026-12-06).
   */
  private static int vectorsF32(int remaining) {
    int v = (remaining + LANES_F32 - 1) / LANES_F32;
    return v == 4 ? 4 : Math.min(3, v);
  }

  /**
   * Packs {@code B[0..kc, 0..nc]} into consecutive panels of {@code vectorsF32} vectors' width, each
   * {@code kc} rows of {@code width} values, zero beyond {@code nc}.
   */
  private static void packB(float[] b, int bo, int brs, int bps, int kc, int nc, float[] bp) {
    int off = 0;
    for (int jr = 0; jr < nc; ) {
      int width = vectorsF32(nc - jr) * LANES_F32;
      int cols = Math.min(width, nc - jr);
      packPanel(b, bo + jr * bps, brs, bps, kc, cols, width, bp, off);
      off += kc * width;
      jr += width;
    }
  }

  /**
   * Packs one panel, {@code B[0..kc, 0..cols]}, into {@code bp[off..]}: {@code kc} rows of
   * {@code width} values, zero beyond {@code cols}.
   */
  private static void packPanel(float[] b, int bo, int brs, int bps, int kc, int cols, int width,
      float[] bp, int off) {
    if (bps == 1) {
      for (int p = 0; p < kc; p++) {
        int dst = off + p * width;
        System.arraycopy(b, bo + p * brs, bp, dst, cols);
        for (int j = cols; j < width; j++) {
          bp[dst + j] = 0;
        }
      }
    } else {
      // Transposing: four columns per pass, so that each pass writes four neighbouring values.
      int j = 0;
      for (; j + 4 <= cols; j += 4) {
        int s0 = bo + j * bps;
        int s1 = s0 + bps;
        int s2 = s1 + bps;
        int s3 = s2 + bps;
        for (int p = 0, d = off + j; p < kc; p++, d += width) {
          int sp = p * brs;
          bp[d] = b[s0 + sp];
          bp[d + 1] = b[s1 + sp];
          bp[d + 2] = b[s2 + sp];
          bp[d + 3] = b[s3 + sp];
        }
      }
      for (; j < width; j++) {
        int src = bo + j * bps;
        for (int p = 0, d = off + j; p < kc; p++, d += width) {
          bp[d] = j < cols ? b[src + p * brs] : 0;
        }
      }
    }
  }

  /**
   * Packs the short edge micro-panel {@code A[0..rows, 0..kc]} ({@code rows < MR}), zero-padded to
   * {@link #MR} rows: {@code ap[p·MR + r] = A[r, p]}.
   */
  private static void packA(float[] a, int ao, int ars, int aps, int rows, int kc, float[] ap) {
    for (int p = 0; p < kc; p++) {
      int src = ao + p * aps;
      int dst = p * MR;
      for (int r = 0; r < rows; r++) {
        ap[dst + r] = a[src + r * ars];
      }
      for (int r = rows; r < MR; r++) {
        ap[dst + r] = 0;
      }
    }
  }

  private static void micro(int vectors, int kc, float[] ap, int aOff, int ars, int aps, float[] bp, int bOff,
      int brs, float[] c, int co, int ldc, boolean load) {
    if (vectors == 4) {
      micro4x4(kc, ap, aOff, ars, aps, bp, bOff, brs, c, co, ldc, load);
      micro4x4(kc, ap, aOff + 4 * ars, ars, aps, bp, bOff, brs, c, co + 4 * ldc, ldc, load);
    } else if (vectors == 3) {
      micro8x3(kc, ap, aOff, ars, aps, bp, bOff, brs, c, co, ldc, load);
    } else if (vectors == 2) {
      micro8x2(kc, ap, aOff, ars, aps, bp, bOff, brs, c, co, ldc, load);
    } else {
      micro8x1(kc, ap, aOff, ars, aps, bp, bOff, brs, c, co, ldc, load);
    }
  }

  private static FloatVector load(float[] c, int at, boolean load) {
    return load ? FloatVector.fromArray(SPECIES_F32, c, at) : FloatVector.zero(SPECIES_F32);
  }

  /** An 8 × 3-vector tile of {@code C}: 24 accumulators, 3 loads of {@code B} and 8 broadcasts per {@code p}. */
  private static void micro8x3(int kc, float[] ap, int aOff, int ars, int aps, float[] bp, int bOff,
      int brs, float[] c, int co, int ldc, boolean load) {
    final int l = LANES_F32;
    int c0 = co;
    int c1 = c0 + ldc;
    int c2 = c1 + ldc;
    int c3 = c2 + ldc;
    int c4 = c3 + ldc;
    int c5 = c4 + ldc;
    int c6 = c5 + ldc;
    int c7 = c6 + ldc;
    FloatVector t00 = load(c, c0, load);
    FloatVector t01 = load(c, c0 + l, load);
    FloatVector t02 = load(c, c0 + 2 * l, load);
    FloatVector t10 = load(c, c1, load);
    FloatVector t11 = load(c, c1 + l, load);
    FloatVector t12 = load(c, c1 + 2 * l, load);
    FloatVector t20 = load(c, c2, load);
    FloatVector t21 = load(c, c2 + l, load);
    FloatVector t22 = load(c, c2 + 2 * l, load);
    FloatVector t30 = load(c, c3, load);
    FloatVector t31 = load(c, c3 + l, load);
    FloatVector t32 = load(c, c3 + 2 * l, load);
    FloatVector t40 = load(c, c4, load);
    FloatVector t41 = load(c, c4 + l, load);
    FloatVector t42 = load(c, c4 + 2 * l, load);
    FloatVector t50 = load(c, c5, load);
    FloatVector t51 = load(c, c5 + l, load);
    FloatVector t52 = load(c, c5 + 2 * l, load);
    FloatVector t60 = load(c, c6, load);
    FloatVector t61 = load(c, c6 + l, load);
    FloatVector t62 = load(c, c6 + 2 * l, load);
    FloatVector t70 = load(c, c7, load);
    FloatVector t71 = load(c, c7 + l, load);
    FloatVector t72 = load(c, c7 + 2 * l, load);
    int a1 = ars;
    int a2 = 2 * ars;
    int a3 = 3 * ars;
    int a4 = 4 * ars;
    int a5 = 5 * ars;
    int a6 = 6 * ars;
    int a7 = 7 * ars;
    int ai = aOff;
    int bi = bOff;
    for (int p = 0; p < kc; p++, ai += aps, bi += brs) {
      FloatVector b0 = FloatVector.fromArray(SPECIES_F32, bp, bi);
      FloatVector b1 = FloatVector.fromArray(SPECIES_F32, bp, bi + l);
      FloatVector b2 = FloatVector.fromArray(SPECIES_F32, bp, bi + 2 * l);
      FloatVector x = FloatVector.broadcast(SPECIES_F32, ap[ai]);
      t00 = x.fma(b0, t00);
      t01 = x.fma(b1, t01);
      t02 = x.fma(b2, t02);
      x = FloatVector.broadcast(SPECIES_F32, ap[ai + a1]);
      t10 = x.fma(b0, t10);
      t11 = x.fma(b1, t11);
      t12 = x.fma(b2, t12);
      x = FloatVector.broadcast(SPECIES_F32, ap[ai + a2]);
      t20 = x.fma(b0, t20);
      t21 = x.fma(b1, t21);
      t22 = x.fma(b2, t22);
      x = FloatVector.broadcast(SPECIES_F32, ap[ai + a3]);
      t30 = x.fma(b0, t30);
      t31 = x.fma(b1, t31);
      t32 = x.fma(b2, t32);
      x = FloatVector.broadcast(SPECIES_F32, ap[ai + a4]);
      t40 = x.fma(b0, t40);
      t41 = x.fma(b1, t41);
      t42 = x.fma(b2, t42);
      x = FloatVector.broadcast(SPECIES_F32, ap[ai + a5]);
      t50 = x.fma(b0, t50);
      t51 = x.fma(b1, t51);
      t52 = x.fma(b2, t52);
      x = FloatVector.broadcast(SPECIES_F32, ap[ai + a6]);
      t60 = x.fma(b0, t60);
      t61 = x.fma(b1, t61);
      t62 = x.fma(b2, t62);
      x = FloatVector.broadcast(SPECIES_F32, ap[ai + a7]);
      t70 = x.fma(b0, t70);
      t71 = x.fma(b1, t71);
      t72 = x.fma(b2, t72);
    }
    t00.intoArray(c, c0);
    t01.intoArray(c, c0 + l);
    t02.intoArray(c, c0 + 2 * l);
    t10.intoArray(c, c1);
    t11.intoArray(c, c1 + l);
    t12.intoArray(c, c1 + 2 * l);
    t20.intoArray(c, c2);
    t21.intoArray(c, c2 + l);
    t22.intoArray(c, c2 + 2 * l);
    t30.intoArray(c, c3);
    t31.intoArray(c, c3 + l);
    t32.intoArray(c, c3 + 2 * l);
    t40.intoArray(c, c4);
    t41.intoArray(c, c4 + l);
    t42.intoArray(c, c4 + 2 * l);
    t50.intoArray(c, c5);
    t51.intoArray(c, c5 + l);
    t52.intoArray(c, c5 + 2 * l);
    t60.intoArray(c, c6);
    t61.intoArray(c, c6 + l);
    t62.intoArray(c, c6 + 2 * l);
    t70.intoArray(c, c7);
    t71.intoArray(c, c7 + l);
    t72.intoArray(c, c7 + 2 * l);
  }

  /** An 8 × 2-vector tile of {@code C}. */
  private static void micro8x2(int kc, float[] ap, int aOff, int ars, int aps, float[] bp, int bOff,
      int brs, float[] c, int co, int ldc, boolean load) {
    final int l = LANES_F32;
    int c0 = co;
    int c1 = c0 + ldc;
    int c2 = c1 + ldc;
    int c3 = c2 + ldc;
    int c4 = c3 + ldc;
    int c5 = c4 + ldc;
    int c6 = c5 + ldc;
    int c7 = c6 + ldc;
    FloatVector t00 = load(c, c0, load);
    FloatVector t01 = load(c, c0 + l, load);
    FloatVector t10 = load(c, c1, load);
    FloatVector t11 = load(c, c1 + l, load);
    FloatVector t20 = load(c, c2, load);
    FloatVector t21 = load(c, c2 + l, load);
    FloatVector t30 = load(c, c3, load);
    FloatVector t31 = load(c, c3 + l, load);
    FloatVector t40 = load(c, c4, load);
    FloatVector t41 = load(c, c4 + l, load);
    FloatVector t50 = load(c, c5, load);
    FloatVector t51 = load(c, c5 + l, load);
    FloatVector t60 = load(c, c6, load);
    FloatVector t61 = load(c, c6 + l, load);
    FloatVector t70 = load(c, c7, load);
    FloatVector t71 = load(c, c7 + l, load);
    int a1 = ars;
    int a2 = 2 * ars;
    int a3 = 3 * ars;
    int a4 = 4 * ars;
    int a5 = 5 * ars;
    int a6 = 6 * ars;
    int a7 = 7 * ars;
    int ai = aOff;
    int bi = bOff;
    for (int p = 0; p < kc; p++, ai += aps, bi += brs) {
      FloatVector b0 = FloatVector.fromArray(SPECIES_F32, bp, bi);
      FloatVector b1 = FloatVector.fromArray(SPECIES_F32, bp, bi + l);
      FloatVector x = FloatVector.broadcast(SPECIES_F32, ap[ai]);
      t00 = x.fma(b0, t00);
      t01 = x.fma(b1, t01);
      x = FloatVector.broadcast(SPECIES_F32, ap[ai + a1]);
      t10 = x.fma(b0, t10);
      t11 = x.fma(b1, t11);
      x = FloatVector.broadcast(SPECIES_F32, ap[ai + a2]);
      t20 = x.fma(b0, t20);
      t21 = x.fma(b1, t21);
      x = FloatVector.broadcast(SPECIES_F32, ap[ai + a3]);
      t30 = x.fma(b0, t30);
      t31 = x.fma(b1, t31);
      x = FloatVector.broadcast(SPECIES_F32, ap[ai + a4]);
      t40 = x.fma(b0, t40);
      t41 = x.fma(b1, t41);
      x = FloatVector.broadcast(SPECIES_F32, ap[ai + a5]);
      t50 = x.fma(b0, t50);
      t51 = x.fma(b1, t51);
      x = FloatVector.broadcast(SPECIES_F32, ap[ai + a6]);
      t60 = x.fma(b0, t60);
      t61 = x.fma(b1, t61);
      x = FloatVector.broadcast(SPECIES_F32, ap[ai + a7]);
      t70 = x.fma(b0, t70);
      t71 = x.fma(b1, t71);
    }
    t00.intoArray(c, c0);
    t01.intoArray(c, c0 + l);
    t10.intoArray(c, c1);
    t11.intoArray(c, c1 + l);
    t20.intoArray(c, c2);
    t21.intoArray(c, c2 + l);
    t30.intoArray(c, c3);
    t31.intoArray(c, c3 + l);
    t40.intoArray(c, c4);
    t41.intoArray(c, c4 + l);
    t50.intoArray(c, c5);
    t51.intoArray(c, c5 + l);
    t60.intoArray(c, c6);
    t61.intoArray(c, c6 + l);
    t70.intoArray(c, c7);
    t71.intoArray(c, c7 + l);
  }

  /**
   * A 4 × 4-vector tile of {@code C}: 16 accumulators, 4 loads of {@code B} and 4 broadcasts per {@code p}.
   * An 8-row panel four vectors wide runs it twice (32 accumulators and the loads would not fit in the
   * registers).
   */
  private static void micro4x4(int kc, float[] ap, int aOff, int ars, int aps, float[] bp, int bOff,
      int brs, float[] c, int co, int ldc, boolean load) {
    final int l = LANES_F32;
    int c0 = co;
    int c1 = c0 + ldc;
    int c2 = c1 + ldc;
    int c3 = c2 + ldc;
    FloatVector t00 = load(c, c0, load);
    FloatVector t01 = load(c, c0 + l, load);
    FloatVector t02 = load(c, c0 + 2 * l, load);
    FloatVector t03 = load(c, c0 + 3 * l, load);
    FloatVector t10 = load(c, c1, load);
    FloatVector t11 = load(c, c1 + l, load);
    FloatVector t12 = load(c, c1 + 2 * l, load);
    FloatVector t13 = load(c, c1 + 3 * l, load);
    FloatVector t20 = load(c, c2, load);
    FloatVector t21 = load(c, c2 + l, load);
    FloatVector t22 = load(c, c2 + 2 * l, load);
    FloatVector t23 = load(c, c2 + 3 * l, load);
    FloatVector t30 = load(c, c3, load);
    FloatVector t31 = load(c, c3 + l, load);
    FloatVector t32 = load(c, c3 + 2 * l, load);
    FloatVector t33 = load(c, c3 + 3 * l, load);
    int a1 = ars;
    int a2 = 2 * ars;
    int a3 = 3 * ars;
    int ai = aOff;
    int bi = bOff;
    for (int p = 0; p < kc; p++, ai += aps, bi += brs) {
      FloatVector b0 = FloatVector.fromArray(SPECIES_F32, bp, bi);
      FloatVector b1 = FloatVector.fromArray(SPECIES_F32, bp, bi + l);
      FloatVector b2 = FloatVector.fromArray(SPECIES_F32, bp, bi + 2 * l);
      FloatVector b3 = FloatVector.fromArray(SPECIES_F32, bp, bi + 3 * l);
      FloatVector x = FloatVector.broadcast(SPECIES_F32, ap[ai]);
      t00 = x.fma(b0, t00);
      t01 = x.fma(b1, t01);
      t02 = x.fma(b2, t02);
      t03 = x.fma(b3, t03);
      x = FloatVector.broadcast(SPECIES_F32, ap[ai + a1]);
      t10 = x.fma(b0, t10);
      t11 = x.fma(b1, t11);
      t12 = x.fma(b2, t12);
      t13 = x.fma(b3, t13);
      x = FloatVector.broadcast(SPECIES_F32, ap[ai + a2]);
      t20 = x.fma(b0, t20);
      t21 = x.fma(b1, t21);
      t22 = x.fma(b2, t22);
      t23 = x.fma(b3, t23);
      x = FloatVector.broadcast(SPECIES_F32, ap[ai + a3]);
      t30 = x.fma(b0, t30);
      t31 = x.fma(b1, t31);
      t32 = x.fma(b2, t32);
      t33 = x.fma(b3, t33);
    }
    t00.intoArray(c, c0);
    t01.intoArray(c, c0 + l);
    t02.intoArray(c, c0 + 2 * l);
    t03.intoArray(c, c0 + 3 * l);
    t10.intoArray(c, c1);
    t11.intoArray(c, c1 + l);
    t12.intoArray(c, c1 + 2 * l);
    t13.intoArray(c, c1 + 3 * l);
    t20.intoArray(c, c2);
    t21.intoArray(c, c2 + l);
    t22.intoArray(c, c2 + 2 * l);
    t23.intoArray(c, c2 + 3 * l);
    t30.intoArray(c, c3);
    t31.intoArray(c, c3 + l);
    t32.intoArray(c, c3 + 2 * l);
    t33.intoArray(c, c3 + 3 * l);
  }

  /** An 8 × 1-vector tile of {@code C}. */
  private static void micro8x1(int kc, float[] ap, int aOff, int ars, int aps, float[] bp, int bOff,
      int brs, float[] c, int co, int ldc, boolean load) {
    final int l = LANES_F32;
    int c0 = co;
    int c1 = c0 + ldc;
    int c2 = c1 + ldc;
    int c3 = c2 + ldc;
    int c4 = c3 + ldc;
    int c5 = c4 + ldc;
    int c6 = c5 + ldc;
    int c7 = c6 + ldc;
    FloatVector t0 = load(c, c0, load);
    FloatVector t1 = load(c, c1, load);
    FloatVector t2 = load(c, c2, load);
    FloatVector t3 = load(c, c3, load);
    FloatVector t4 = load(c, c4, load);
    FloatVector t5 = load(c, c5, load);
    FloatVector t6 = load(c, c6, load);
    FloatVector t7 = load(c, c7, load);
    int a1 = ars;
    int a2 = 2 * ars;
    int a3 = 3 * ars;
    int a4 = 4 * ars;
    int a5 = 5 * ars;
    int a6 = 6 * ars;
    int a7 = 7 * ars;
    int ai = aOff;
    int bi = bOff;
    for (int p = 0; p < kc; p++, ai += aps, bi += brs) {
      FloatVector b0 = FloatVector.fromArray(SPECIES_F32, bp, bi);
      t0 = FloatVector.broadcast(SPECIES_F32, ap[ai]).fma(b0, t0);
      t1 = FloatVector.broadcast(SPECIES_F32, ap[ai + a1]).fma(b0, t1);
      t2 = FloatVector.broadcast(SPECIES_F32, ap[ai + a2]).fma(b0, t2);
      t3 = FloatVector.broadcast(SPECIES_F32, ap[ai + a3]).fma(b0, t3);
      t4 = FloatVector.broadcast(SPECIES_F32, ap[ai + a4]).fma(b0, t4);
      t5 = FloatVector.broadcast(SPECIES_F32, ap[ai + a5]).fma(b0, t5);
      t6 = FloatVector.broadcast(SPECIES_F32, ap[ai + a6]).fma(b0, t6);
      t7 = FloatVector.broadcast(SPECIES_F32, ap[ai + a7]).fma(b0, t7);
    }
    t0.intoArray(c, c0);
    t1.intoArray(c, c1);
    t2.intoArray(c, c2);
    t3.intoArray(c, c3);
    t4.intoArray(c, c4);
    t5.intoArray(c, c5);
    t6.intoArray(c, c6);
    t7.intoArray(c, c7);
  }

  // end twin
}
