package dev.adjoint.spark;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.StepResult;
import dev.adjoint.runtime.io.RowOrder;
import dev.adjoint.runtime.train.GradientSource;
import java.util.Arrays;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * The {@link dev.adjoint.runtime.train.Trainer}'s steps on Spark. The driver forms the global batches
 * exactly as {@link dev.adjoint.runtime.train.CsvBatchSource#shuffled} does on one machine — the rows
 * {@code 0 .. rows - 1} in the order of a {@link RowOrder} started at the seed, cut into batches of
 * {@code batchSize} — so they depend on the seed and the row count only. Each step broadcasts the
 * parameters and the batch's row numbers; every partition computes its share ({@link StepTask});
 * {@code treeAggregate} sums the shares into the batch's loss and gradient.
 */
final class DistributedGradients implements GradientSource {
  private final JavaSparkContext spark;
  private final JavaRDD<RowBlock> blocks;
  private final AdjointModel model;
  private final Broadcast<ModelCode> code;
  private final ColumnBinding binding;
  private final String[] names;
  private final TaskHook hook;
  private final int treeDepth;
  private final int rows;
  private final int batchSize;
  private final long seed;

  private RowOrder order;
  private int[] current;
  /** Epochs begun since the order was (re)started; the next {@link #next()} may begin another. */
  private int begun;
  private boolean inEpoch;
  private int cursor;
  private long step;

  DistributedGradients(JavaSparkContext spark, JavaRDD<RowBlock> blocks, AdjointModel model,
      Broadcast<ModelCode> code,
      ColumnBinding binding, TaskHook hook, int treeDepth, int rows, int batchSize, long seed) {
    this.spark = spark;
    this.blocks = blocks;
    this.model = model;
    this.code = code;
    this.binding = binding;
    this.names = model.parameters().keySet().toArray(new String[0]);
    this.hook = hook;
    this.treeDepth = treeDepth;
    this.rows = rows;
    this.batchSize = batchSize;
    this.seed = seed;
    restart();
  }

  private void restart() {
    order = new RowOrder(rows, seed);
    begun = 0;
    inEpoch = false;
    step = 0;
  }

  @Override
  public int batchesPerEpoch() {
    return (rows + batchSize - 1) / batchSize;
  }

  /** As {@link dev.adjoint.runtime.train.CsvBatchSource#startEpoch}: any epoch, in any order. */
  @Override
  public void startEpoch(int epoch) {
    if (begun > epoch) {
      restart();
    }
    inEpoch = false;
    while (begun < epoch) {
      order.nextEpoch();
      begun++;
    }
  }

  /** The batch's row numbers, in batch order; continues into the next epoch's order when one is used up. */
  int[] nextBatch() {
    if (!inEpoch || cursor >= rows) {
      current = order.nextEpoch();
      begun++;
      cursor = 0;
      inEpoch = true;
    }
    int n = Math.min(batchSize, rows - cursor);
    int[] batch = Arrays.copyOfRange(current, cursor, cursor + n);
    cursor += n;
    return batch;
  }

  @Override
  public StepResult next() {
    int[] batch = nextBatch();
    step++;
    Broadcast<StepInput> input = spark.broadcast(new StepInput(step, ModelCode.parameterValues(model), batch));
    try {
      GradientShare sum = blocks.map(new StepTask(input, code, binding, names, hook))
          .treeAggregate(GradientShare.empty(names.length), GradientShare::add, GradientShare::add, treeDepth);
      if (sum.rows() != batch.length) {
        throw new IllegalStateException("step " + step + ": the partitions held " + sum.rows() + " of the "
            + batch.length + " rows of the batch");
      }
      return sum.toResult(model.parameters());
    } catch (Exception e) { // a failed job throws SparkException, a checked exception Scala does not declare
      throw SparkErrors.unwrap(e);
    } finally {
      input.destroy();
    }
  }
}
