package dev.adjoint.runtime.check;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.Dim;
import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.ElementType;
import dev.adjoint.runtime.GradientResult;
import dev.adjoint.runtime.InputSpec;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Mode;
import dev.adjoint.runtime.SeededRandom;
import dev.adjoint.runtime.Tensor;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Compares a model's analytic gradient with central finite differences at a seeded random point.
 *
 * <p>The check needs an {@code f64} model: in {@code f32} the differences would measure float
 * rounding, not the gradient code. For an {@code f32} model, check its <em>f64 twin</em> (the same
 * model with {@code f32} read as {@code f64}; the compiler emits it with the generated gradient
 * test, and {@code adjoint gradcheck} compiles it in-process).
 *
 * <p>What {@link #run} does, all drawn from one {@link SeededRandom} of {@link Options#seed()}, in
 * this order:
 *
 * <ol>
 *   <li>Parameters: re-initialized with {@link AdjointModel#initParameters(long)} from the seed,
 *       then every element gets uniform noise in [-0.1, 0.1], so that zero-initialized biases are
 *       not all zero and deep stacks stay in the regime they are built for.
 *   <li>Inputs, in declaration order: symbolic dims take their size from {@link Options#dims()}
 *       (3 if absent); {@code f64} elements are uniform in [0.1, 1]; {@code i32} elements (labels)
 *       are uniform in [0, n) with n from {@link Options#classCounts()} (2 if absent).
 *   <li>One {@link AdjointModel#gradient} call gives the loss and the analytic gradients.
 *   <li>The loss at the shifted points is that of the same training step without its side
 *       effects: {@link AdjointModel#evaluate(Map, Mode)} in {@link Mode#TRAINING}, with the model's
 *       training step set back to the one the gradient used, so that {@code batch_norm} uses the
 *       batch's statistics and {@code dropout} the same masks (with a fixed mask dropout is linear,
 *       and its difference quotient exact).
 *   <li>Which elements: a model with many gradients is checked in proportion. At most {@link
 *       Options#budget()} elements in all (by default 480, and for a model with more than 100,000
 *       param elements {@code 5e7 / elements}, down to 24, since each check costs forward passes
 *       of that size): each gradient gets up to {@link Options#elements()} (all
 *       of a small tensor; else the first, the last and a sample drawn from {@code seed ^
 *       name.hashCode()}), fewer when the budget divided by the number of gradients is smaller,
 *       and at least one; when there are more gradients than the budget, a seeded sample of them
 *       (always the first and the last) is checked and the rest are {@link Result#unchecked()}.
 *   <li>Each element is compared with the central difference {@code D(h) = (L(x + h) - L(x - h)) /
 *       2h} with {@code h = step * max(1, |x|)} ({@link Options#step()}, by default {@link #STEP},
 *       about the cube root of f64's epsilon). {@code D(2h)} is computed too: {@code |D(2h) -
 *       D(h)| / 3} estimates the error of {@code D(h)} (Richardson: truncation error grows as
 *       {@code h^2}, so the difference of the two is three times it; rounding error shows up in
 *       the difference too). Relative to the element's scale, that is the achieved accuracy of
 *       the difference ({@link GradientError#accuracy()}). The relative error of an
 *       element is {@code |numeric - analytic| / max(|numeric|, |analytic|, 1e-3)}.
 *   <li>An element whose error exceeds 1e-6 is measured again, two ways, and keeps the smallest
 *       error. (a) Ridders' extrapolation: central differences from {@code h = 1e-2 * max(1, |x|)}
 *       down by halves, extrapolated to zero step (a Neville tableau in {@code h^2}); the entry
 *       with the smallest error estimate is the result. This fixes steep functions, where the
 *       truncation error at the small step is large and the rounding error of a smaller one is
 *       too (a Lennard-Jones energy of two close particles: a loss of 4e11 against gradient
 *       elements of 3e3 for a particle far from them); a step that leaves the function's domain
 *       (a non-finite difference) is skipped. (b) Plain differences at {@code h / 10} and {@code h / 100}: at a random point of
 *       a model with {@code relu}, {@code abs} or {@code max}, some pre-activation can lie within
 *       {@code h} of its kink, and the difference quotient across a kink is wrong while the
 *       analytic gradient is right. A wrong gradient is wrong at every step and in the
 *       extrapolation, so it still fails.
 *   <li>Resolution: an element whose gradient is tiny beside the loss cannot be resolved by any
 *       step: {@code 10 * eps * |L| / (1e-2 * max(1, |x|))}, relative to the element's scale, is
 *       the smallest relative error the loss's rounding lets a difference show. Where that
 *       exceeds 1e-6 and the element's error (above 1e-6) lies within it, the element is counted as {@link
 *       GradientError#unresolved()}, not in the worst error. (At a point where two particles of a
 *       Lennard-Jones energy nearly touch, the loss is 2e13 and a far particle's gradient 70: no
 *       f64 difference resolves it below 1e-2.) A gross error is larger than that and still fails.
 * </ol>
 *
 * <p>Nothing here is timed or multi-threaded: the same model and options give the same result on
 * every machine.
 */
public final class GradientCheck {
  /** Central-difference step relative to {@code max(1, |x|)}: about the cube root of f64's epsilon. */
  public static final double STEP = 6e-6;

  /**
   * Smaller steps tried, in order, for an element whose error at {@link #STEP} exceeds
   * {@link #RETRY_ABOVE}; the smallest error found is kept. Rounding error at 6e-8 is still far
   * below the default tolerance in {@code f64}.
   */
  private static final double[] RETRY_STEPS = {6e-7, 6e-8};

  /** Errors above this (far above a smooth function's, about 1e-9) are retried with smaller steps. */
  private static final double RETRY_ABOVE = 1e-6;

  /** The first step of Ridders' extrapolation, relative to {@code max(1, |x|)}. */
  private static final double RIDDERS_FIRST_STEP = 1e-2;

  /** Steps of Ridders' extrapolation: from the first, down by halves. */
  private static final int RIDDERS_STEPS = 14;

  /** Ridders' extrapolation stops when the error of its newest estimate grows past this factor. */
  private static final double RIDDERS_SAFE = 2;

  /**
   * How far above a single rounding of the loss an element's difference may be and still not be
   * resolvable: a sum of many terms rounds many times.
   */
  private static final double RESOLUTION_FACTOR = 10;

  /** Elements checked in all, over every gradient, by default (fewer for a model with many params). */
  public static final int DEFAULT_BUDGET = 480;

  /** The budget that means "the default, in proportion to the model" ({@link Options#seeded}). */
  public static final int AUTO_BUDGET = 0;

  /**
   * The default budget is at most this divided by the number of param (and input grad) elements,
   * since one forward pass costs about that much: a model with millions of params checks 24
   * elements, not 480.
   */
  static final double WORK_BUDGET = 5e7;

  /** A tolerance on the worst relative error that a correct f64 gradient meets comfortably. */
  public static final double DEFAULT_TOLERANCE = 1e-5;

  /** The size given to a symbolic dim that {@link Options#dims()} does not name. */
  public static final int DEFAULT_DIM = 3;

  /** The class count of an {@code i32} input that {@link Options#classCounts()} does not name. */
  public static final int DEFAULT_CLASSES = 2;

  /** Elements checked per gradient tensor by default. */
  public static final int DEFAULT_ELEMENTS = 24;

  /** Half-width of the uniform noise added to every parameter element. */
  static final double NOISE = 0.1;

  private GradientCheck() {}

  /**
   * How to draw the point and how much to check.
   *
   * @param seed the seed of the parameters, inputs and sampled elements
   * @param dims sizes of symbolic dims by name ({@link #DEFAULT_DIM} for others)
   * @param classCounts for {@code i32} inputs, labels are drawn in [0, count) ({@link
   *     #DEFAULT_CLASSES} for others)
   * @param elements at most this many elements are checked per gradient (positive)
   * @param budget at most this many elements are checked in all, over every gradient (positive);
   *     or {@link #AUTO_BUDGET}: {@link #DEFAULT_BUDGET}, fewer (down to {@link #DEFAULT_ELEMENTS})
   *     for a model with more than 100,000 param elements, {@code 5e7 / elements}
   * @param step the first central difference's step, relative to {@code max(1, |x|)} (positive
   *     and at most 0.1)
   */
  public record Options(
      long seed,
      Map<String, Integer> dims,
      Map<String, Integer> classCounts,
      int elements,
      int budget,
      double step) {

    /**
     * Copies the maps.
     *
     * @throws IllegalArgumentException if {@code elements}, {@code budget}, a dim size or a class
     *     count is not positive, or {@code step} is not in (0, 0.1]
     */
    public Options {
      dims = Map.copyOf(dims);
      classCounts = Map.copyOf(classCounts);
      if (elements < 1) {
        throw new IllegalArgumentException("elements must be positive, got " + elements);
      }
      if (budget < 0) {
        throw new IllegalArgumentException("budget must be positive (or AUTO_BUDGET), got " + budget);
      }
      if (!(step > 0 && step <= 0.1)) {
        throw new IllegalArgumentException("step must be in (0, 0.1], got " + step);
      }
      dims.forEach((name, size) -> requirePositive("dim " + name, size));
      classCounts.forEach((name, count) -> requirePositive("class count of " + name, count));
    }

    /** Options with the default budget and step. */
    public Options(
        long seed, Map<String, Integer> dims, Map<String, Integer> classCounts, int elements) {
      this(seed, dims, classCounts, elements, AUTO_BUDGET, STEP);
    }

    /** Defaults for everything but the seed. */
    public static Options seeded(long seed) {
      return new Options(seed, Map.of(), Map.of(), DEFAULT_ELEMENTS, AUTO_BUDGET, STEP);
    }

    /** These options with the given dim sizes. */
    public Options withDims(Map<String, Integer> sizes) {
      return new Options(seed, sizes, classCounts, elements, budget, step);
    }

    /** These options with the given class counts of {@code i32} inputs. */
    public Options withClassCounts(Map<String, Integer> counts) {
      return new Options(seed, dims, counts, elements, budget, step);
    }

    /** These options checking at most {@code count} elements per gradient. */
    public Options withElements(int count) {
      return new Options(seed, dims, classCounts, count, budget, step);
    }

    /**
     * These options checking at most {@code total} elements over all gradients ({@link
     * #AUTO_BUDGET}: in proportion to the model).
     */
    public Options withBudget(int total) {
      return new Options(seed, dims, classCounts, elements, total, step);
    }

    /** These options with the first central difference's relative step {@code h}. */
    public Options withStep(double h) {
      return new Options(seed, dims, classCounts, elements, budget, h);
    }

    private static void requirePositive(String what, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(what + " must be positive, got " + value);
      }
    }
  }

  /**
   * The check of one gradient.
   *
   * @param name the parameter or {@code input grad} it belongs to
   * @param worstRelativeError the largest relative error over the checked elements
   * @param worstElement the flat index where it occurred
   * @param analytic the model's gradient at that element
   * @param numeric the central difference at that element
   * @param checked how many elements were checked
   * @param size how many elements the gradient has
   * @param accuracy the achieved accuracy of the finite differences: the largest estimated error
   *     of a checked element's central difference, relative as the errors are; relative errors
   *     below it cannot be told from the differences' own error
   * @param unresolved checked elements whose gradient is so small beside the loss that the loss's
   *     rounding alone hides relative errors above 1e-6, and whose error is above 1e-6 but within
   *     what the rounding hides; they do not count in the worst relative error (a point where one
   *     term of the loss dwarfs the others: another seed checks them)
   * @param resolution the largest relative error the loss's rounding hides at those elements
   */
  public record GradientError(
      String name,
      double worstRelativeError,
      int worstElement,
      double analytic,
      double numeric,
      int checked,
      int size,
      double accuracy,
      int unresolved,
      double resolution) {

    /** A check in which every element was resolved. */
    public GradientError(String name, double worstRelativeError, int worstElement, double analytic,
        double numeric, int checked, int size, double accuracy) {
      this(name, worstRelativeError, worstElement, analytic, numeric, checked, size, accuracy, 0, 0);
    }

    /** Whether the worst relative error is at most {@code tolerance} (false for NaN). */
    public boolean within(double tolerance) {
      return worstRelativeError <= tolerance;
    }

    /**
     * One line for a person, e.g. {@code W1: worst relative error 3.10e-02 at element 17 (analytic
     * 0.1234, central difference 0.1200), 24 of 2048 elements checked, finite differences accurate
     * to 2.0e-10}.
     */
    public String describe() {
      return String.format(
          java.util.Locale.ROOT,
          "%s: worst relative error %.2e at element %d (analytic %.6g, central difference %.6g),"
              + " %d of %d elements checked, finite differences accurate to %.1e%s",
          name, worstRelativeError, worstElement, analytic, numeric, checked, size, accuracy,
          unresolved == 0 ? "" : String.format(java.util.Locale.ROOT, "; %d of them too small beside"
              + " the loss to resolve (to %.1e)", unresolved, resolution));
    }
  }

  /**
   * The outcome of {@link #run}.
   *
   * @param seed the seed of the point
   * @param loss the loss at the point; when it is not finite, nothing was checked
   * @param gradients one entry per checked gradient, in the model's order (empty when the loss is
   *     not finite)
   * @param unchecked the gradients left out because the model has more than {@link
   *     Options#budget()} of them, in the model's order
   */
  public record Result(long seed, double loss, List<GradientError> gradients, List<String> unchecked) {
    /** Keeps unmodifiable copies of the lists. */
    public Result {
      gradients = List.copyOf(gradients);
      unchecked = List.copyOf(unchecked);
    }

    /** A result in which every gradient was checked. */
    public Result(long seed, double loss, List<GradientError> gradients) {
      this(seed, loss, gradients, List.of());
    }

    /** The check of the gradient of {@code name}, if it was checked (see {@link #unchecked()}). */
    public java.util.Optional<GradientError> find(String name) {
      return gradients.stream().filter(g -> g.name().equals(name)).findFirst();
    }

    /** Whether the loss at the point is finite (otherwise no gradient was checked). */
    public boolean lossFinite() {
      return Double.isFinite(loss);
    }

    /** Whether the loss is finite and every gradient is within {@code tolerance}. */
    public boolean within(double tolerance) {
      return lossFinite() && gradients.stream().allMatch(g -> g.within(tolerance));
    }

    /**
     * The check of the gradient of {@code name}.
     *
     * @throws IllegalArgumentException if there is none
     */
    public GradientError gradient(String name) {
      for (GradientError g : gradients) {
        if (g.name().equals(name)) {
          return g;
        }
      }
      throw new IllegalArgumentException("no gradient " + name + " was checked");
    }
  }

  /**
   * Draws the point of {@code options.seed()} and checks every gradient of {@code model} there. The
   * model's parameters are left at the drawn point (re-initialize them to undo).
   *
   * @throws IllegalArgumentException if the model has a non-{@code f64} parameter or float input
   *     (check its f64 twin), or rejects the drawn inputs (as {@link AdjointModel#gradient} does)
   * @throws UnsupportedOperationException if the model has no loss
   */
  public static Result run(AdjointModel model, Options options) {
    Objects.requireNonNull(options, "options");
    if (!model.hasLoss()) {
      throw new UnsupportedOperationException(
          "model " + model.name() + " has no loss, so it has no gradient to check");
    }
    SeededRandom random = new SeededRandom(options.seed());
    Map<String, double[]> variables = perturbParameters(model, options.seed(), random);
    Map<String, Tensor> inputs = drawInputs(model, options, random);
    long step = model.trainingStep();
    GradientResult result = model.gradient(inputs);
    model.setTrainingStep(step);
    if (!Double.isFinite(result.loss())) {
      return new Result(options.seed(), result.loss(), List.of());
    }
    inputs.forEach(
        (name, t) -> {
          if (t instanceof DoubleTensor d) {
            variables.putIfAbsent(name, d.data());
          }
        });
    List<String> names = List.copyOf(result.gradients().keySet());
    int budget = options.budget() != AUTO_BUDGET ? options.budget() : budget(result, variables);
    Set<String> checkedNames = pickGradients(names, budget, options.seed());
    int perGradient = Math.max(1, Math.min(options.elements(), budget / Math.max(1, checkedNames.size())));
    List<GradientError> errors = new ArrayList<>();
    List<String> unchecked = new ArrayList<>();
    for (Map.Entry<String, Tensor> g : result.gradients().entrySet()) {
      double[] x = variables.get(g.getKey());
      if (x == null || !(g.getValue() instanceof DoubleTensor grad)) {
        throw new IllegalArgumentException(
            "gradient " + g.getKey() + " of " + model.name() + " is not an f64 variable's");
      }
      if (!checkedNames.contains(g.getKey())) {
        unchecked.add(g.getKey());
        continue;
      }
      int[] sample = sample(new SeededRandom(options.seed() ^ g.getKey().hashCode()), x.length,
          perGradient);
      errors.add(check(model, inputs, result.loss(), g.getKey(), x, grad.data(), sample,
          options.step()));
    }
    return new Result(options.seed(), result.loss(), errors, unchecked);
  }

  /**
   * The gradients to check: all of them, or when there are more than the budget, a sample of that
   * many drawn from the seed, the first and the last always among them.
   */
  private static Set<String> pickGradients(List<String> names, int budget, long seed) {
    if (names.size() <= budget) {
      return Set.copyOf(names);
    }
    Set<Integer> picked = new LinkedHashSet<>(budget == 1 ? List.of(0) : List.of(0, names.size() - 1));
    SeededRandom random = new SeededRandom(seed ^ 0x5EED_6AD5L);
    while (picked.size() < budget) {
      picked.add(random.nextInt(names.size()));
    }
    Set<String> out = new java.util.HashSet<>();
    picked.forEach(i -> out.add(names.get(i)));
    return out;
  }

  /**
   * The default budget for a model: {@link #DEFAULT_BUDGET}, or {@code WORK_BUDGET / n} for a model
   * with {@code n} param and input grad elements, but not below {@link #DEFAULT_ELEMENTS}.
   */
  static int budget(GradientResult result, Map<String, double[]> variables) {
    long n = 0;
    for (String name : result.gradients().keySet()) {
      double[] x = variables.get(name);
      n += x == null ? 0 : x.length;
    }
    double proportionate = WORK_BUDGET / Math.max(1, n);
    return (int) Math.max(DEFAULT_ELEMENTS, Math.min(DEFAULT_BUDGET, proportionate));
  }

  /** One element's central difference, its achieved absolute accuracy and relative error. */
  private record Estimate(double numeric, double accuracy, double error) {
    /** Whether this estimate is closer to {@code analytic} than {@code other} (NaN is worst). */
    boolean better(Estimate other) {
      return !Double.isNaN(error) && (Double.isNaN(other.error) || error < other.error);
    }
  }

  private static GradientError check(
      AdjointModel model,
      Map<String, Tensor> inputs,
      double loss,
      String name,
      double[] x,
      double[] grad,
      int[] sample,
      double step) {
    double worst = 0;
    int worstAt = -1;
    double worstNumeric = 0;
    double accuracy = 0;
    int unresolved = 0;
    double resolution = 0;
    for (int i : sample) {
      Estimate e = estimate(model, inputs, x, i, grad[i], step);
      double scale = scale(e.numeric(), grad[i]);
      accuracy = Math.max(accuracy, e.accuracy() / scale);
      // The loss's own rounding, even at the largest step tried, hides relative errors below this.
      double resolvable = RESOLUTION_FACTOR * Math.ulp(1.0) * Math.abs(loss)
          / (RIDDERS_FIRST_STEP * Math.max(1, Math.abs(x[i])) * scale);
      if (resolvable > RETRY_ABOVE && e.error() > RETRY_ABOVE && e.error() <= resolvable) {
        unresolved++;
        resolution = Math.max(resolution, resolvable);
        continue;
      }
      // A NaN error is the worst there is, and the first one stays.
      if (worstAt < 0 || e.error() > worst || Double.isNaN(e.error()) && !Double.isNaN(worst)) {
        worst = e.error();
        worstAt = i;
        worstNumeric = e.numeric();
      }
    }
    worstAt = Math.max(worstAt, 0);
    double analytic = grad.length == 0 ? 0 : grad[worstAt];
    return new GradientError(name, worst, worstAt, analytic, worstNumeric, sample.length,
        grad.length, accuracy, unresolved, resolution);
  }

  /** The best central-difference estimate of {@code d loss / d x[i]}; see the class comment. */
  private static Estimate estimate(
      AdjointModel model, Map<String, Tensor> inputs, double[] x, int i, double analytic,
      double step) {
    double h = step * Math.max(1, Math.abs(x[i]));
    double one = centralDifference(model, inputs, x, i, h);
    double two = centralDifference(model, inputs, x, i, 2 * h);
    Estimate best = new Estimate(one, Math.abs(two - one) / 3, relativeError(one, analytic));
    if (!(best.error() > RETRY_ABOVE) && !Double.isNaN(best.error())) {
      return best;
    }
    Estimate ridders = ridders(model, inputs, x, i, analytic);
    if (ridders.better(best)) {
      best = ridders;
    }
    // A kink (relu, abs, max) within h of the point bends the difference quotient; smaller
    // steps step over it. A wrong gradient stays wrong at every step.
    double previous = one;
    for (int k = 0; k < RETRY_STEPS.length && best.error() > RETRY_ABOVE; k++) {
      double retry = centralDifference(model, inputs, x, i, RETRY_STEPS[k] / step * h);
      Estimate e = new Estimate(retry, Math.abs(retry - previous), relativeError(retry, analytic));
      if (e.better(best)) {
        best = e;
      }
      previous = retry;
    }
    return best;
  }

  /**
   * Ridders' method (Numerical Recipes' {@code dfridr}, with steps halved): central differences
   * at steps {@code h, h/2, h/4, ...} extrapolated to step 0 in a Neville tableau; the estimate
   * with the smallest error estimate wins, and the search stops once the error grows again.
   */
  private static Estimate ridders(
      AdjointModel model, Map<String, Tensor> inputs, double[] x, int i, double analytic) {
    double h = RIDDERS_FIRST_STEP * Math.max(1, Math.abs(x[i]));
    double[][] a = new double[RIDDERS_STEPS][RIDDERS_STEPS];
    double bestValue = Double.NaN;
    double bestError = Double.POSITIVE_INFINITY;
    for (int k = 0; k < RIDDERS_STEPS; k++, h /= 2) {
      a[k][0] = centralDifference(model, inputs, x, i, h);
      double factor = 1;
      for (int j = 1; j <= k; j++) {
        factor *= 4;
        a[k][j] = (factor * a[k][j - 1] - a[k - 1][j - 1]) / (factor - 1);
        double error = Math.max(Math.abs(a[k][j] - a[k][j - 1]), Math.abs(a[k][j] - a[k - 1][j - 1]));
        if (error < bestError) { // false for NaN: a step that left the function's domain is skipped
          bestError = error;
          bestValue = a[k][j];
        }
      }
      if (k > 0 && Math.abs(a[k][k] - a[k - 1][k - 1]) >= RIDDERS_SAFE * bestError) {
        break; // the higher orders diverge: rounding error has taken over
      }
    }
    return new Estimate(bestValue, bestError, relativeError(bestValue, analytic));
  }

  /** Re-initializes the parameters and adds noise; the parameters' live data by name. */
  private static Map<String, double[]> perturbParameters(
      AdjointModel model, long seed, SeededRandom random) {
    model.initParameters(seed);
    Map<String, double[]> data = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> p : model.parameters().entrySet()) {
      if (!(p.getValue() instanceof DoubleTensor t)) {
        throw new IllegalArgumentException(
            "parameter " + p.getKey() + " of " + model.name() + " is "
                + p.getValue().elementType() + ", not f64: check the model's f64 twin");
      }
      double[] d = t.data();
      for (int i = 0; i < d.length; i++) {
        d[i] += NOISE * (random.nextDouble() * 2 - 1);
      }
      data.put(p.getKey(), d);
    }
    return data;
  }

  /** Random inputs in declaration order: f64 uniform in [0.1, 1], i32 labels in range. */
  private static Map<String, Tensor> drawInputs(
      AdjointModel model, Options options, SeededRandom random) {
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    for (InputSpec s : model.inputs()) {
      int[] shape = new int[s.rank()];
      for (int i = 0; i < shape.length; i++) {
        shape[i] = size(s, s.dims().get(i), options);
      }
      if (s.elementType() == ElementType.I32) {
        int n = options.classCounts().getOrDefault(s.name(), DEFAULT_CLASSES);
        IntTensor t = IntTensor.zeros(shape);
        for (int i = 0; i < t.data().length; i++) {
          t.data()[i] = random.nextInt(n);
        }
        inputs.put(s.name(), t);
      } else if (s.elementType() == ElementType.F64) {
        DoubleTensor t = DoubleTensor.zeros(shape);
        for (int i = 0; i < t.data().length; i++) {
          t.data()[i] = 0.1 + 0.9 * random.nextDouble();
        }
        inputs.put(s.name(), t);
      } else {
        throw new IllegalArgumentException(
            "input " + s.name() + " of " + model.name() + " is " + s.elementType()
                + ", not f64: check the model's f64 twin");
      }
    }
    return inputs;
  }

  /** The size of a declared dimension at the checked point. */
  private static int size(InputSpec s, Dim d, Options options) {
    if (d instanceof Dim.Fixed f) {
      return f.size();
    }
    if (d instanceof Dim.Named n) {
      return options.dims().getOrDefault(n.name(), DEFAULT_DIM);
    }
    Dim.Product p = (Dim.Product) d;
    long size = p.coefficient();
    for (String name : p.names()) {
      size *= options.dims().getOrDefault(name, DEFAULT_DIM);
      if (size > Integer.MAX_VALUE) {
        throw new IllegalArgumentException("input " + s.name() + " : " + s.declared()
            + ": dimension " + p + " is larger than 2^31-1 at the checked dims");
      }
    }
    return (int) size;
  }

  /** {@code |numeric - analytic| / max(|numeric|, |analytic|, 1e-3)}. */
  private static double relativeError(double numeric, double analytic) {
    return Math.abs(numeric - analytic) / scale(numeric, analytic);
  }

  /** The scale that makes errors relative: {@code max(|numeric|, |analytic|, 1e-3)}. */
  private static double scale(double numeric, double analytic) {
    return Math.max(Math.max(Math.abs(numeric), Math.abs(analytic)), 1e-3);
  }

  /** {@code (L(x + h) - L(x - h)) / 2h}, {@code x} being a parameter's or input's live data. */
  private static double centralDifference(
      AdjointModel model, Map<String, Tensor> inputs, double[] x, int i, double h) {
    double saved = x[i];
    x[i] = saved + h;
    double up = model.evaluate(inputs, Mode.TRAINING).loss();
    x[i] = saved - h;
    double down = model.evaluate(inputs, Mode.TRAINING).loss();
    x[i] = saved;
    return (up - down) / (2 * h);
  }

  /** Up to {@code elements} distinct indices, first and last included, the rest from the seed. */
  private static int[] sample(SeededRandom random, int n, int elements) {
    if (n <= elements) {
      int[] all = new int[n];
      for (int i = 0; i < n; i++) {
        all[i] = i;
      }
      return all;
    }
    Set<Integer> picked = new LinkedHashSet<>();
    picked.add(0);
    if (elements > 1) {
      picked.add(n - 1);
    }
    while (picked.size() < elements) {
      picked.add(random.nextInt(n));
    }
    return picked.stream().mapToInt(Integer::intValue).toArray();
  }
}
