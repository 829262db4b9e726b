package dev.adjoint.runtime.train;

import java.util.Locale;

/** Number formatting for messages: short, locale-independent. */
final class Formats {
  private Formats() {}

  /** Up to 3 significant digits without trailing zeros: {@code 0.1}, {@code 1e-04}, {@code 250}. */
  static String number(double x) {
    if (!Double.isFinite(x)) {
      return Double.toString(x);
    }
    String s = String.format(Locale.ROOT, "%.3g", x);
    int e = s.indexOf('e');
    String mantissa = e < 0 ? s : s.substring(0, e);
    String exponent = e < 0 ? "" : s.substring(e);
    if (mantissa.contains(".")) {
      mantissa = mantissa.replaceAll("0+$", "").replaceAll("\\.$", "");
    }
    return mantissa + exponent;
  }
}
