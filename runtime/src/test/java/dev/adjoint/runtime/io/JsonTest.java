package dev.adjoint.runtime.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
