import java.util.Arrays;
import java.util.Random;

/**
 * What a {@code relu} mask costs per element in three forms, over 65,536 {@code f32} values of varied sign
 * (normal deviates plus {@code -Dshift}, default 0: half positive): {@code (t > 0) ? dy : 0} as the emitter
 * wrote it before (C2 compiles a float {@code ?:} to a jump on x86), {@code FastMath.where(t > 0, dy, 0)}
 * as it writes it now (an integer conditional move on the bits), and the same select with the Vector API
 * (compare and blend), for comparison. Prints nanoseconds per call of 65,536 elements for 6 rounds of 2,000
 * calls, and whether the three agree bit for bit (BENCHMARKS.md, "The matrix product reads A ... in place").
 *
 * <pre>
 * mvn -B -o -q -DskipTests -pl runtime package
 * java --add-modules jdk.incubator.vector -cp runtime/target/classes tools/bench/WhereBench.java
 * </pre>
 */
public class WhereBench {
  static final jdk.incubator.vector.VectorSpecies<Float> S = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;

  static void ternary(float[] t, float[] dy, float[] o) {
    for (int i = 0; i < o.length; i++) {
      o[i] = (t[i] > 0.0f) ? dy[i] : 0.0f;
    }
  }

  static void where(float[] t, float[] dy, float[] o) {
    for (int i = 0; i < o.length; i++) {
      o[i] = dev.adjoint.runtime.FastMath.where(t[i] > 0.0f, dy[i], 0.0f);
    }
  }

  static void vector(float[] t, float[] dy, float[] o) {
    int i = 0;
    int up = S.loopBound(o.length);
    jdk.incubator.vector.FloatVector zero = jdk.incubator.vector.FloatVector.zero(S);
    for (; i < up; i += S.length()) {
      jdk.incubator.vector.FloatVector tv = jdk.incubator.vector.FloatVector.fromArray(S, t, i);
      zero.blend(jdk.incubator.vector.FloatVector.fromArray(S, dy, i),
          tv.compare(jdk.incubator.vector.VectorOperators.GT, 0.0f)).intoArray(o, i);
    }
    for (; i < o.length; i++) {
      o[i] = (t[i] > 0.0f) ? dy[i] : 0.0f;
    }
  }

  public static void main(String[] args) {
    float shift = Float.parseFloat(System.getProperty("shift", "0"));
    int n = 65_536;
    float[] t = new float[n];
    float[] dy = new float[n];
    float[][] out = new float[3][n];
    Random r = new Random(1);
    for (int i = 0; i < n; i++) {
      t[i] = (float) r.nextGaussian() + shift;
      dy[i] = (float) r.nextGaussian();
    }
    t[5] = Float.NaN;
    t[6] = -0.0f;
    t[7] = 0.0f;
    t[8] = Float.POSITIVE_INFINITY;
    dy[9] = Float.NaN;
    t[9] = 1;
    for (int round = 0; round < 6; round++) {
      long[] ns = new long[3];
      for (int v = 0; v < 3; v++) {
        long t0 = System.nanoTime();
        for (int k = 0; k < 2000; k++) {
          if (v == 0) {
            ternary(t, dy, out[0]);
          } else if (v == 1) {
            where(t, dy, out[1]);
          } else {
            vector(t, dy, out[2]);
          }
        }
        ns[v] = (System.nanoTime() - t0) / 2000;
      }
      System.out.printf("?: %d ns, FastMath.where %d ns, Vector API %d ns; same bits %b%n", ns[0], ns[1], ns[2],
          Arrays.equals(out[0], out[1]) && Arrays.equals(out[0], out[2]));
    }
  }
}
