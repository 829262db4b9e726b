package dev.adjoint.bench;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The hand-written peer of configuration (d): the extended Rosenbrock function of {@code n = 1000}
 * values and its gradient in one fused loop, timed like {@code adjoint bench} times a training step
 * (median of single calls over {@code S} seconds after a warm-up). Prints one JSON line.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.adjoint.bench.RosenbrockByHand [S]
 * </pre>
 */
public final class RosenbrockByHand {
  private RosenbrockByHand() {}

  /** {@code f(x)}, and its gradient written into {@code g}. */
  static double valueAndGradient(double[] x, double[] g) {
    Arrays.fill(g, 0);
    double f = 0;
    for (int i = 0; i + 1 < x.length; i++) {
      double a = x[i];
      double t = x[i + 1] - a * a;
      double u = 1 - a;
      f += 100 * t * t + u * u;
      g[i] += -400 * a * t - 2 * u;
      g[i + 1] += 200 * t;
    }
    return f;
  }

  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
    SplittableRandom r = new SplittableRandom(0);
    double[] x = new double[1000];
    for (int i = 0; i < x.length; i++) {
      x[i] = 0.9 + 0.2 * r.nextDouble();
    }
    double[] g = new double[x.length];
    double sink = 0;
    long warm = System.nanoTime() + 3_000_000_000L;
    while (System.nanoTime() < warm) {
      sink += valueAndGradient(x, g);
    }
    long[] t = new long[1 << 16];
    int n = 0;
    long end = System.nanoTime() + (long) (seconds * 1e9);
    while (System.nanoTime() < end) {
      long t0 = System.nanoTime();
      sink += valueAndGradient(x, g);
      long t1 = System.nanoTime();
      if (n == t.length) {
        t = Arrays.copyOf(t, 2 * n);
      }
      t[n++] = t1 - t0;
    }
    long[] s = Arrays.copyOf(t, n);
    Arrays.sort(s);
    double ms = (n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0) / 1e6;
    System.out.printf(Locale.ROOT, "{\"system\": \"java-by-hand\", \"cfg\": \"d\", \"steps\": %d, \"step_ms\": %.5f,"
        + " \"steps_per_s\": %.1f, \"checksum\": %.3e}%n", n, ms, 1000 / ms, sink);
  }
}
