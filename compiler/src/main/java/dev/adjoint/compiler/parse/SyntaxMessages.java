package dev.adjoint.compiler.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.antlr.v4.runtime.Token;

/** Shortens ANTLR's messages: token-set dumps become a plain "unexpected X" with a hint when it helps. */
final class SyntaxMessages {
    private static final Pattern MISSING = Pattern.compile("^missing (.*) at .*$");
    private static final Pattern EXPECTING = Pattern.compile("^.*? expecting (.*)$");
    private static final Pattern SET = Pattern.compile("\\{(.*)}");
    /** One token of an ANTLR token set: a quoted literal (which may be ',' itself), EOF or a token name. */
    private static final Pattern TOKEN = Pattern.compile("'(?:[^'\\\\]|\\\\.)*'|<EOF>|[A-Za-z_]+");
    /** Sets larger than this are not listed: "expected one of 23 tokens" helps nobody. */
    private static final int MAX_LISTED = 4;

    private SyntaxMessages() {
    }

    /** The expected tokens of an ANTLR message, in words ("']' or ','"), when there are few; else null. */
    static String expected(String msg) {
        Matcher m = MISSING.matcher(msg);
        if (!m.matches()) {
            m = EXPECTING.matcher(msg);
            if (!m.matches()) {
                return null;
            }
        }
        String tokens = m.group(1);
        Matcher set = SET.matcher(tokens);
        List<String> words = new ArrayList<>();
        Matcher t = TOKEN.matcher(set.matches() ? set.group(1) : tokens);
        while (t.find()) {
            words.add(word(t.group()));
        }
        if (words.isEmpty() || words.size() > MAX_LISTED) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < words.size(); i++) {
            out.append(i == 0 ? "" : i == words.size() - 1 ? " or " : ", ").append(words.get(i));
        }
        return out.toString();
    }

    /** {@code unexpected 'x'; expected ']' or ','}, or {@code missing ')' before 'x'}. */
    static String rewrite(String msg, Token token) {
        String found = token.getType() == Token.EOF ? "end of file" : "'" + token.getText() + "'";
        String expected = expected(msg);
        if (msg.startsWith("missing ") && expected != null) {
            return "missing " + expected + " before " + found;
        }
        return "unexpected " + found + (expected == null ? "" : "; expected " + expected);
    }

    private static String word(String token) {
        switch (token) {
            case "ID":
                return "a name";
            case "NUMBER":
                return "a number";
            case "<EOF>":
                return "end of file";
            default:
                return token;
        }
    }
}
