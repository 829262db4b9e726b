import java.util.Arrays;
import java.util.Random;

/**
 * What the loops the emitter writes for broadcasts cost per element, {@code f32}, 64 rows of {@code n} (10, 64,
 * 128, 512), in the forms it wrote before and writes now (BENCHMARKS.md, "Bias adds and channel broadcasts"):
 * <ul>
 *   <li>a row repeated along the leading axes (a bias): the nest {@code y[o + j] = x[o + j] + b[j]} (before),
 *       against {@code Broadcast.rows(b, n, y, total)} and the flat loop {@code y[i] = x[i] + y[i]} (now);
 *   <li>an operand broadcast along the innermost axis ({@code [B, C, 1, 1]}-style): {@code y[o + j] = x[o + j] *
 *       s[i0]} (before) against its element read into a local first and the loop run from the output's offset,
 *       {@code float v1 = s[i0]; for (j = o; j < o + n; j++) y[j] = x[j] * v1} (now).
 * </ul>
 * C2 on JDK 17 vectorizes neither of the old forms (in the second, {@code s[i0]} might be in {@code y}'s array, so it
 * is read again after every store). Prints nanoseconds per element (the last of 4 rounds) and whether the two
 * forms agree bit for bit.
 *
 * <pre>
 * mvn -B -o -q -DskipTests -pl runtime package
 * java -cp runtime/target/classes tools/bench/BroadcastLoopBench.java
 * </pre>
 */
public class BroadcastLoopBench {
  static void biasNest(float[] y, float[] x, float[] b, int rows, int n) {
    for (int i0 = 0; i0 < rows; i0++) {
      int o = i0 * n;
      for (int j = 0; j < n; j++) {
        y[o + j] = x[o + j] + b[j];
      }
    }
  }

  static void biasRows(float[] y, float[] x, float[] b, int rows, int n) {
    dev.adjoint.runtime.Broadcast.rows(b, n, y, rows * n);
    for (int i = 0; i < y.length; i++) {
      y[i] = x[i] + y[i];
    }
  }

  static void scaleNest(float[] y, float[] x, float[] s, int rows, int n) {
    for (int i0 = 0; i0 < rows; i0++) {
      int o = i0 * n;
      for (int j = 0; j < n; j++) {
        y[o + j] = x[o + j] * s[i0];
      }
    }
  }

  static void scaleFromOffset(float[] y, float[] x, float[] s, int rows, int n) {
    for (int i0 = 0; i0 < rows; i0++) {
      int o = i0 * n;
      float v1 = s[i0];
      for (int j = o; j < o + n; j++) {
        y[j] = x[j] * v1;
      }
    }
  }

  public static void main(String[] args) {
    int rows = 64;
    for (int n : new int[] {10, 64, 128, 512}) {
      int len = rows * n;
      Random r = new Random(n);
      float[] x = new float[len];
      float[] b = new float[n];
      float[] s = new float[rows];
      for (int i = 0; i < len; i++) {
        x[i] = (float) r.nextGaussian();
      }
      for (int i = 0; i < n; i++) {
        b[i] = (float) r.nextGaussian();
      }
      for (int i = 0; i < rows; i++) {
        s[i] = (float) r.nextGaussian();
      }
      float[][] y = new float[4][len];
      int reps = 100_000_000 / len;
      double[] ns = new double[4];
      for (int round = 0; round < 4; round++) {
        for (int form = 0; form < 4; form++) {
          long t0 = System.nanoTime();
          for (int k = 0; k < reps; k++) {
            switch (form) {
              case 0 -> biasNest(y[0], x, b, rows, n);
              case 1 -> biasRows(y[1], x, b, rows, n);
              case 2 -> scaleNest(y[2], x, s, rows, n);
              default -> scaleFromOffset(y[3], x, s, rows, n);
            }
          }
          ns[form] = (System.nanoTime() - t0) / (double) reps / len;
        }
      }
      System.out.printf("n=%3d  bias: nest %.3f, rows + flat %.3f ns/elem (same bits: %b)   "
              + "scale: nest %.3f, from the offset %.3f ns/elem (same bits: %b)%n", n, ns[0], ns[1],
          Arrays.equals(y[0], y[1]), ns[2], ns[3], Arrays.equals(y[2], y[3]));
    }
  }
}
