package dev.adjoint.runtime.io;

/**
 * Text from a file, made safe to print in a message: control characters (which could move the
 * cursor, clear a terminal or hide text), bidirectional overrides and line separators are written
 * as {@code \}{@code uXXXX} escapes, so a message shows what the file holds, visibly.
 */
public final class Printable {
  private Printable() {}

  /** {@code s} with every character that is not safe to print escaped. */
  public static String escape(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (isUnsafe(c)) {
        if (out == null) {
          out = new StringBuilder(s.length() + 16).append(s, 0, i);
        }
        out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
      } else if (out != null) {
        out.append(c);
      }
    }
    return out == null ? s : out.toString();
  }

  /**
   * Whether {@code c} is a control character (C0, DEL, C1), a line or paragraph separator, a
   * bidirectional embedding, override or isolate, or a byte order mark.
   */
  public static boolean isUnsafe(char c) {
    return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == '\u2028' || c == '\u2029'
        || (c >= '\u202a' && c <= '\u202e') || (c >= '\u2066' && c <= '\u2069') || c == '\u200e'
        || c == '\u200f' || c == '\ufeff';
  }
}
