package dev.adjoint.runtime.check;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.Dim;
import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.ElementType;
import dev.adjoint.runtime.GradientResult;
import dev.adjoint.runtime.InputSpec;
import dev.adjoint.runtime.IntTensor;
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
 *   <li>For each gradient, up to {@link Options#elements()} elements (all of a small tensor; else
 *       the first, the last and a sample drawn from {@code seed ^ name.hashCode()}) are checked
 *       against {@code (L(x + h) - L(x - h)) / 2h} with {@code h = 6e-6 * max(1, |x|)}, the step
 *       that balances truncation and rounding error in {@code f64}. The relative error of an
 *       element is {@code |numeric - analytic| / max(|numeric|, |analytic|, 1e-3)}. An element
 *       whose error exceeds 1e-6 is measured again with steps {@code h / 10} and {@code h / 100}
 *       and keeps the smallest error: at a random point of a model with {@code relu}, {@code abs}
 *       or {@code max}, some pre-activation can lie within {@code h} of its kink, and the
 *       difference quotient across a kink is wrong while the analytic gradient is right. A wrong
 *       gradient is wrong at every step, so it still fails.
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
   */
  public record Options(
      long seed, Map<String, Integer> dims, Map<String, Integer> classCounts, int elements) {

    /**
     * Copies the maps.
     *
     * @throws IllegalArgumentException if {@code elements}, a dim size or a class count is not
     *     positive
     */
    public Options {
      dims = Map.copyOf(dims);
      classCounts = Map.copyOf(classCounts);
      if (elements < 1) {
        throw new IllegalArgumentException("elements must be positive, got " + elements);
      }
      dims.forEach((name, size) -> requirePositive("dim " + name, size));
      classCounts.forEach((name, count) -> requirePositive("class count of " + name, count));
    }

    /** Defaults for everything but the seed. */
    public static Options seeded(long seed) {
      return new Options(seed, Map.of(), Map.of(), DEFAULT_ELEMENTS);
    }

    /** These options with the given dim sizes. */
    public Options withDims(Map<String, Integer> sizes) {
      return new Options(seed, sizes, classCounts, elements);
    }

    /** These options with the given class counts of {@code i32} inputs. */
    public Options withClassCounts(Map<String, Integer> counts) {
      return new Options(seed, dims, counts, elements);
    }

    /** These options checking at most {@code count} elements per gradient. */
    public Options withElements(int count) {
      return new Options(seed, dims, classCounts, count);
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
   */
  public record GradientError(
      String name,
      double worstRelativeError,
      int worstElement,
      double analytic,
      double numeric,
      int checked,
      int size) {

    /** Whether the worst relative error is at most {@code tolerance} (false for NaN). */
    public boolean within(double tolerance) {
      return worstRelativeError <= tolerance;
    }

    /**
     * One line for a person, e.g. {@code W1: worst relative error 3.10e-02 at element 17 (analytic
     * 0.1234, central difference 0.1200), 24 of 2048 elements checked}.
     */
    public String describe() {
      return String.format(
          "%s: worst relative error %.2e at element %d (analytic %.6g, central difference %.6g),"
              + " %d of %d elements checked",
          name, worstRelativeError, worstElement, analytic, numeric, checked, size);
    }
  }

  /**
   * The outcome of {@link #run}.
   *
   * @param seed the seed of the point
   * @param loss the loss at the point; when it is not finite, nothing was checked
   * @param gradients one entry per gradient of the model, in the model's order (empty when the
   *     loss is not finite)
   */
  public record Result(long seed, double loss, List<GradientError> gradients) {
    /** Keeps an unmodifiable copy of {@code gradients}. */
    public Result {
      gradients = List.copyOf(gradients);
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
    GradientResult result = model.gradient(inputs);
    if (!Double.isFinite(result.loss())) {
      return new Result(options.seed(), result.loss(), List.of());
    }
    inputs.forEach(
        (name, t) -> {
          if (t instanceof DoubleTensor d) {
            variables.putIfAbsent(name, d.data());
          }
        });
    List<GradientError> errors = new ArrayList<>();
    for (Map.Entry<String, Tensor> g : result.gradients().entrySet()) {
      double[] x = variables.get(g.getKey());
      if (x == null || !(g.getValue() instanceof DoubleTensor grad)) {
        throw new IllegalArgumentException(
            "gradient " + g.getKey() + " of " + model.name() + " is not an f64 variable's");
      }
      int[] sample = sample(new SeededRandom(options.seed() ^ g.getKey().hashCode()), x.length,
          options.elements());
      errors.add(check(model, inputs, g.getKey(), x, grad.data(), sample));
    }
    return new Result(options.seed(), result.loss(), errors);
  }

  private static GradientError check(
      AdjointModel model,
      Map<String, Tensor> inputs,
      String name,
      double[] x,
      double[] grad,
      int[] sample) {
    double worst = 0;
    int worstAt = -1;
    double worstNumeric = 0;
    for (int i : sample) {
      double numeric = centralDifference(model, inputs, x, i, STEP);
      double error = relativeError(numeric, grad[i]);
      // A kink (relu, abs, max) within h of the point bends the difference quotient; smaller
      // steps step over it. A wrong gradient stays wrong at every step.
      for (int k = 0; k < RETRY_STEPS.length && error > RETRY_ABOVE; k++) {
        double retry = centralDifference(model, inputs, x, i, RETRY_STEPS[k]);
        double retryError = relativeError(retry, grad[i]);
        if (retryError < error) {
          numeric = retry;
          error = retryError;
        }
      }
      // A NaN error is the worst there is, and the first one stays.
      if (worstAt < 0 || error > worst || Double.isNaN(error) && !Double.isNaN(worst)) {
        worst = error;
        worstAt = i;
        worstNumeric = numeric;
      }
    }
    worstAt = Math.max(worstAt, 0);
    double analytic = grad.length == 0 ? 0 : grad[worstAt];
    return new GradientError(name, worst, worstAt, analytic, worstNumeric, sample.length,
        grad.length);
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
    double scale = Math.max(Math.max(Math.abs(numeric), Math.abs(analytic)), 1e-3);
    return Math.abs(numeric - analytic) / scale;
  }

  /** d loss / d x[i] by central differences, {@code x} being a parameter's or input's live data. */
  private static double centralDifference(
      AdjointModel model, Map<String, Tensor> inputs, double[] x, int i, double step) {
    double saved = x[i];
    double h = step * Math.max(1, Math.abs(saved));
    x[i] = saved + h;
    double up = model.forward(inputs).loss().orElseThrow();
    x[i] = saved - h;
    double down = model.forward(inputs).loss().orElseThrow();
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
    picked.add(n - 1);
    while (picked.size() < elements) {
      picked.add(random.nextInt(n));
    }
    return picked.stream().mapToInt(Integer::intValue).toArray();
  }
}
