package dev.adjoint.runtime.optim;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.Tensor;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** After warm-up, a step allocates nothing: 1,000 steps stay within a small constant slack. */
class AllocationTest {
  private static final long SLACK_BYTES = 1024;

  static List<Function<Map<String, Tensor>, Optimizer>> optimizers() {
    return List.of(
        p -> Sgd.builder(p).learningRate(1e-3).build(),
        p -> Sgd.builder(p).learningRate(1e-3).momentum(0.9).nesterov(true).weightDecay(1e-4).build(),
        p -> Adam.builder(p).learningRate(1e-3).weightDecay(1e-4).build(),
        p -> AdamW.builder(p).learningRate(1e-3).build());
  }

  @ParameterizedTest
  @MethodSource("optimizers")
  void stepsAllocateNothingAfterWarmUp(Function<Map<String, Tensor>, Optimizer> make) {
    assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
        "no com.sun.management.ThreadMXBean");
    com.sun.management.ThreadMXBean bean =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled(),
        "thread allocation accounting unsupported");

    Map<String, Tensor> params = new LinkedHashMap<>();
    params.put("W", FloatTensor.full(0.5f, 16, 8));
    params.put("b", DoubleTensor.full(0.5, 8));
    Map<String, Tensor> grads = new LinkedHashMap<>();
    grads.put("W", FloatTensor.full(0.01f, 16, 8));
    grads.put("b", DoubleTensor.full(-0.01, 8));
    grads.put("x", DoubleTensor.full(1, 3));
    Optimizer opt = make.apply(params);
    for (int i = 0; i < 20_000; i++) {
      opt.step(grads);
    }

    long before = bean.getCurrentThreadAllocatedBytes();
    for (int i = 0; i < 1_000; i++) {
      opt.step(grads);
    }
    long allocated = bean.getCurrentThreadAllocatedBytes() - before;
    assertTrue(allocated <= SLACK_BYTES, "1,000 steps allocated " + allocated + " bytes");
  }
}
