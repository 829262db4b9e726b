package dev.adjoint.compiler.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {

    @Test
    void readsEveryKindOfValueInOrder() {
        Object v = Json.parse(" {\"dims\": {\"B\": 2}, \"x\": [[0.5, -1e-3], [2, 3E+2]], \"s\": \"a\\\"\\u00e9\\n\","
                + " \"t\": true, \"f\": false, \"n\": null} ");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of("dims", "x", "s", "t", "f", "n"), List.copyOf(m.keySet()));
        assertEquals(Map.of("B", 2.0), m.get("dims"));
        assertEquals(List.of(List.of(0.5, -1e-3), List.of(2.0, 300.0)), m.get("x"));
        assertEquals("a\"\u00e9\n", m.get("s"));
        assertEquals(true, m.get("t"));
        assertEquals(false, m.get("f"));
        assertNull(m.get("n"));
        assertEquals(List.of(), Json.parse("[]"));
        assertEquals(-0.0, Json.parse("-0"));
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
        assertError("[1] 2", 1, 5, "after the value");
        assertError("[".repeat(300), 1, 258, "nested more than 256 levels");
    }

    private static void assertError(String text, int line, int col, String words) {
        JsonException e = assertThrows(JsonException.class, () -> Json.parse(text));
        assertEquals(line + ":" + col, e.line() + ":" + e.column(), e.getMessage());
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains(words), e.getMessage());
    }
}
