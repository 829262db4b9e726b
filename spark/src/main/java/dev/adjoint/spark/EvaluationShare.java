package dev.adjoint.spark;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.train.Evaluation;
import java.io.Serializable;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;

/**
 * Partitions' shares of a held-out evaluation, summed: each partition runs {@link Evaluation} on its
 * held-out rows (in their order, in batches) and contributes its loss times its rows and its correct
 * rows; the driver divides by the row count, so the result is the row-weighted mean loss and the
 * accuracy over all held-out rows, as {@link Evaluation#run} gives on one machine.
 */
final class EvaluationShare implements Serializable {
  private static final long serialVersionUID = 1L;

  private double lossSum;
  private long rows;
  private long correct;

  /** Adds {@code o} into this one and returns this. */
  EvaluationShare add(EvaluationShare o) {
    lossSum += o.lossSum;
    rows += o.rows;
    correct += o.correct;
    return this;
  }

  /** The held-out loss, and the accuracy when {@code accuracy} (else NaN). */
  Evaluation toEvaluation(boolean accuracy) {
    return new Evaluation(lossSum / rows, accuracy ? (double) correct / rows : Double.NaN);
  }

  /** One partition's evaluation of the rows numbered {@code from} to {@code to}, on an executor. */
  static final class Task implements Function<RowBlock, EvaluationShare> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<Object[]> parameters;
    private final Broadcast<ModelCode> code;
    private final ColumnBinding binding;
    private final long from;
    private final long to;
    private final String output;
    private final int batchSize;
    private final long epoch;
    private final TaskHook hook;

    Task(Broadcast<Object[]> parameters, Broadcast<ModelCode> code, ColumnBinding binding, long from, long to,
        String output, int batchSize, long epoch, TaskHook hook) {
      this.parameters = parameters;
      this.code = code;
      this.binding = binding;
      this.from = from;
      this.to = to;
      this.output = output;
      this.batchSize = batchSize;
      this.epoch = epoch;
      this.hook = hook;
    }

    @Override
    public EvaluationShare call(RowBlock block) {
      hook.beforeTask("evaluate", epoch, TaskContext.getPartitionId());
      EvaluationShare share = new EvaluationShare();
      int[] positions = block.positionsIn(from, to);
      if (positions.length == 0) {
        return share;
      }
      AdjointModel model = code.value().forThisThread();
      ModelCode.setParameters(model, parameters.value());
      Evaluation e = Evaluation.run(model, new BlockBatches(block, positions, batchSize, binding), output,
          binding.labelInput);
      share.rows = positions.length;
      share.lossSum = e.loss() * positions.length;
      share.correct = output == null ? 0 : Math.round(e.accuracy() * positions.length);
      return share;
    }
  }
}
