package dev.adjoint.runtime.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small, strict JSON (RFC 8259) reader and a string writer: the one JSON reader of Adjoint (the
 * safetensors header, {@code adjoint grad --values}, test fixtures).
 *
 * <p>Values come back as {@code LinkedHashMap<String, Object>} (key order kept, duplicate keys
 * rejected), {@code List<Object>}, {@code String}, {@code Long} (integers), {@code Double}
 * (numbers with a fraction or exponent), {@code Boolean} and {@code null}. Stricter than the RFC
 * requires, on purpose: an integer that does not fit in 64 bits and a number too large for a
 * double ({@code 1e999}, which would silently become infinity) are errors. Nesting is limited to
 * {@value #MAX_DEPTH} levels so that hostile input cannot overflow the stack. Every error is a
 * {@link SyntaxException} with the 1-based line and column where reading stopped; characters of
 * the input shown in a message are {@linkplain Printable escaped}.
 */
public final class Json {
  /** The deepest nesting accepted (a tensor of rank 62 in an object in an object). */
  public static final int MAX_DEPTH = 64;

  /** Malformed JSON: the message reads {@code line:column: problem}. */
  public static final class SyntaxException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int line;
    private final int column;
    private final String problem;

    SyntaxException(int line, int column, String problem) {
      super(line + ":" + column + ": " + problem, null, false, false);
      this.line = line;
      this.column = column;
      this.problem = problem;
    }

    /** The 1-based line where reading stopped. */
    public int line() {
      return line;
    }

    /** The 1-based column (in characters) where reading stopped. */
    public int column() {
      return column;
    }

    /** The message without the place. */
    public String problem() {
      return problem;
    }
  }

  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /**
   * Parses one JSON value; only whitespace may surround it.
   *
   * @throws SyntaxException at the first place the text is not JSON, or is JSON this reader
   *     refuses (see the class comment)
   */
  public static Object parse(String text) throws SyntaxException {
    Json p = new Json(text);
    p.skipWhitespace();
    Object value = p.value(0);
    p.skipWhitespace();
    if (p.pos != text.length()) {
      throw p.error("unexpected " + p.shown() + " after the JSON value");
    }
    return value;
  }

  /** Appends {@code s} as a JSON string literal: quotes, backslashes and control characters escaped. */
  public static void writeString(StringBuilder out, String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private Object value(int depth) throws SyntaxException {
    if (depth >= MAX_DEPTH) {
      throw error("nesting deeper than " + MAX_DEPTH + " levels");
    }
    if (pos >= text.length()) {
      throw error("unexpected end of input");
    }
    char c = text.charAt(pos);
    if (c == '{') {
      return object(depth);
    } else if (c == '[') {
      return array(depth);
    } else if (c == '"') {
      return string();
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      return number();
    } else if (text.startsWith("true", pos)) {
      pos += 4;
      return Boolean.TRUE;
    } else if (text.startsWith("false", pos)) {
      pos += 5;
      return Boolean.FALSE;
    } else if (text.startsWith("null", pos)) {
      pos += 4;
      return null;
    }
    throw error("unexpected " + shown() + (text.startsWith("NaN", pos) || text.startsWith("Infinity", pos)
        ? ": JSON has no NaN or infinite numbers" : ""));
  }

  private Map<String, Object> object(int depth) throws SyntaxException {
    Map<String, Object> map = new LinkedHashMap<>();
    pos++; // '{'
    skipWhitespace();
    if (peek() == '}') {
      pos++;
      return map;
    }
    while (true) {
      skipWhitespace();
      if (peek() != '"') {
        throw error("expected a string key");
      }
      int keyOffset = pos;
      String key = string();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      Object v = value(depth + 1);
      if (map.containsKey(key)) {
        pos = keyOffset;
        throw error("duplicate key \"" + Printable.escape(key) + "\"");
      }
      map.put(key, v);
      skipWhitespace();
      if (peek() == ',') {
        pos++;
      } else {
        expect('}');
        return map;
      }
    }
  }

  private List<Object> array(int depth) throws SyntaxException {
    List<Object> list = new ArrayList<>();
    pos++; // '['
    skipWhitespace();
    if (peek() == ']') {
      pos++;
      return list;
    }
    while (true) {
      skipWhitespace();
      list.add(value(depth + 1));
      skipWhitespace();
      if (peek() == ',') {
        pos++;
      } else {
        expect(']');
        return list;
      }
    }
  }

  private String string() throws SyntaxException {
    pos++; // opening quote
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return sb.toString();
      } else if (c < 0x20) {
        pos--;
        throw error("control character " + shown() + " in a string (write it as an escape)");
      } else if (c != '\\') {
        sb.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"' -> sb.append('"');
        case '\\' -> sb.append('\\');
        case '/' -> sb.append('/');
        case 'b' -> sb.append('\b');
        case 'f' -> sb.append('\f');
        case 'n' -> sb.append('\n');
        case 'r' -> sb.append('\r');
        case 't' -> sb.append('\t');
        case 'u' -> sb.append(unicodeEscape());
        default -> {
          pos--;
          throw error("invalid escape '\\" + Printable.escape(String.valueOf(e)) + "'");
        }
      }
    }
  }

  private char unicodeEscape() throws SyntaxException {
    if (pos + 4 > text.length()) {
      throw error("truncated \\u escape");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(text.charAt(pos + i), 16);
      if (d < 0) {
        throw error("invalid \\u escape");
      }
      v = v * 16 + d;
    }
    pos += 4;
    return (char) v;
  }

  /** RFC 8259 number grammar: {@code -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?}. */
  private Object number() throws SyntaxException {
    int start = pos;
    if (peek() == '-') {
      pos++;
    }
    if (peek() == '0') {
      pos++;
    } else if (isDigit(peek())) {
      digits();
    } else {
      throw error(text.startsWith("Infinity", pos) ? "JSON has no NaN or infinite numbers"
          : "invalid number: a digit must follow '-'");
    }
    boolean integer = true;
    if (peek() == '.') {
      pos++;
      integer = false;
      if (!isDigit(peek())) {
        throw error("invalid number: digits expected after '.'");
      }
      digits();
    }
    if (peek() == 'e' || peek() == 'E') {
      pos++;
      integer = false;
      if (peek() == '+' || peek() == '-') {
        pos++;
      }
      if (!isDigit(peek())) {
        throw error("invalid number: digits expected in the exponent");
      }
      digits();
    }
    String literal = text.substring(start, pos);
    if (!integer) {
      double d = Double.parseDouble(literal);
      if (Double.isInfinite(d)) {
        pos = start;
        throw error("the number " + abbreviate(literal) + " is too large for a double (at most 1.8e308)");
      }
      return d;
    }
    try {
      return Long.parseLong(literal);
    } catch (NumberFormatException e) {
      pos = start;
      throw error("the integer " + abbreviate(literal) + " does not fit in 64 bits");
    }
  }

  private static String abbreviate(String literal) {
    return literal.length() <= 40 ? literal : literal.substring(0, 40) + "... (" + literal.length() + " characters)";
  }

  private void digits() {
    while (isDigit(peek())) {
      pos++;
    }
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  /** The next character, or -1 at the end. */
  private int peek() {
    return pos < text.length() ? text.charAt(pos) : -1;
  }

  /** The next character as a message shows it: {@code 'x'}, escaped if need be. */
  private String shown() {
    return "'" + Printable.escape(String.valueOf(text.charAt(pos))) + "'";
  }

  private void expect(char c) throws SyntaxException {
    if (peek() != c) {
      throw error(pos < text.length() ? "expected '" + c + "', got " + shown()
          : "unexpected end of input; expected '" + c + "'");
    }
    pos++;
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private SyntaxException error(String message) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < pos && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return new SyntaxException(line, pos - lineStart + 1, message);
  }
}
