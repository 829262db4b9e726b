package dev.adjoint.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

  @Test
  void parsesValues() throws Json.SyntaxException {
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("b", List.of(1L, -2L, 0.5, 1e3));
    expected.put("a", "x\"\\/\b\f\n\r\t\u00e9\ud83d\ude00");
    expected.put("t", true);
    expected.put("f", false);
    expected.put("n", null);
    expected.put("o", Map.of());
    assertEquals(expected, Json.parse(
        " {\"b\":[1,-2,0.5,1E3],\"a\":\"x\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00\",\"t\":true,"
            + "\"f\":false,\"n\":null,\"o\":{}}  "));
  }

  @Test
  void rejectsWhatRfc8259Rejects() {
    for (String bad : new String[] {"", "{", "{\"a\"}", "{\"a\":1,}", "[1,]", "01", "1.", ".5", "-", "+1",
        "1e", "\"\\x\"", "\"a\nb\"", "'a'", "{a:1}", "nul", "[1] 2", "\"\\u12\"", "NaN", "{\"a\":1 \"b\":2}",
        "99999999999999999999"}) {
      assertThrows(Json.SyntaxException.class, () -> Json.parse(bad), bad);
    }
    Json.SyntaxException e = assertThrows(Json.SyntaxException.class, () -> Json.parse("{\"k\":1,\"k\":2}"));
    assertTrue(e.getMessage().contains("duplicate key \"k\""), e.getMessage());
  }

  @Test
  void limitsNesting() {
    char[] deep = new char[10_000];
    Arrays.fill(deep, '[');
    Json.SyntaxException e = assertThrows(Json.SyntaxException.class, () -> Json.parse(new String(deep)));
    assertTrue(e.getMessage().contains("nesting deeper than 64"), e.getMessage());
    assertError("[".repeat(300), 1, 65, "nesting deeper than 64 levels");
  }

  @Test
  void readsEveryKindOfValueInOrder() throws Json.SyntaxException {
    Object v = Json.parse(" {\"dims\": {\"B\": 2}, \"x\": [[0.5, -1e-3], [2, 3E+2]], \"s\": \"a\\\"\\u00e9\\n\","
        + " \"t\": true, \"f\": false, \"n\": null} ");
    Map<?, ?> m = (Map<?, ?>) v;
    assertEquals(List.of("dims", "x", "s", "t", "f", "n"), List.copyOf(m.keySet()));
    assertEquals(Map.of("B", 2L), m.get("dims"));
    assertEquals(List.of(List.of(0.5, -1e-3), List.of(2L, 300.0)), m.get("x"));
    assertEquals("a\"\u00e9\n", m.get("s"));
    assertEquals(true, m.get("t"));
    assertEquals(false, m.get("f"));
    assertNull(m.get("n"));
    assertEquals(List.of(), Json.parse("[]"));
    assertEquals(0L, Json.parse("-0"));
    assertEquals(-0.0, Json.parse("-0.0"));
  }

  @Test
  void rejectsMalformedInputWithPosition() {
    assertError("{\"a\": 1,}", 1, 9, "expected a string key");
    assertError("{\"a\": 1, \"a\": 2}", 1, 10, "duplicate key \"a\"");
    assertError("[1, 2", 1, 6, "unexpected end of input; expected ']'");
    assertError("[01]", 1, 3, "expected ']'");
    assertError("[1.]", 1, 4, "digits expected after '.'");
    assertError("{\n  \"x\": NaN\n}", 2, 8, "unexpected 'N'");
    assertError("\"abc", 1, 5, "unterminated string");
    assertError("[1] 2", 1, 5, "after the JSON value");
  }

  @Test
  void refusesNumbersThatWouldLoseTheirValue() {
    // 1e999 would silently become infinity (and a NaN loss); the literals are not JSON at all
    assertError("[1, 1e999]", 1, 5, "the number 1e999 is too large for a double");
    assertError("[-1E400]", 1, 2, "the number -1E400 is too large");
    assertError("{\"x\": Infinity}", 1, 7, "JSON has no NaN or infinite numbers");
    assertError("[-Infinity]", 1, 3, "JSON has no NaN or infinite numbers");
    assertError("[NaN]", 1, 2, "JSON has no NaN or infinite numbers");
    assertError("[99999999999999999999]", 1, 2, "the integer 99999999999999999999 does not fit in 64 bits");
  }

  @Test
  void controlCharactersInMessagesAreEscaped() {
    assertError("[\u001b[31m]", 1, 2, "unexpected '\\u001b'");
    assertError("{\"a\\u0007\": 1, \"a\\u0007\": 2}", 1, 16, "duplicate key \"a\\u0007\"");
    assertError("[\"a\u0001\"]", 1, 4, "control character '\\u0001' in a string");
  }

  private static void assertError(String text, int line, int column, String words) {
    Json.SyntaxException e = assertThrows(Json.SyntaxException.class, () -> Json.parse(text));
    assertEquals(line + ":" + column, e.line() + ":" + e.column(), e.getMessage());
    assertTrue(e.getMessage().contains(words), e.getMessage());
    assertTrue(e.getMessage().chars().noneMatch(c -> c < 0x20), "no raw control character: " + e.getMessage());
  }

  @Test
  void writesStringsThatParseBack() throws Json.SyntaxException {
    String s = "q\" b\\ \n\t \u0001 \u001f é ✓ \ud83d\ude00";
    StringBuilder out = new StringBuilder();
    Json.writeString(out, s);
    assertEquals("\"q\\\" b\\\\ \\n\\t \\u0001 \\u001f é ✓ \ud83d\ude00\"", out.toString());
    assertEquals(s, Json.parse(out.toString()));
  }
}
