package dev.adjoint.runtime.io;

import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Per-feature standardization, as scikit-learn's {@code StandardScaler}: {@code (x - mean) / std}
 * with the mean and the population standard deviation of the training rows; a feature that is
 * constant there gets a std of 1 (it is only centred).
 *
 * <p>The statistics travel with the trained params: {@link #toMetadata()} gives the entries a
 * safetensors {@code __metadata__} holds ({@code standardize} = the input name,
 * {@code standardize.mean} and {@code standardize.std} = comma-separated numbers, each
 * {@link Double#toString} so it reads back exactly), and {@link #fromMetadata} reads them back, so
 * whatever predicts with the params can standardize its rows the same way.
 *
 * <pre>{@code
 * Standardization s = Standardization.fit("x", split.train());
 * CsvData train = s.apply(split.train());
 * CsvData heldOut = s.apply(split.heldOut());
 * Safetensors.write(path, model.parameters(), s.toMetadata());
 * }</pre>
 *
 * @param input the model input the standardized features go to
 * @param mean the mean of each feature over the training rows
 * @param std the standard deviation of each feature (population, {@code ddof = 0}), 1 where it is 0
 */
public record Standardization(String input, double[] mean, double[] std) {
  /** The metadata key of the input name. */
  public static final String KEY = "standardize";

  /** Copies the arrays; checks they have one entry per feature and a positive finite std. */
  public Standardization {
    Objects.requireNonNull(input, "input");
    mean = mean.clone();
    std = std.clone();
    if (mean.length != std.length) {
      throw new IllegalArgumentException("standardization: " + mean.length + " means but "
          + std.length + " standard deviations");
    }
    for (int i = 0; i < std.length; i++) {
      if (!(std[i] > 0) || !Double.isFinite(std[i]) || !Double.isFinite(mean[i])) {
        throw new IllegalArgumentException("standardization: feature " + (i + 1) + " has mean "
            + mean[i] + " and std " + std[i] + "; the std must be finite and above 0");
      }
    }
  }

  /** The statistics of the features of {@code train}, accumulated in double. */
  public static Standardization fit(String input, CsvData train) {
    int rows = train.rows();
    int f = train.featureCount();
    if (rows == 0) {
      throw new IllegalArgumentException("cannot standardize without training rows");
    }
    Tensor x = train.features();
    double[] mean = new double[f];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < f; j++) {
        mean[j] += x.getAsDouble(r * f + j);
      }
    }
    for (int j = 0; j < f; j++) {
      mean[j] /= rows;
    }
    double[] std = new double[f];
    for (int r = 0; r < rows; r++) {
      for (int j = 0; j < f; j++) {
        double d = x.getAsDouble(r * f + j) - mean[j];
        std[j] += d * d;
      }
    }
    for (int j = 0; j < f; j++) {
      std[j] = Math.sqrt(std[j] / rows);
      if (std[j] == 0) {
        std[j] = 1;
      }
    }
    return new Standardization(input, mean, std);
  }

  /** A copy of the means. */
  @Override
  public double[] mean() {
    return mean.clone();
  }

  /** A copy of the standard deviations. */
  @Override
  public double[] std() {
    return std.clone();
  }

  /** The number of features. */
  public int featureCount() {
    return mean.length;
  }

  /**
   * A copy of {@code data} with standardized features, in their element type; targets unchanged.
   *
   * @throws IllegalArgumentException if the feature count differs
   */
  public CsvData apply(CsvData data) {
    int f = data.featureCount();
    if (f != mean.length) {
      throw new IllegalArgumentException("standardization of input " + input + " has "
          + mean.length + " features, the data " + f);
    }
    Tensor x = data.features();
    if (x instanceof FloatTensor ft) {
      float[] in = ft.data();
      float[] out = new float[in.length];
      for (int i = 0; i < in.length; i++) {
        out[i] = (float) ((in[i] - mean[i % f]) / std[i % f]);
      }
      return data.withFeatures(FloatTensor.wrap(out, ft.shape()));
    }
    double[] in = ((DoubleTensor) x).data();
    double[] out = new double[in.length];
    for (int i = 0; i < in.length; i++) {
      out[i] = (in[i] - mean[i % f]) / std[i % f];
    }
    return data.withFeatures(DoubleTensor.wrap(out, x.shape()));
  }

  /** The safetensors metadata entries described in the class comment, in a fixed order. */
  public Map<String, String> toMetadata() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put(KEY, input);
    m.put(KEY + ".mean", join(mean));
    m.put(KEY + ".std", join(std));
    return m;
  }

  /**
   * The standardization recorded in {@code metadata}, or null if it records none.
   *
   * @throws IllegalArgumentException if the entries are incomplete or malformed
   */
  public static Standardization fromMetadata(Map<String, String> metadata) {
    String input = metadata.get(KEY);
    if (input == null) {
      return null;
    }
    double[] mean = parse(metadata, KEY + ".mean");
    double[] std = parse(metadata, KEY + ".std");
    return new Standardization(input, mean, std);
  }

  private static String join(double[] values) {
    StringBuilder sb = new StringBuilder();
    for (double v : values) {
      sb.append(sb.length() == 0 ? "" : ",").append(Double.toString(v));
    }
    return sb.toString();
  }

  private static double[] parse(Map<String, String> metadata, String key) {
    String text = metadata.get(key);
    if (text == null) {
      throw new IllegalArgumentException("metadata has " + KEY + " but no " + key);
    }
    if (text.isBlank()) {
      return new double[0];
    }
    String[] parts = text.split(",", -1);
    double[] values = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      String p = parts[i].strip();
      if (!CsvParser.isDecimal(p) && !p.matches("-?Infinity|NaN")) {
        throw new IllegalArgumentException("metadata " + key + ": '" + p + "' is not a number");
      }
      values[i] = Double.parseDouble(p);
    }
    return values;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Standardization s && input.equals(s.input)
        && Arrays.equals(mean, s.mean) && Arrays.equals(std, s.std);
  }

  @Override
  public int hashCode() {
    return Objects.hash(input, Arrays.hashCode(mean), Arrays.hashCode(std));
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "Standardization[%s, %d features]", input, mean.length);
  }
}
