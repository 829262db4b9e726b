package dev.adjoint.bench;

import dev.adjoint.runtime.Kernels;
import dev.adjoint.runtime.MatMul;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code f32} matrix products through {@link MatMul}, on the Vector API implementation (a fork with
 * {@code --add-modules jdk.incubator.vector}) and on the scalar one ({@code -Dadjoint.kernels=scalar}),
 * one thread. A shape is {@code variant:MxKxN}: {@code nn} is {@code A·B}, {@code tn} is
 * {@code Aᵀ·B} ({@code A} stored {@code [K, M]}), {@code nt} is {@code A·Bᵀ} ({@code B} stored
 * {@code [N, K]}). Time per product; GFLOP/s = 2·M·K·N / time ({@code tools/bench-peers.sh} converts).
 *
 * <pre>
 * mvn -B -o -q -pl bench -am package -DskipTests
 * java -jar bench/target/benchmarks.jar MatMulBench -p shape=nn:512x512x512
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class MatMulBench {
  @Param({"nn:512x512x512", "nn:32x784x128", "tn:784x32x128", "nt:32x128x784", "nn:128x784x512",
      "tn:784x128x512", "nt:128x512x784", "nn:128x512x10", "nn:64x64x64"})
  public String shape;

  private float[] a;
  private float[] b;
  private float[] c;
  private int variant;
  private int m;
  private int k;
  private int n;

  @Setup(Level.Trial)
  public void setUp() {
    String[] parts = shape.split(":");
    variant = switch (parts[0]) {
      case "nn" -> 0;
      case "tn" -> 1;
      case "nt" -> 2;
      default -> throw new IllegalArgumentException("variant " + parts[0]);
    };
    String[] dims = parts[1].split("x");
    m = Integer.parseInt(dims[0]);
    k = Integer.parseInt(dims[1]);
    n = Integer.parseInt(dims[2]);
    SplittableRandom r = new SplittableRandom(1);
    a = new float[m * k];
    b = new float[k * n];
    c = new float[m * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = (float) r.nextDouble(-1, 1);
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = (float) r.nextDouble(-1, 1);
    }
    System.out.println("kernels: " + Kernels.implementation() + ", threads " + Kernels.threads());
  }

  private float[] product() {
    switch (variant) {
      case 0 -> MatMul.matmul(a, b, c, m, k, n, false);
      case 1 -> MatMul.matmulTransA(a, b, c, m, k, n, false);
      default -> MatMul.matmulTransB(a, b, c, m, k, n, false);
    }
    return c;
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
  public float[] vector() {
    return product();
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"-Dadjoint.kernels=scalar"})
  public float[] scalar() {
    return product();
  }
}
