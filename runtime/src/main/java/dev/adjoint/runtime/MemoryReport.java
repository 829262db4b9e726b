package dev.adjoint.runtime;

import java.util.Map;

/**
 * What a generated model knows about its memory: the bytes its buffers need, planned by the compiler as a
 * formula of the dims, and the bytes the buffers it holds for the dims it has been called with actually take.
 * Parameters and the caller's inputs are not counted.
 *
 * @param formula the planned bytes of the buffers of one call, as a formula of the dims ({@code 4,736·B + 412,160})
 * @param symbols the dims the formula uses
 * @param coefficients for each term of the formula, its coefficient, with the exponent of each symbol (in
 *     {@code symbols} order) — what {@link #planned} evaluates
 * @param held the bytes of the buffers the model holds now, for the dims of its most recent calls
 * @param heldForBackward the peak bytes of the buffers holding forward values that the backward pass reads, from
 *     the step that computes each value to its last backward read — what {@code --checkpoint budget:SIZE} bounds —
 *     measured over the arrays of the workspaces the model holds now (the largest peak of them; 0 before the first
 *     call, and for a model without a loss). A buffer counts with its whole length while it holds such a value.
 */
public record MemoryReport(String formula, java.util.List<String> symbols, long[][] coefficients, long held,
    long heldForBackward) {

  /** A report without the held-for-backward measurement (classes generated before it existed). */
  public MemoryReport(String formula, java.util.List<String> symbols, long[][] coefficients, long held) {
    this(formula, symbols, coefficients, held, 0);
  }

  /**
   * The peak of held bytes over the steps of a plan: {@code bufferBytes[b]} is the length in bytes of buffer
   * {@code b}, and {@code intervals}, joined, lists {@code b:from:to;} for each value held from step {@code from}
   * to step {@code to}, both inclusive (as generated code writes it).
   */
  public static long peakHeld(long[] bufferBytes, String... intervals) {
    java.util.TreeMap<Integer, Long> delta = new java.util.TreeMap<>();
    for (String part : intervals) {
      for (String item : part.split(";")) {
        if (item.isEmpty()) {
          continue;
        }
        String[] f = item.split(":");
        long bytes = bufferBytes[Integer.parseInt(f[0])];
        delta.merge(Integer.parseInt(f[1]), bytes, Long::sum);
        delta.merge(Integer.parseInt(f[2]) + 1, -bytes, Long::sum);
      }
    }
    long held = 0;
    long peak = 0;
    for (long d : delta.values()) {
      held += d;
      peak = Math.max(peak, held);
    }
    return peak;
  }

  /**
   * The planned bytes for these dims.
   *
   * @throws IllegalArgumentException if a dim of the formula is missing
   */
  public long planned(Map<String, Integer> dims) {
    long total = 0;
    for (long[] term : coefficients) {
      long v = term[0];
      for (int s = 0; s < symbols.size(); s++) {
        Integer d = dims.get(symbols.get(s));
        if (term[s + 1] > 0 && d == null) {
          throw new IllegalArgumentException("no value for dim " + symbols.get(s));
        }
        for (long e = 0; e < term[s + 1]; e++) {
          v = Math.multiplyExact(v, d);
        }
      }
      total = Math.addExact(total, v);
    }
    return total;
  }
}
