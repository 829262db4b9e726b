package dev.adjoint.compiler.ir;

import java.util.List;

/**
 * A parameter initializer as declared: {@code zeros}, {@code ones}, {@code constant(v)},
 * {@code uniform(lo, hi)}, {@code normal(mean, std)}, {@code glorot_uniform}, {@code he_normal}.
 */
public record InitSpec(Kind kind, List<Double> args) {

    public enum Kind {
        ZEROS("zeros", 0),
        ONES("ones", 0),
        CONSTANT("constant", 1),
        UNIFORM("uniform", 2),
        NORMAL("normal", 2),
        GLOROT_UNIFORM("glorot_uniform", 0),
        HE_NORMAL("he_normal", 0);

        private final String text;
        private final int arity;

        Kind(String text, int arity) {
            this.text = text;
            this.arity = arity;
        }

        public String text() {
            return text;
        }

        public int arity() {
            return arity;
        }

        public static Kind fromText(String word) {
            for (Kind k : values()) {
                if (k.text.equals(word)) {
                    return k;
                }
            }
            return null;
        }

        public static String all() {
            StringBuilder out = new StringBuilder();
            for (Kind k : values()) {
                out.append(out.length() == 0 ? "" : ", ").append(k.text).append(k.arity == 0 ? "" : "(...)");
            }
            return out.toString();
        }
    }

    public static final InitSpec DEFAULT = new InitSpec(Kind.ZEROS, List.of());

    public InitSpec {
        args = List.copyOf(args);
    }

    @Override
    public String toString() {
        if (args.isEmpty()) {
            return kind.text;
        }
        StringBuilder out = new StringBuilder(kind.text).append('(');
        for (int i = 0; i < args.size(); i++) {
            double a = args.get(i);
            out.append(i == 0 ? "" : ", ").append(a == Math.rint(a) && Math.abs(a) < 1e15
                    ? Long.toString((long) a) : Double.toString(a));
        }
        return out.append(')').toString();
    }
}
