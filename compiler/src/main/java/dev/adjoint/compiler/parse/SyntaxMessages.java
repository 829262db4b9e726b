package dev.adjoint.compiler.parse;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.antlr.v4.runtime.Token;

/** Shortens ANTLR's messages: token-set dumps become a plain "unexpected X" with a hint when it helps. */
final class SyntaxMessages {
    private static final Pattern MISSING = Pattern.compile("^missing (.*) at .*$");
    private static final Pattern EXPECTING = Pattern.compile("^(.*?) expecting (.*)$");
    /** One token of an expected set: a literal such as {@code ','} or {@code '}'}, or a token name. */
    private static final Pattern TOKEN = Pattern.compile("'[^']*'|[A-Za-z_<>]+");
    /** The tokens that can start an expression; a set holding all of them reads as "an expression". */
    private static final List<String> EXPRESSION_START = List.of("'('", "'['", "'-'", "NUMBER", "ID");

    private SyntaxMessages() {
    }

    /** The tokens ANTLR says it expected, or an empty list when the message names none. */
    static List<String> expected(String msg) {
        Matcher missing = MISSING.matcher(msg);
        String set;
        if (missing.matches()) {
            set = missing.group(1);
        } else {
            Matcher m = EXPECTING.matcher(msg);
            if (!m.matches()) {
                return List.of();
            }
            set = m.group(2);
        }
        List<String> tokens = new ArrayList<>();
        Matcher t = TOKEN.matcher(set);
        while (t.find()) {
            tokens.add(t.group());
        }
        return tokens;
    }

    /** The expected set in words ("')' or ','", "an expression"), or null when it is too long to help. */
    static String describe(List<String> tokens, Token found) {
        if (tokens.isEmpty()) {
            return null;
        }
        if (tokens.containsAll(EXPRESSION_START)) {
            return "an expression";
        }
        if (found.getType() == Token.EOF && tokens.contains("'}'")) {
            return "'}'";
        }
        if (tokens.size() > 4) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < tokens.size(); i++) {
            if (i > 0) {
                out.append(i == tokens.size() - 1 ? " or " : ", ");
            }
            out.append(word(tokens.get(i)));
        }
        return out.toString();
    }

    /** The message for an error at the offending token itself. */
    static String rewrite(String msg, Token found) {
        String expected = describe(expected(msg), found);
        if (msg.startsWith("missing ") && expected != null) {
            return "missing " + expected + " before " + text(found);
        }
        return "unexpected " + text(found) + (expected == null ? "" : "; expected " + expected);
    }

    /**
     * The message for an error placed just after {@code previous}, because the line ended before the
     * construct was complete ({@code y = exp(x} followed by a new statement, or the end of the file).
     */
    static String afterLineEnd(String msg, Token found, Token previous) {
        String expected = describe(expected(msg), found);
        if (found.getType() == Token.EOF) {
            return "unexpected end of file" + (expected == null ? "" : "; expected " + expected);
        }
        return "expected " + expected + " after " + text(previous);
    }

    private static String text(Token token) {
        return token.getType() == Token.EOF ? "end of file" : "'" + token.getText() + "'";
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
