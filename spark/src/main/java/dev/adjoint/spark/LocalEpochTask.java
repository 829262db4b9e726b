package dev.adjoint.spark;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.StepResult;
import dev.adjoint.runtime.train.GradientSource;
import dev.adjoint.runtime.train.StepReport;
import dev.adjoint.runtime.train.Trainer;
import dev.adjoint.runtime.train.TrainingDivergedException;
import dev.adjoint.runtime.train.TrainingListener;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

/**
 * One partition's epoch of local steps, on an executor: starting from the broadcast parameters, the
 * runtime's {@link Trainer} takes one step per global batch that has rows here — on those rows, with an
 * optimizer of its own, the epoch's learning rates and the clipping — and the partition reports its final
 * parameters and its steps' losses and gradient norms.
 */
final class LocalEpochTask implements Function<RowBlock, LocalShare> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<EpochInput> input;
  private final Broadcast<ModelCode> code;
  private final ColumnBinding binding;
  private final OptimizerFactory optimizer;
  private final int parameterCount;
  private final TaskHook hook;

  LocalEpochTask(Broadcast<EpochInput> input, Broadcast<ModelCode> code, ColumnBinding binding,
      OptimizerFactory optimizer, int parameterCount, TaskHook hook) {
    this.input = input;
    this.code = code;
    this.binding = binding;
    this.optimizer = optimizer;
    this.parameterCount = parameterCount;
    this.hook = hook;
  }

  @Override
  public LocalShare call(RowBlock block) {
    EpochInput in = input.value();
    int partition = TaskContext.getPartitionId();
    hook.beforeTask("epoch", in.epoch(), partition);
    LocalShare share = new LocalShare(parameterCount, in.steps());
    List<Integer> steps = new ArrayList<>();
    List<int[]> positions = new ArrayList<>();
    long rows = 0;
    for (int s = 0; s < in.steps(); s++) {
      int[] p = block.positionsOf(in.batch(s));
      if (p.length > 0) {
        steps.add(s);
        positions.add(p);
        rows += p.length;
      }
    }
    if (steps.isEmpty()) {
      return share;
    }
    AdjointModel model = code.value().forThisThread();
    ModelCode.setParameters(model, in.parameters());
    Trainer.Builder local = Trainer.builder(model, optimizer.create(model.parameters()))
        .gradients(new GradientSource() {
          private int next;

          @Override
          public int batchesPerEpoch() {
            return positions.size();
          }

          @Override
          public void startEpoch(int epoch) {
            next = 0;
          }

          @Override
          public StepResult next() {
            return model.step(block.inputs(positions.get(next++), binding));
          }
        })
        .listener(new TrainingListener() {
          @Override
          public void onStep(StepReport r) {
            int t = (int) r.step() - 1;
            share.step(steps.get(t), positions.get(t).length, r.loss(), r.gradientNorms());
          }
        });
    if (!Double.isNaN(in.rates()[0])) {
      local.schedule(t -> in.rates()[steps.get(t)]);
    }
    if (!Double.isNaN(in.clipNorm())) {
      local.clipGlobalNorm(in.clipNorm());
    }
    try {
      local.build().fit();
    } catch (TrainingDivergedException e) {
      int s = steps.get((int) e.step() - 1);
      share.fail("partition " + partition + ", at step " + (in.firstStep() + s) + " (epoch " + in.epoch()
          + ", local steps): " + e.getMessage());
      return share;
    }
    share.parameters(model.parameters(), rows);
    return share;
  }
}
