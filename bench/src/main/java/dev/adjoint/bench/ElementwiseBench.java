package dev.adjoint.bench;

import dev.adjoint.runtime.ArrayMath;
import dev.adjoint.runtime.FastMath;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code tanh} and {@code exp} over 4096 {@code f32} values: {@code Math} in a loop (what generated code
 * calls today), {@link FastMath} in a loop (what a fused generated loop would call), and
 * {@link ArrayMath} on the Vector API and on the scalar implementation. Time per array.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ElementwiseBench {
  private final float[] x = new float[4096];
  private final float[] y = new float[4096];

  @Setup
  public void setUp() {
    SplittableRandom r = new SplittableRandom(2);
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) r.nextDouble(-4, 4);
    }
  }

  @Benchmark
  public float[] tanhMathLoop() {
    for (int i = 0; i < x.length; i++) {
      y[i] = (float) Math.tanh(x[i]);
    }
    return y;
  }

  @Benchmark
  public float[] tanhFastMathLoop() {
    for (int i = 0; i < x.length; i++) {
      y[i] = FastMath.tanh(x[i]);
    }
    return y;
  }

  @Benchmark
  public float[] tanhArrayVector() {
    ArrayMath.tanh(x, y);
    return y;
  }

  @Benchmark
  @Fork(value = 1, jvmArgsAppend = {"-Dadjoint.kernels=scalar"})
  public float[] tanhArrayScalar() {
    ArrayMath.tanh(x, y);
    return y;
  }

  @Benchmark
  public float[] expMathLoop() {
    for (int i = 0; i < x.length; i++) {
      y[i] = (float) Math.exp(x[i]);
    }
    return y;
  }

  @Benchmark
  public float[] expArrayVector() {
    ArrayMath.exp(x, y);
    return y;
  }
}
