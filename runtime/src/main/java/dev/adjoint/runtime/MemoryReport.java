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
 */
public record MemoryReport(String formula, java.util.List<String> symbols, long[][] coefficients, long held) {

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
