package dev.adjoint.spark;

import dev.adjoint.runtime.AdjointModel;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

/**
 * One partition's share of a step, on an executor: the rows of the global batch that the partition
 * holds, in batch order, through this thread's model instance set to the broadcast parameters.
 */
final class StepTask implements Function<RowBlock, GradientShare> {
  private static final long serialVersionUID = 1L;

  private final Broadcast<StepInput> input;
  private final Broadcast<ModelCode> code;
  private final ColumnBinding binding;
  private final String[] names;
  private final TaskHook hook;

  StepTask(Broadcast<StepInput> input, Broadcast<ModelCode> code, ColumnBinding binding, String[] names, TaskHook hook) {
    this.input = input;
    this.code = code;
    this.binding = binding;
    this.names = names;
    this.hook = hook;
  }

  @Override
  public GradientShare call(RowBlock block) {
    StepInput in = input.value();
    hook.beforeTask("step", in.step(), TaskContext.getPartitionId());
    int[] positions = block.positionsOf(in.rows());
    if (positions.length == 0) {
      return GradientShare.empty(names.length);
    }
    AdjointModel model = code.value().forThisThread();
    ModelCode.setParameters(model, in.parameters());
    return GradientShare.of(model.gradient(block.inputs(positions, binding)), names, positions.length,
        in.rows().length);
  }
}
