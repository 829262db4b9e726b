package dev.adjoint.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link VectorFirstUse} calls every kernel of {@link KernelImpl} (both element types), and the matrix product with
 * panels of 1 to 4 vectors, overwriting and accumulating: a kernel added to the interface but not to the first-use
 * pass would have its first use late, which is what let C2 stop speculating in the micro-kernels (BENCHMARKS.md,
 * Known problems).
 */
class VectorFirstUseTest {

  @Test
  void everyKernelAndEveryPanelWidthIsUsedOnce() {
    Set<String> called = new TreeSet<>();
    Set<String> gemmShapes = new HashSet<>();
    int lanes = Math.max(1, VectorGemm.bitsF32() / 32);
    KernelImpl recording = (KernelImpl) Proxy.newProxyInstance(KernelImpl.class.getClassLoader(),
        new Class<?>[] {KernelImpl.class}, (proxy, method, args) -> {
          called.add(signature(method));
          if (method.getName().equals("gemm") && args[0] instanceof float[]) {
            int n = (Integer) args[13];
            gemmShapes.add(n / lanes + " vectors, accumulate " + args[14] + ", bps " + args[7]);
          }
          return null;
        });
    VectorFirstUse.run(recording);
    Set<String> all = new TreeSet<>();
    for (Method m : KernelImpl.class.getDeclaredMethods()) {
      if (!m.getName().equals("name")) {
        all.add(signature(m));
      }
    }
    assertEquals(all, called);
    for (int vectors = 1; vectors <= 4; vectors++) {
      for (boolean acc : new boolean[] {false, true}) {
        assertTrue(gemmShapes.contains(vectors + " vectors, accumulate " + acc + ", bps 1"), vectors + " " + acc);
        assertTrue(gemmShapes.contains(vectors + " vectors, accumulate " + acc + ", bps 2"), vectors + " " + acc);
      }
    }
  }

  private static String signature(Method m) {
    return m.getName() + Arrays.toString(m.getParameterTypes());
  }
}
