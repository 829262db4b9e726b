package dev.adjoint.runtime.train;

import dev.adjoint.runtime.train.HealthWarning.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Per-parameter gradient L2 norms over the run, and the warnings they raised. The {@link Trainer}
 * feeds it every step's norms (measured before clipping); {@link #record} can also be called from a
 * hand-written loop.
 *
 * <pre>{@code
 * GradientHealth health = new GradientHealth(List.of("W[0]", "W[1]"), GradientHealth.Options.defaults());
 * health.record(1, new double[] {3e-9, 0.4});
 * System.out.print(health.report());
 * }</pre>
 *
 * <p>Memory is bounded: at most {@link Options#maxSamples()} samples are kept. Steps are sampled
 * with a stride that starts at 1; when the store is full every other sample is dropped and the
 * stride doubles, so the samples stay evenly spaced and always include the first recorded step.
 * The latest step is always kept as the last sample. Minimum and maximum are exact over all steps;
 * the median in {@link #report()} is over the samples. Deterministic; recording allocates nothing
 * except when a warning is raised. Not thread-safe.
 */
public final class GradientHealth {

  /**
   * Thresholds of the warnings, and the sample budget. The criteria, for a parameter {@code p}
   * whose gradient norm at a step is {@code n}, where {@code largest} is the largest norm of any
   * parameter at that step:
   *
   * <ul>
   *   <li><b>Vanishing</b>: {@code n < vanishingBelow} or {@code n < vanishingRatio * largest}, at
   *       each of {@code window} consecutive steps. A single small step does not count. Steps on
   *       which the model looks converged interrupt the count rather than extend it: steps where
   *       {@code largest} itself is below {@code vanishingBelow}, and, after the first
   *       {@code baselineSteps}, steps where the global norm (of all parameters together) is below
   *       {@code convergedFraction} times its median over those first steps — gradients that all
   *       shrink as a fit becomes exact are not vanishing. The largest parameter never vanishes.
   *       The message blames depth (sigmoid or tanh stacks) unless the norm was exactly 0 at
   *       every step of the window; then it blames dead ReLUs or a parameter the loss ignores.
   *   <li><b>Exploding</b>: {@code n > explodingAbove} while growing (above the norm of the step
   *       before, so a large first gradient that then shrinks, as from a poor initialization, is
   *       not an explosion), or {@code n > explodingFactor * m} where
   *       {@code m > 0} is the median of {@code p}'s norms over the first {@code baselineSteps}
   *       steps (the factor applies from step {@code baselineSteps + 1} on, and not to a norm that
   *       is small by the vanishing test: a vanished gradient growing from 1e-13 to 1e-9 has not
   *       exploded). One step suffices: an explosion rarely lasts long before the loss is NaN.
   * </ul>
   *
   * <p>Each kind is raised at most once per parameter. The defaults, {@link #defaults()}:
   * {@code vanishingBelow = 1e-10}, {@code explodingAbove = 1e6}, {@code vanishingRatio = 1e-4},
   * {@code explodingFactor = 1e3}, {@code window = 20}, {@code baselineSteps = 20},
   * {@code maxSamples = 4096}, {@code convergedFraction = 1e-3}. With them a 20-layer sigmoid
   * network's first layers are flagged (each sigmoid layer shrinks the gradient by about 4, so ten
   * layers give about 1e-6) while residual, ReLU or shallow networks, whose per-parameter norms
   * stay within a few orders of magnitude of each other, are not.
   *
   * @param vanishingBelow absolute floor, {@code >= 0}
   * @param explodingAbove absolute ceiling, {@code > 0} (may be infinite: off)
   * @param vanishingRatio floor relative to the step's largest norm, in {@code [0, 1)}
   * @param explodingFactor ceiling relative to the early median, {@code > 1} (may be infinite: off)
   * @param window consecutive steps a vanishing condition must hold, {@code >= 1}
   * @param baselineSteps first steps whose median is the exploding baseline, {@code >= 1}
   * @param maxSamples samples kept at most, {@code >= 2}
   * @param convergedFraction fraction of the early global norm below which the model counts as
   *     converged, in {@code [0, 1)} (0: never)
   */
  public record Options(double vanishingBelow, double explodingAbove, double vanishingRatio,
      double explodingFactor, int window, int baselineSteps, int maxSamples,
      double convergedFraction) {

    /**
     * Checks the ranges given above.
     *
     * @throws IllegalArgumentException naming the first option out of range
     */
    public Options {
      check(vanishingBelow >= 0 && Double.isFinite(vanishingBelow), "vanishingBelow", ">= 0",
          vanishingBelow);
      check(explodingAbove > 0, "explodingAbove", "> 0", explodingAbove);
      check(vanishingRatio >= 0 && vanishingRatio < 1, "vanishingRatio", "in [0, 1)",
          vanishingRatio);
      check(explodingFactor > 1, "explodingFactor", "> 1", explodingFactor);
      check(window >= 1, "window", ">= 1", window);
      check(baselineSteps >= 1, "baselineSteps", ">= 1", baselineSteps);
      check(maxSamples >= 2, "maxSamples", ">= 2", maxSamples);
      check(convergedFraction >= 0 && convergedFraction < 1, "convergedFraction", "in [0, 1)",
          convergedFraction);
    }

    private static void check(boolean ok, String option, String range, double value) {
      if (!ok) {
        throw new IllegalArgumentException("health option " + option + " must be " + range
            + ", got " + value);
      }
    }

    /** The defaults listed above. */
    public static Options defaults() {
      return new Options(1e-10, 1e6, 1e-4, 1e3, 20, 20, 4096, 1e-3);
    }

    /** A copy with another absolute vanishing floor. */
    public Options withVanishingBelow(double value) {
      return new Options(value, explodingAbove, vanishingRatio, explodingFactor, window,
          baselineSteps, maxSamples, convergedFraction);
    }

    /** A copy with another absolute exploding ceiling. */
    public Options withExplodingAbove(double value) {
      return new Options(vanishingBelow, value, vanishingRatio, explodingFactor, window,
          baselineSteps, maxSamples, convergedFraction);
    }

    /** A copy with another relative vanishing floor. */
    public Options withVanishingRatio(double value) {
      return new Options(vanishingBelow, explodingAbove, value, explodingFactor, window,
          baselineSteps, maxSamples, convergedFraction);
    }

    /** A copy with another relative exploding ceiling. */
    public Options withExplodingFactor(double value) {
      return new Options(vanishingBelow, explodingAbove, vanishingRatio, value, window,
          baselineSteps, maxSamples, convergedFraction);
    }

    /** A copy with another vanishing window. */
    public Options withWindow(int value) {
      return new Options(vanishingBelow, explodingAbove, vanishingRatio, explodingFactor, value,
          baselineSteps, maxSamples, convergedFraction);
    }

    /** A copy with another exploding baseline length. */
    public Options withBaselineSteps(int value) {
      return new Options(vanishingBelow, explodingAbove, vanishingRatio, explodingFactor, window,
          value, maxSamples, convergedFraction);
    }

    /** A copy with another convergence fraction. */
    public Options withConvergedFraction(double value) {
      return new Options(vanishingBelow, explodingAbove, vanishingRatio, explodingFactor, window,
          baselineSteps, maxSamples, value);
    }

    /** A copy with another sample budget. */
    public Options withMaxSamples(int value) {
      return new Options(vanishingBelow, explodingAbove, vanishingRatio, explodingFactor, window,
          baselineSteps, value, convergedFraction);
    }
  }

  private static final String DEEP_ADVICE = "early layers are not learning — try ReLU, residual"
      + " connections or normalization";
  private static final String ZERO_ADVICE = "the parameter no longer affects the loss — dead ReLUs"
      + " after too large a step (try a lower learning rate or leaky_relu), or a parameter the"
      + " loss does not use";
  private static final String ZERO_SUMMARY = "their gradients are exactly 0 — dead ReLUs after"
      + " too large a step (try a lower learning rate or leaky_relu), or parameters the loss does"
      + " not use";
  private static final String EXPLODING_ADVICE = "try a lower learning rate or --clip-norm";

  private final List<String> parameters;
  private final Options options;
  private final double clipNorm;
  private final List<HealthWarning> warnings = new ArrayList<>();
  private final List<HealthWarning> warningsView = Collections.unmodifiableList(warnings);

  private final NormSamples samples;
  private final int[] streak;
  /** Whether every norm of the current streak has been exactly 0. */
  private final boolean[] zeroStreak;
  private final boolean[] vanishedAtZero;
  private final boolean[] vanished;
  private final boolean[] exploded;
  private final double[][] baseline;
  private final double[] baselineMedian;
  private final double[] globalBaseline;
  private final double[] previous;
  private double globalBaselineMedian = Double.NaN;

  /**
   * An empty record for the given parameters.
   *
   * @throws IllegalArgumentException if a name repeats
   */
  public GradientHealth(List<String> parameters, Options options) {
    this(parameters, options, Double.NaN);
  }

  /**
   * An empty record for a run that clips gradients to the global norm {@code clipNorm} (NaN: no
   * clipping); only the advice of the exploding warning differs: it does not suggest clipping.
   *
   * @throws IllegalArgumentException if a name repeats
   */
  public GradientHealth(List<String> parameters, Options options, double clipNorm) {
    this.parameters = List.copyOf(parameters);
    this.options = Objects.requireNonNull(options, "options");
    this.clipNorm = clipNorm;
    if (this.parameters.stream().distinct().count() != this.parameters.size()) {
      throw new IllegalArgumentException("parameter names repeat: " + parameters);
    }
    int n = this.parameters.size();
    samples = new NormSamples(n, options.maxSamples());
    streak = new int[n];
    zeroStreak = new boolean[n];
    vanishedAtZero = new boolean[n];
    vanished = new boolean[n];
    exploded = new boolean[n];
    baseline = new double[n][options.baselineSteps()];
    baselineMedian = new double[n];
    globalBaseline = new double[options.baselineSteps()];
    previous = new double[n];
    Arrays.fill(previous, Double.POSITIVE_INFINITY);
  }

  /** The options in force. */
  public Options options() {
    return options;
  }

  /** The parameter names, aligned with the norms. */
  public List<String> parameters() {
    return parameters;
  }

  /** The number of steps recorded (not all are kept as samples). */
  public long steps() {
    return samples.records();
  }

  /**
   * Records one step's gradient norms and checks them.
   *
   * @param step the step's global number, for messages and {@link #stepAt}
   * @param norms one finite norm per parameter, aligned with {@link #parameters()}; not kept
   * @return the number of warnings this step raised, now at the end of {@link #warnings()}
   * @throws IllegalArgumentException if {@code norms} has the wrong length
   */
  public int record(long step, double[] norms) {
    if (norms.length != parameters.size()) {
      throw new IllegalArgumentException("expected " + parameters.size() + " norms, got "
          + norms.length);
    }
    samples.add(step, norms);
    int before = warnings.size();
    updateBaselines(norms);
    int largest = 0;
    for (int p = 1; p < norms.length; p++) {
      if (norms[p] > norms[largest]) {
        largest = p;
      }
    }
    if (norms.length > 0) {
      checkVanishing(step, norms, largest);
      checkExploding(step, norms, norms[largest]);
    }
    System.arraycopy(norms, 0, previous, 0, norms.length);
    return warnings.size() - before;
  }

  /** Whether {@code norm} is small by the vanishing criterion, given the step's largest norm. */
  private boolean small(double norm, double top) {
    return norm < options.vanishingBelow() || norm < options.vanishingRatio() * top;
  }

  private void checkVanishing(long step, double[] norms, int largest) {
    if (!(norms[largest] >= options.vanishingBelow()) || converged(norms)) {
      Arrays.fill(streak, 0);
      return;
    }
    double top = norms[largest];
    for (int p = 0; p < norms.length; p++) {
      streak[p] = small(norms[p], top) ? streak[p] + 1 : 0;
      zeroStreak[p] = norms[p] == 0 && (streak[p] == 1 || zeroStreak[p]);
      if (streak[p] >= options.window() && !vanished[p]) {
        vanished[p] = true;
        vanishedAtZero[p] = zeroStreak[p];
        String message = zeroStreak[p]
            ? String.format(Locale.ROOT,
                "gradient of %s has vanished: it is exactly 0 at step %d, for %d steps in a row;"
                    + " %s",
                parameters.get(p), step, streak[p], ZERO_ADVICE)
            : String.format(Locale.ROOT,
                "gradient of %s has vanished: norm %.1e at step %d, %.1e × the largest parameter"
                    + " gradient (%s, %.1e), for %d steps in a row; %s",
                parameters.get(p), norms[p], step, norms[p] / top, parameters.get(largest), top,
                streak[p], DEEP_ADVICE);
        warnings.add(new HealthWarning(Kind.VANISHING, parameters.get(p), step, norms[p],
            message));
      }
    }
  }

  /** Collects the first {@code baselineSteps} norms, and takes their medians after the last. */
  private void updateBaselines(double[] norms) {
    int base = options.baselineSteps();
    if (steps() > base) {
      return;
    }
    for (int p = 0; p < norms.length; p++) {
      baseline[p][(int) steps() - 1] = norms[p];
    }
    globalBaseline[(int) steps() - 1] = global(norms);
    if (steps() == base) {
      for (int p = 0; p < norms.length; p++) {
        baselineMedian[p] = median(baseline[p], base);
      }
      globalBaselineMedian = median(globalBaseline, base);
    }
  }

  private static double global(double[] norms) {
    double sum = 0;
    for (double n : norms) {
      sum += n * n;
    }
    return Math.sqrt(sum);
  }

  /** Whether the global norm has fallen far below its early median. */
  private boolean converged(double[] norms) {
    return steps() > options.baselineSteps()
        && global(norms) < options.convergedFraction() * globalBaselineMedian;
  }

  private void checkExploding(long step, double[] norms, double top) {
    int base = options.baselineSteps();
    for (int p = 0; p < norms.length; p++) {
      if (exploded[p]) {
        continue;
      }
      String why = null;
      if (norms[p] > options.explodingAbove() && norms[p] > previous[p]) {
        why = String.format(Locale.ROOT, "above the limit %.1e", options.explodingAbove());
      } else if (steps() > base && baselineMedian[p] > 0 && !small(norms[p], top)
          && norms[p] > options.explodingFactor() * baselineMedian[p]) {
        why = String.format(Locale.ROOT, "%.1e × its median %.1e over the first %d steps",
            norms[p] / baselineMedian[p], baselineMedian[p], base);
      }
      if (why != null) {
        exploded[p] = true;
        String message = String.format(Locale.ROOT,
            "gradient of %s has exploded: norm %.1e at step %d, %s; %s",
            parameters.get(p), norms[p], step, why, explodingAdvice());
        warnings.add(new HealthWarning(Kind.EXPLODING, parameters.get(p), step, norms[p],
            message));
      }
    }
  }

  private String explodingAdvice() {
    return Double.isNaN(clipNorm) ? EXPLODING_ADVICE : String.format(Locale.ROOT,
        "try a lower learning rate (the updates are already clipped to a global norm of %s)",
        Formats.number(clipNorm));
  }

  /** The median of the first {@code n} values; sorts them in place. */
  private static double median(double[] values, int n) {
    Arrays.sort(values, 0, n);
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  }

  /** Recorded samples: at most {@link Options#maxSamples()}, the first and the latest step included. */
  public int samples() {
    return samples.samples();
  }

  /** The global step of sample {@code sample}, in increasing order. */
  public long stepAt(int sample) {
    return samples.stepAt(sample);
  }

  /** The norm of parameter {@code parameter}'s gradient at sample {@code sample}. */
  public double norm(int parameter, int sample) {
    return samples.norm(parameter, sample);
  }

  /** The smallest norm of the parameter over every recorded step; NaN before the first. */
  public double min(int parameter) {
    return samples.min(parameter);
  }

  /** The largest norm of the parameter over every recorded step; NaN before the first. */
  public double max(int parameter) {
    return samples.max(parameter);
  }

  /** The warnings raised so far, in order; an unmodifiable live view. */
  public List<HealthWarning> warnings() {
    return warningsView;
  }

  /**
   * A plain-text table: per parameter the first, median and last norm, min, max, and a verdict
   * ({@code ok}, {@code VANISHING at <step>}, {@code EXPLODING at <step>}). Fixed-width columns,
   * numbers in {@code %.3e} with {@link Locale#ROOT}, lines ending in {@code \n}; after the table,
   * one line per kind of warning raised, naming the parameters (the first six) and what to try.
   */
  public String report() {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "gradient norms over %d steps (%d samples)\n",
        steps(), samples()));
    if (steps() == 0) {
      return out.toString();
    }
    int width = "parameter".length();
    for (String name : parameters) {
      width = Math.max(width, name.length());
    }
    String row = "%-" + width + "s  %10s  %10s  %10s  %10s  %10s  %s\n";
    out.append(String.format(Locale.ROOT, row, "parameter", "first", "median", "last", "min",
        "max", "verdict"));
    double[] values = new double[samples()];
    for (int p = 0; p < parameters.size(); p++) {
      for (int i = 0; i < values.length; i++) {
        values[i] = norm(p, i);
      }
      double first = values[0];
      double last = values[values.length - 1];
      double median = median(values, values.length);
      out.append(String.format(Locale.ROOT, row, parameters.get(p), num(first), num(median),
          num(last), num(min(p)), num(max(p)), verdict(parameters.get(p))));
    }
    boolean allAtZero = true;
    for (int p = 0; p < parameters.size(); p++) {
      allAtZero &= !vanished[p] || vanishedAtZero[p];
    }
    summarize(out, Kind.VANISHING, allAtZero ? ZERO_SUMMARY : DEEP_ADVICE);
    summarize(out, Kind.EXPLODING, EXPLODING_ADVICE);
    return out.toString();
  }

  /** One line for the warnings of a kind: how many parameters, the first few names, the advice. */
  private void summarize(StringBuilder out, Kind kind, String advice) {
    List<String> names = new ArrayList<>();
    for (HealthWarning w : warnings) {
      if (w.kind() == kind) {
        names.add(w.parameter());
      }
    }
    if (names.isEmpty()) {
      return;
    }
    int shown = Math.min(names.size(), 6);
    out.append(kind == Kind.VANISHING ? "vanishing" : "exploding").append(" gradients in ")
        .append(names.size()).append(" of ").append(parameters.size()).append(" parameters (")
        .append(String.join(", ", names.subList(0, shown)))
        .append(shown < names.size() ? ", …" : "").append("): ").append(advice).append('\n');
  }

  private static String num(double x) {
    return String.format(Locale.ROOT, "%.3e", x);
  }

  private String verdict(String parameter) {
    StringBuilder v = new StringBuilder();
    for (HealthWarning w : warnings) {
      if (w.parameter().equals(parameter)) {
        v.append(v.length() == 0 ? "" : ", ").append(w.kind()).append(" at ").append(w.step());
      }
    }
    return v.length() == 0 ? "ok" : v.toString();
  }
}
