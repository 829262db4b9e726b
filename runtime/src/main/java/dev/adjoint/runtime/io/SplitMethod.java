package dev.adjoint.runtime.io;

import dev.adjoint.runtime.SeededRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Which rows {@link CsvData#split(int, SplitMethod, long)} holds out. Both parts keep file order.
 *
 * <p>Many CSV files are sorted by class or by time: their last rows are then one class, or the
 * latest period. {@link #LAST} is right for the second (evaluate on what comes after) and wrong for
 * the first; {@link #STRATIFIED} keeps every class's share in both parts, as scikit-learn's
 * {@code train_test_split(stratify=y)} does, and {@link #RANDOM} draws rows uniformly.
 */
public enum SplitMethod {
  /** The last rows of the file, in file order. */
  LAST,
  /** Rows drawn uniformly at random, seeded. */
  RANDOM,
  /**
   * For integer labels: each class holds out its share of the rows (rounded so the total is
   * exact, the largest remainders first), drawn at random within the class, seeded.
   */
  STRATIFIED;

  /** The name of the random stream the seed is turned into, so a split does not echo the shuffle. */
  private static final String STREAM = "held-out split";

  /** Whether each row is held out; exactly {@code heldOut} are. */
  boolean[] heldOutRows(CsvData data, int heldOut, long seed) {
    int rows = data.rows();
    boolean[] held = new boolean[rows];
    switch (this) {
      case LAST -> Arrays.fill(held, rows - heldOut, rows, true);
      case RANDOM -> {
        int[] order = identity(rows);
        partialShuffle(order, heldOut, SeededRandom.forParameter(seed, STREAM));
        for (int i = 0; i < heldOut; i++) {
          held[order[i]] = true;
        }
      }
      case STRATIFIED -> stratified(data.labels().data(), heldOut, seed, held);
      default -> throw new AssertionError(this);
    }
    return held;
  }

  private static void stratified(int[] labels, int heldOut, long seed, boolean[] held) {
    TreeMap<Integer, List<Integer>> byClass = new TreeMap<>();
    for (int r = 0; r < labels.length; r++) {
      byClass.computeIfAbsent(labels[r], k -> new ArrayList<>()).add(r);
    }
    List<List<Integer>> classes = new ArrayList<>(byClass.values());
    int[] quota = new int[classes.size()];
    double[] remainder = new double[classes.size()];
    int given = 0;
    for (int k = 0; k < classes.size(); k++) {
      double exact = (double) heldOut * classes.get(k).size() / labels.length;
      quota[k] = (int) Math.floor(exact);
      remainder[k] = exact - quota[k];
      given += quota[k];
    }
    // The rest, one each, to the classes with the largest remainders (ties: the smaller label).
    List<Integer> byRemainder = new ArrayList<>();
    for (int k = 0; k < classes.size(); k++) {
      if (remainder[k] > 0) {
        byRemainder.add(k);
      }
    }
    byRemainder.sort(Comparator.comparingDouble((Integer k) -> -remainder[k]));
    for (int i = 0; given < heldOut; i++) {
      quota[byRemainder.get(i)]++;
      given++;
    }
    SeededRandom random = SeededRandom.forParameter(seed, STREAM);
    for (int k = 0; k < classes.size(); k++) {
      int[] rows = classes.get(k).stream().mapToInt(Integer::intValue).toArray();
      partialShuffle(rows, quota[k], random);
      for (int i = 0; i < quota[k]; i++) {
        held[rows[i]] = true;
      }
    }
  }

  private static int[] identity(int n) {
    int[] a = new int[n];
    for (int i = 0; i < n; i++) {
      a[i] = i;
    }
    return a;
  }

  /** Moves a uniform random choice of {@code k} elements to the front (Fisher–Yates from the front). */
  private static void partialShuffle(int[] a, int k, SeededRandom random) {
    for (int i = 0; i < k && i < a.length - 1; i++) {
      int j = i + random.nextInt(a.length - i);
      int t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }
}
