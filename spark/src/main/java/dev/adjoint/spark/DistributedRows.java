package dev.adjoint.spark;

import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * A {@code Dataset}'s rows, numbered from 0 in the Dataset's order (partition by partition, as
 * {@code zipWithIndex} numbers them: file order for a CSV file), read through a {@link ColumnBinding}
 * and packed into one cached {@link RowBlock} per partition. Rows keep their numbers when they are
 * spread over other partitions, so the batches, which name rows by number, do not depend on the
 * partitioning.
 */
final class DistributedRows {
  final JavaRDD<RowBlock> blocks;
  final long rows;

  private DistributedRows(JavaRDD<RowBlock> blocks, long rows) {
    this.blocks = blocks;
    this.rows = rows;
  }

  /**
   * Reads and caches the rows of {@code data} (a Spark job: a bad row fails it here, before training).
   *
   * @param partitions spread the numbered rows over this many partitions, or null to keep the Dataset's
   * @throws BadRowException for the first bad row met
   */
  static DistributedRows read(Dataset<Row> data, ColumnBinding binding, Integer partitions) {
    JavaRDD<IndexedRow> read = data.javaRDD().zipWithIndex()
        .mapPartitionsWithIndex((p, rows) -> readRows(p, rows, binding), true);
    if (partitions != null) {
      read = read.repartition(partitions);
    }
    JavaRDD<RowBlock> blocks = read
        .mapPartitions(rows -> List.of(RowBlock.pack(rows, binding)).iterator(), true)
        .persist(StorageLevel.MEMORY_AND_DISK());
    long count;
    try {
      count = blocks.map(b -> (long) b.size()).fold(0L, Long::sum);
    } catch (Exception e) { // a failed job throws SparkException, a checked exception Scala does not declare
      blocks.unpersist(false);
      throw SparkErrors.unwrap(e);
    }
    if (count > Integer.MAX_VALUE) {
      blocks.unpersist(false);
      throw new IllegalArgumentException("the data has " + count + " rows; SparkTrainer numbers rows with an"
          + " int, up to " + Integer.MAX_VALUE);
    }
    return new DistributedRows(blocks, count);
  }

  private static Iterator<IndexedRow> readRows(int partition, Iterator<Tuple2<Row, Long>> rows,
      ColumnBinding binding) {
    return new Iterator<>() {
      private long row;

      @Override
      public boolean hasNext() {
        return rows.hasNext();
      }

      @Override
      public IndexedRow next() {
        Tuple2<Row, Long> t = rows.next();
        row++;
        long index = t._2();
        if (index > Integer.MAX_VALUE) {
          throw new BadRowException(partition, row, index + 1, "more rows than SparkTrainer can number ("
              + Integer.MAX_VALUE + ")");
        }
        double[] features = new double[binding.featureCount];
        int label = binding.read(t._1(), features, 0, partition, row, index + 1);
        return new IndexedRow((int) index, features, label);
      }
    };
  }

  /** The number of partitions of the cached blocks. */
  int partitions() {
    return blocks.getNumPartitions();
  }

  /** Drops the cached blocks. */
  void unpersist() {
    blocks.unpersist(false);
  }
}
