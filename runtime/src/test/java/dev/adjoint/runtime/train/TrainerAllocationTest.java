package dev.adjoint.runtime.train;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.ForwardResult;
import dev.adjoint.runtime.GradientResult;
import dev.adjoint.runtime.InputSpec;
import dev.adjoint.runtime.StepResult;
import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.io.CsvData;
import dev.adjoint.runtime.optim.LearningRateSchedule;
import dev.adjoint.runtime.optim.Sgd;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

/**
 * The trainer's own per-step work allocates nothing: with a model that returns the same result
 * every time and no listeners, 10,000 more steps cost no more than a small constant.
 */
class TrainerAllocationTest {
  private static final long SLACK_BYTES = 4096;

  /** A model whose step() returns one preallocated result (gradients clipped in place). */
  static final class FixedModel extends TrainTestSupport.HandModel {
    private final GradientResult result;
    private final StepResult step;

    FixedModel() {
      params.add("W[0]", FloatTensor.full(0.5f, 8, 4));
      params.add("W[1]", FloatTensor.full(0.5f, 4));
      Map<String, Tensor> grads = new LinkedHashMap<>();
      grads.put("W[0]", FloatTensor.full(1e-3f, 8, 4));
      grads.put("W[1]", FloatTensor.full(-1e-3f, 4));
      result = new GradientResult(0.5, Map.of(), grads);
      step = new StepResult(Map.of(), grads).loss(0.5);
    }

    @Override
    public StepResult step(Map<String, Tensor> inputs) {
      return step;
    }

    @Override
    public String name() {
      return "Fixed";
    }

    @Override
    public List<InputSpec> inputs() {
      return List.of(InputSpec.parse("x", "f32[B, 2]"), InputSpec.parse("y", "i32[B]"));
    }

    @Override
    public ForwardResult forward(Map<String, Tensor> inputs) {
      return new ForwardResult(OptionalDouble.of(0.5), Map.of());
    }

    @Override
    public GradientResult gradient(Map<String, Tensor> inputs) {
      return result;
    }
  }

  private static long allocatedByFit(com.sun.management.ThreadMXBean bean, int steps,
      CsvData data) {
    FixedModel model = new FixedModel();
    Trainer trainer = Trainer.builder(model, Sgd.builder(model.parameters()).build())
        .data(CsvBatchSource.shuffled(data, "x", "y", 4, 1))
        .stepsPerEpoch(steps)
        .schedule(LearningRateSchedule.cosine(1e-3, steps, 0))
        .clipGlobalNorm(1e-3)
        .health(GradientHealth.Options.defaults().withMaxSamples(64))
        .build();
    long before = bean.getCurrentThreadAllocatedBytes();
    trainer.fit();
    return bean.getCurrentThreadAllocatedBytes() - before;
  }

  @Test
  void stepsAllocateNothingOnTheTrainersSide() throws IOException {
    assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
        "no com.sun.management.ThreadMXBean");
    com.sun.management.ThreadMXBean bean =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    assumeTrue(bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled(),
        "thread allocation accounting unsupported");
    CsvData data = CsvBatchSourceTest.rows(10);
    for (int i = 0; i < 20; i++) {
      allocatedByFit(bean, 2_000, data); // warm up
    }
    long small = allocatedByFit(bean, 2_000, data);
    long large = allocatedByFit(bean, 12_000, data);
    assertTrue(large - small <= SLACK_BYTES,
        "10,000 more steps allocated " + (large - small) + " more bytes (" + small + " vs " + large
            + ")");
  }
}
