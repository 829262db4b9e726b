package dev.adjoint.spark;

import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.train.BatchSource;
import java.util.Arrays;
import java.util.Map;

/** Some rows of a {@link RowBlock} in order, in batches: for evaluating a partition's held-out rows. */
final class BlockBatches implements BatchSource {
  private final RowBlock block;
  private final int[] positions;
  private final int batchSize;
  private final ColumnBinding binding;
  private int cursor;
  private int last;

  BlockBatches(RowBlock block, int[] positions, int batchSize, ColumnBinding binding) {
    this.block = block;
    this.positions = positions;
    this.batchSize = batchSize;
    this.binding = binding;
  }

  @Override
  public int batchesPerEpoch() {
    return (positions.length + batchSize - 1) / batchSize;
  }

  @Override
  public void startEpoch(int epoch) {
    cursor = 0;
  }

  @Override
  public Map<String, Tensor> next() {
    if (cursor >= positions.length) {
      cursor = 0;
    }
    int n = Math.min(batchSize, positions.length - cursor);
    last = n;
    Map<String, Tensor> inputs = block.inputs(Arrays.copyOfRange(positions, cursor, cursor + n), binding);
    cursor += n;
    return inputs;
  }

  @Override
  public int lastBatchRows() {
    return last;
  }
}
