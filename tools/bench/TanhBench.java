import dev.adjoint.runtime.ArrayMath;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Random;

/**
 * What {@code ArrayMath.tanh} costs per element over 4,096 {@code f32} normal deviates (the sizes of a layer of
 * configuration (c)): 12 rounds of 20,000 calls, each printed as nanoseconds an element of wall time and of the
 * thread's CPU time, then the median of the last 6 rounds of each and a checksum of the bits of the results (equal
 * checksums: the same bits). The implementation is the one {@code Kernels} picks (the Vector API with the flag
 * below; {@code -Dadjoint.kernels=scalar} for the scalar one). BENCHMARKS.md, "A one-pass f32 tanh".
 *
 * <pre>
 * mvn -B -o -q -DskipTests -pl runtime package
 * java --add-modules jdk.incubator.vector -cp runtime/target/classes tools/bench/TanhBench.java
 * </pre>
 */
public class TanhBench {
  public static void main(String[] args) {
    int n = 4096;
    float[] x = new float[n];
    float[] y = new float[n];
    Random r = new Random(1);
    for (int i = 0; i < n; i++) {
      x[i] = (float) r.nextGaussian();
    }
    ThreadMXBean bean = ManagementFactory.getThreadMXBean();
    int rounds = 12;
    int reps = 20_000;
    double[] wall = new double[rounds];
    double[] cpu = new double[rounds];
    for (int round = 0; round < rounds; round++) {
      long c0 = bean.getCurrentThreadCpuTime();
      long t0 = System.nanoTime();
      for (int k = 0; k < reps; k++) {
        ArrayMath.tanh(x, y);
      }
      wall[round] = (System.nanoTime() - t0) / (double) reps / n;
      cpu[round] = (bean.getCurrentThreadCpuTime() - c0) / (double) reps / n;
      System.out.printf("tanh %.3f ns/elem (cpu %.3f)%n", wall[round], cpu[round]);
    }
    long sum = 0;
    for (float v : y) {
      sum = 31 * sum + Float.floatToRawIntBits(v);
    }
    System.out.printf("median of the last %d rounds: %.3f ns/elem wall, %.3f cpu; bits checksum %016x%n",
        rounds / 2, median(wall, rounds / 2), median(cpu, rounds / 2), sum);
  }

  private static double median(double[] v, int from) {
    double[] last = Arrays.copyOfRange(v, from, v.length);
    Arrays.sort(last);
    return (last[(last.length - 1) / 2] + last[last.length / 2]) / 2;
  }
}
