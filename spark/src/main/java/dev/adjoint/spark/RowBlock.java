package dev.adjoint.spark;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Tensor;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows one partition holds, packed for the model: their numbers in the data set (ascending), the
 * features as one {@code f32} or {@code f64} array and the labels. A step asks for the rows of the
 * global batch that are here, in the batch's order, and gets them as model inputs.
 */
final class RowBlock implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int[] index;
  private final float[] f32;
  private final double[] f64;
  private final int[] labels;
  private final int featureCount;

  private RowBlock(int[] index, float[] f32, double[] f64, int[] labels, int featureCount) {
    this.index = index;
    this.f32 = f32;
    this.f64 = f64;
    this.labels = labels;
    this.featureCount = featureCount;
  }

  /** Packs the rows of one partition, in any order, with the binding's element type. */
  static RowBlock pack(Iterator<IndexedRow> rows, ColumnBinding binding) {
    List<IndexedRow> list = new ArrayList<>();
    rows.forEachRemaining(list::add);
    list.sort(Comparator.comparingInt(IndexedRow::index));
    int n = list.size();
    int f = binding.featureCount;
    int[] index = new int[n];
    int[] labels = new int[n];
    double[] f64 = binding.f64 ? new double[n * f] : null;
    float[] f32 = binding.f64 ? null : new float[n * f];
    for (int r = 0; r < n; r++) {
      IndexedRow row = list.get(r);
      index[r] = row.index();
      labels[r] = row.label();
      if (f64 != null) {
        System.arraycopy(row.features(), 0, f64, r * f, f);
      } else {
        for (int i = 0; i < f; i++) {
          f32[r * f + i] = (float) row.features()[i];
        }
      }
    }
    return new RowBlock(index, f32, f64, labels, f);
  }

  /** The first {@code n} rows here (fewer if there are fewer), as a block of their own. */
  RowBlock first(int n) {
    int k = Math.min(n, index.length);
    return new RowBlock(Arrays.copyOf(index, k), f32 == null ? null : Arrays.copyOf(f32, k * featureCount),
        f64 == null ? null : Arrays.copyOf(f64, k * featureCount), Arrays.copyOf(labels, k), featureCount);
  }

  /** The number of rows here. */
  int size() {
    return index.length;
  }

  /** The positions here of those of {@code rows} (data-set row numbers) that are here, in their order. */
  int[] positionsOf(int[] rows) {
    int[] found = new int[Math.min(rows.length, index.length)];
    int n = 0;
    for (int row : rows) {
      int p = Arrays.binarySearch(index, row);
      if (p >= 0) {
        found[n++] = p;
      }
    }
    return Arrays.copyOf(found, n);
  }

  /** The positions here of the rows numbered {@code from} (inclusive) to {@code to} (exclusive), in order. */
  int[] positionsIn(long from, long to) {
    int lo = lowerBound(from);
    int hi = lowerBound(to);
    int[] p = new int[hi - lo];
    for (int i = 0; i < p.length; i++) {
      p[i] = lo + i;
    }
    return p;
  }

  private int lowerBound(long row) {
    int lo = 0;
    int hi = index.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (index[mid] < row) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The rows at {@code positions}, in that order, as the model's feature and label inputs. */
  Map<String, Tensor> inputs(int[] positions, ColumnBinding binding) {
    int n = positions.length;
    int f = featureCount;
    Tensor x;
    if (f64 != null) {
      double[] d = new double[n * f];
      for (int r = 0; r < n; r++) {
        System.arraycopy(f64, positions[r] * f, d, r * f, f);
      }
      x = DoubleTensor.wrap(d, n, f);
    } else {
      float[] d = new float[n * f];
      for (int r = 0; r < n; r++) {
        System.arraycopy(f32, positions[r] * f, d, r * f, f);
      }
      x = FloatTensor.wrap(d, n, f);
    }
    int[] y = new int[n];
    for (int r = 0; r < n; r++) {
      y[r] = labels[positions[r]];
    }
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    inputs.put(binding.featureInput, x);
    inputs.put(binding.labelInput, IntTensor.wrap(y, n));
    return inputs;
  }
}
