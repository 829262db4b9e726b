package dev.adjoint.compiler.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Seeded mutations of model sources, at character and token level: what a user's typo, a bad merge or a
 * corrupted file does to a model. One to three mutations per input; the same seed gives the same mutant.
 */
final class Mutator {
    /** Identifiers, numbers, multi-character operators, single characters. */
    private static final Pattern TOKEN = Pattern.compile(
            "[A-Za-z_][A-Za-z0-9_]*|[0-9]+(\\.[0-9]+)?([eE][+-]?[0-9]+)?|\\.\\.|==|!=|<=|>=|//[^\\n]*|\\s+|.",
            Pattern.DOTALL);

    /** Tokens worth trying anywhere: keywords, built-ins, types, operators, extreme numbers. */
    private static final String[] INTERESTING = {
        "model", "fn", "dim", "const", "input", "param", "output", "loss", "for", "in", "return", "grad", "true",
        "false", "f32", "f64", "i32", "bool", "B", "x", "W", "h",
        "exp", "log", "sqrt", "tanh", "relu", "sigmoid", "softmax", "log_softmax", "cross_entropy", "mse", "sum",
        "mean", "max", "min", "logsumexp", "reshape", "transpose", "concat", "one_hot", "layer_norm", "batch_norm",
        "where", "cast", "pow", "abs", "gelu", "leaky_relu", "softplus", "take", "conv2d", "zeros", "axis",
        "keepdims", "dtype", "eps", ".T", "@", "^", "*", "/", "+", "-", ">", "==", "..", ":", ",", ";", "=", "(",
        ")", "[", "]", "{", "}", ".",
        "0", "1", "-1", "2", "3", "0.5", "1e-3", "1e308", "1e999", "65536", "2147483647", "2147483648",
        "4294967296", "9999999999999999999999", "100000000", "0.0", "1e-400",
    };

    /** Characters worth inserting: brackets, quotes, controls, a byte order mark, non-ASCII. */
    private static final char[] CHARACTERS = {
        '(', ')', '[', ']', '{', '}', ',', ':', ';', '.', '=', '+', '-', '*', '/', '@', '^', '<', '>', '!', '#', '"',
        '\'', '\\', '\n', '\t', '\r', ' ', '0', '9', 'e', 'x', '_', '\u0000', '\u0007', '\u001b', '\u007f',
        '\ufeff', '\u00e9', '\u202e', '\u2028', '\ud83d', '\u00a0',
    };

    private final SplittableRandom random;

    Mutator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** One to three mutations of {@code source}; {@code corpus} supplies tokens from other models. */
    String mutate(String source, List<String> corpus) {
        String s = source;
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            s = random.nextInt(3) == 0 ? mutateCharacters(s) : mutateTokens(s, corpus);
        }
        return s;
    }

    private String mutateCharacters(String s) {
        if (s.isEmpty()) {
            return String.valueOf(pick(CHARACTERS));
        }
        int at = random.nextInt(s.length());
        switch (random.nextInt(5)) {
            case 0:
                return s.substring(0, at) + s.substring(at + 1); // delete
            case 1:
                return s.substring(0, at) + pick(CHARACTERS) + s.substring(at); // insert
            case 2: { // duplicate a span
                int end = Math.min(s.length(), at + 1 + random.nextInt(40));
                return s.substring(0, end) + s.substring(at, end) + s.substring(end);
            }
            case 3: { // swap two characters
                int other = random.nextInt(s.length());
                char[] c = s.toCharArray();
                char t = c[at];
                c[at] = c[other];
                c[other] = t;
                return new String(c);
            }
            default: // cut the file short
                return s.substring(0, at);
        }
    }

    private String mutateTokens(String s, List<String> corpus) {
        List<String> tokens = tokens(s);
        List<Integer> meaningful = new ArrayList<>();
        for (int i = 0; i < tokens.size(); i++) {
            if (!tokens.get(i).isBlank() && !tokens.get(i).startsWith("//")) {
                meaningful.add(i);
            }
        }
        if (meaningful.isEmpty()) {
            return s + " " + pick(INTERESTING);
        }
        int i = meaningful.get(random.nextInt(meaningful.size()));
        switch (random.nextInt(7)) {
            case 0:
                tokens.remove(i);
                break;
            case 1:
                tokens.add(i, tokens.get(i));
                break;
            case 2:
                tokens.set(i, pick(INTERESTING));
                break;
            case 3:
                tokens.set(i, corpus.isEmpty() ? pick(INTERESTING) : corpus.get(random.nextInt(corpus.size())));
                break;
            case 4: { // swap with another meaningful token
                int j = meaningful.get(random.nextInt(meaningful.size()));
                String t = tokens.get(i);
                tokens.set(i, tokens.get(j));
                tokens.set(j, t);
                break;
            }
            case 5: { // a number becomes another number
                tokens.set(i, tokens.get(i).matches("[0-9].*") ? number() : tokens.get(i) + " " + number());
                break;
            }
            default: { // duplicate a run of tokens (a statement pasted twice, a loop body repeated)
                int end = Math.min(tokens.size(), i + 1 + random.nextInt(30));
                tokens.addAll(end, new ArrayList<>(tokens.subList(i, end)));
                break;
            }
        }
        return String.join("", tokens);
    }

    private String number() {
        switch (random.nextInt(4)) {
            case 0:
                return Integer.toString(random.nextInt(5));
            case 1:
                return Integer.toString(random.nextInt(1, 5000));
            case 2:
                return Long.toString(1L << random.nextInt(1, 40));
            default:
                return pick(new String[] {"0.5", "1e-3", "1e308", "1e999", "2147483647", "1e-400", "0"});
        }
    }

    /** The tokens of a source, whitespace and comments included, so that joining them gives it back. */
    static List<String> tokens(String s) {
        List<String> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(s);
        while (m.find()) {
            out.add(m.group());
        }
        return out;
    }

    private <T> T pick(T[] from) {
        return from[random.nextInt(from.length)];
    }

    private char pick(char[] from) {
        return from[random.nextInt(from.length)];
    }
}
