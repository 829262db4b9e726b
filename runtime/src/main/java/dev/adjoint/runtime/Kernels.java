package dev.adjoint.runtime;

/**
 * Which kernel implementation runs, and on how many threads.
 *
 * <p><b>Two implementations, one result.</b> When the JVM was started with
 * {@code --add-modules jdk.incubator.vector}, the kernels run on the incubating Vector API (SIMD
 * register tiles, {@code vector-api (512-bit)} on an AVX-512 machine); otherwise on a scalar
 * implementation written so that the JIT vectorizes its inner loops. The choice is made once, when
 * this class is initialized, and {@link #implementation()} reports it. Both compute every entry of a
 * matrix product as the same chain of fused multiply-adds in ascending {@code k}, so results are the
 * same bit for bit whichever runs, on any thread count. The system property
 * {@code adjoint.kernels=scalar} forces the scalar implementation (for comparisons).
 *
 * <p>The Vector API classes are loaded by name, only when the module is present: a JVM without it
 * never resolves them, and generated code never refers to them. Such a JVM prints
 * {@code WARNING: Using incubator modules: jdk.incubator.vector} once at start-up; that line is the
 * JDK's notice that an incubating API is in use, not an error.
 *
 * <p><b>Threads.</b> One by default. {@link #setThreads} (or {@code -Dadjoint.threads=N}) lets large
 * matrix products run on a fixed pool; each entry is still computed by one thread in the same order,
 * so results do not depend on the thread count.
 */
public final class Kernels {
  private Kernels() {}

  /** Products with fewer multiply-adds than this run on the calling thread alone. */
  static final long PARALLEL_MIN_WORK = 1L << 20;

  private static final KernelImpl IMPL = select();
  private static final KernelImpl SCALAR = IMPL instanceof ScalarKernels ? IMPL : new ScalarKernels();
  private static volatile KernelPool pool = newPool(Integer.getInteger("adjoint.threads", 1));

  /**
   * The implementation in use: {@code "vector-api (N-bit)"} with the module
   * {@code jdk.incubator.vector}, or {@code "scalar"}.
   */
  public static String implementation() {
    return IMPL.name();
  }

  /** The number of threads large kernels run on (1 by default). */
  public static int threads() {
    KernelPool p = pool;
    return p == null ? 1 : p.threads();
  }

  /**
   * Runs large kernels on {@code threads} threads from now on: the calling thread and
   * {@code threads - 1} daemon workers. Results are the same for every thread count.
   *
   * @throws IllegalArgumentException if {@code threads < 1}
   */
  public static synchronized void setThreads(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("kernel threads must be at least 1, got " + threads);
    }
    if (threads == threads()) {
      return;
    }
    KernelPool old = pool;
    pool = newPool(threads);
    if (old != null) {
      old.close();
    }
  }

  /**
   * Runs every kernel a few dozen times on small inputs so that the JIT compiles them before they
   * are timed (the Vector API kernels allocate and run slowly until then). Takes about a second.
   */
  public static void warmUp() {
    KernelWarmUp.run();
  }

  static KernelImpl impl() {
    return IMPL;
  }

  /** The scalar implementation, also when the Vector API one is in use (for tests). */
  static KernelImpl scalar() {
    return SCALAR;
  }

  /** The pool, or null for one thread. */
  static KernelPool pool() {
    return pool;
  }

  private static KernelPool newPool(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("adjoint.threads must be at least 1, got " + threads);
    }
    return threads == 1 ? null : new KernelPool(threads);
  }

  private static KernelImpl select() {
    boolean scalar = "scalar".equals(System.getProperty("adjoint.kernels"));
    if (!scalar && ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()) {
      try {
        return (KernelImpl) Class.forName("dev.adjoint.runtime.VectorKernels")
            .getDeclaredConstructor().newInstance();
      } catch (ReflectiveOperationException | LinkageError e) {
        // The module is there but unusable (say, a JDK whose API differs): use the scalar kernels.
        return new ScalarKernels();
      }
    }
    return new ScalarKernels();
  }
}
