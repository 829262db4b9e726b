package dev.adjoint.compiler.parse;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.antlr.v4.runtime.Token;

/** Shortens ANTLR's messages: token-set dumps become a plain "unexpected X" with a hint when it helps. */
final class SyntaxMessages {
    private static final Pattern EXPECTING = Pattern.compile("^(.*?) expecting (.*)$");
    private static final Pattern SET = Pattern.compile("\\{(.*)}");

    private SyntaxMessages() {
    }

    static String rewrite(String msg, Token token) {
        String found = token.getType() == Token.EOF ? "end of file" : "'" + token.getText() + "'";
        if (msg.startsWith("missing ")) {
            Matcher m = Pattern.compile("^missing (.*) at .*$").matcher(msg);
            if (m.matches()) {
                return "missing " + describe(m.group(1)) + " before " + found;
            }
        }
        Matcher m = EXPECTING.matcher(msg);
        if (m.matches()) {
            String expected = m.group(2);
            Matcher set = SET.matcher(expected);
            int alternatives = set.matches() ? set.group(1).split(",").length : 1;
            if (alternatives <= 4) {
                return "unexpected " + found + "; expected " + describe(expected);
            }
        }
        if (msg.startsWith("no viable alternative")) {
            return "unexpected " + found;
        }
        return "unexpected " + found;
    }

    private static String describe(String tokens) {
        String t = tokens.replace("{", "").replace("}", "");
        StringBuilder out = new StringBuilder();
        String[] parts = t.split(",\\s*");
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                out.append(i == parts.length - 1 ? " or " : ", ");
            }
            out.append(word(parts[i].trim()));
        }
        return out.toString();
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
