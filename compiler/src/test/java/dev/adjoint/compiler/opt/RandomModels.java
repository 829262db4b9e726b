package dev.adjoint.compiler.opt;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded random models in f64 for translation validation: every kind of op the language has, broadcasting
 * (matrices against vectors and scalars), a symbolic batch dim, param arrays in a loop, values used several times
 * (fan-out), masks and labels. Expressions stay in the domain of their functions (logarithms and roots of positive
 * values only), so both sides of a pass compute finite values and any difference is a bug.
 */
public final class RandomModels {
    private final Random rnd;
    private final StringBuilder body = new StringBuilder();
    /** Matrices [B, k] by width, vectors [k], scalars. */
    private final List<String[]> matrices = new ArrayList<>();
    private final List<String[]> vectors = new ArrayList<>();
    private final List<String> scalars = new ArrayList<>();
    private int next;

    private RandomModels(long seed) {
        this.rnd = new Random(seed);
    }

    /** A model named {@code name} with a loss, inputs {@code x : f64[B, 3]}, {@code y : i32[B]}, and params. */
    public static String model(String name, long seed) {
        return new RandomModels(seed).build(name);
    }

    private String fresh() {
        return "v" + next++;
    }

    private String[] matrix() {
        return matrices.get(rnd.nextInt(matrices.size()));
    }

    private String[] vector(int width) {
        List<String[]> fit = new ArrayList<>();
        for (String[] v : vectors) {
            if (v[1].equals(Integer.toString(width))) {
                fit.add(v);
            }
        }
        return fit.isEmpty() ? null : fit.get(rnd.nextInt(fit.size()));
    }

    private void bind(String[] m, String expr) {
        body.append("  ").append(m[0]).append(" = ").append(expr).append('\n');
    }

    private String build(String name) {
        StringBuilder head = new StringBuilder("model " + name + " {\n  dim B\n  const L = 2\n");
        head.append("  input x : f64[B, 3]\n  input y : i32[B]\n  input grad z : f64[3]\n");
        head.append("  param W1 : f64[3, 4] = glorot_uniform\n  param b1 : f64[4] = normal(0, 0.1)\n");
        head.append("  param W[L] : f64[4, 4] = glorot_uniform\n  param g : f64[4] = uniform(0.5, 1.5)\n");
        head.append("  param s : f64 = constant(0.7)\n");
        matrices.add(new String[] {"x", "3"});
        vectors.add(new String[] {"z", "3"});
        vectors.add(new String[] {"b1", "4"});
        vectors.add(new String[] {"g", "4"});
        scalars.add("s");
        String[] h = {fresh(), "4"};
        bind(h, "tanh(x @ W1 + b1)");
        matrices.add(h);
        body.append("  for i in 0..L {\n    ").append(h[0]).append(" = ").append(h[0]).append(" + sigmoid(")
                .append(h[0]).append(" @ W[i]) * g\n  }\n");
        int steps = 8 + rnd.nextInt(8);
        for (int i = 0; i < steps; i++) {
            step();
        }
        StringBuilder loss = new StringBuilder();
        for (String[] m : matrices) {
            if (!m[0].equals("x")) {
                loss.append(loss.length() == 0 ? "" : " + ").append("mean(").append(m[0]).append(" * ").append(m[0])
                        .append(")");
            }
        }
        String[] last = matrices.get(matrices.size() - 1);
        loss.append(" + mean(cross_entropy(").append(last[0]).append(", y))");
        for (String v : scalars) {
            loss.append(" + ").append(v).append(" * ").append(v);
        }
        body.append("  output o = ").append(last[0]).append('\n');
        body.append("  loss = ").append(loss).append('\n');
        return head + body.toString() + "}\n";
    }

    /** One random statement, binding a new value. */
    private void step() {
        String[] a = matrix();
        int w = Integer.parseInt(a[1]);
        String[] out = {fresh(), a[1]};
        switch (rnd.nextInt(16)) {
            case 0 -> bind(out, pick("exp(-" + a[0] + " * " + a[0] + ")", "log(1 + " + a[0] + " * " + a[0] + ")",
                    "sqrt(" + a[0] + " * " + a[0] + " + 1)", "log1p(softplus(" + a[0] + "))", "sin(" + a[0] + ")",
                    "cos(" + a[0] + ") * abs(" + a[0] + ")", "relu(" + a[0] + ") - leaky_relu(" + a[0] + ", alpha=0.2)",
                    "gelu(" + a[0] + ")", "square(" + a[0] + ") / (1 + exp(" + a[0] + "))"));
            case 1 -> {
                String[] v = vector(w);
                bind(out, v == null ? a[0] + " * 2.5 - 1" : pick(a[0] + " + " + v[0], a[0] + " * " + v[0],
                        v[0] + " - " + a[0], a[0] + " / (1 + " + v[0] + " * " + v[0] + ")"));
            }
            case 2 -> bind(out, a[0] + " * " + scalars.get(rnd.nextInt(scalars.size())) + " + " + matrix()[0]
                    + "[:, :1]");
            case 3 -> bind(out, pick("softmax(" + a[0] + ", axis=-1)", "log_softmax(" + a[0] + ")",
                    "softmax(" + a[0] + ", axis=0) * " + a[0]));
            case 4 -> {
                String[] m = vector(w);
                bind(out, m == null ? "layer_norm(" + a[0] + " * 1.5, " + "mean(" + a[0] + ", axis=0), max(" + a[0] + ", axis=0))"
                        : "layer_norm(" + a[0] + ", " + m[0] + ", " + m[0] + ")");
            }
            case 5 -> {
                String[] v = {fresh(), a[1]};
                body.append("  ").append(v[0]).append(" = ").append(pick("sum(", "mean(", "max(", "logsumexp("))
                        .append(a[0]).append(", axis=0)\n");
                vectors.add(v);
                return;
            }
            case 6 -> {
                String v = fresh();
                body.append("  ").append(v).append(" = ").append(pick("sum(", "mean(", "max(", "logsumexp("))
                        .append(a[0]).append(")\n");
                scalars.add(v);
                return;
            }
            case 7 -> {
                String[] t = {fresh(), a[1]};
                bind(t, "(" + a[0] + ".T @ " + a[0] + ") @ " + a[0] + ".T");
                String[] back = {fresh(), a[1]};
                body.append("  ").append(back[0]).append(" = transpose(").append(t[0]).append(", [1, 0])\n");
                matrices.add(back);
                return;
            }
            case 8 -> bind(out, "where(" + a[0] + " > 0.1, " + a[0] + " * 3, " + a[0] + " / 2)");
            case 9 -> bind(out, "clamp(" + a[0] + ", -0.5, 0.8) + max(" + a[0] + ", 0.2) - min(" + a[0] + ", -0.1)");
            case 10 -> {
                String[] c = {fresh(), Integer.toString(2 * w)};
                bind(c, "concat([" + a[0] + ", " + a[0] + " * " + a[0] + "], axis=1)");
                matrices.add(c);
                String[] back = {fresh(), Integer.toString(w)};
                bind(back, c[0] + "[:, " + w + ":] - " + c[0] + "[:, :" + w + "]");
                matrices.add(back);
                return;
            }
            case 11 -> bind(out, "reshape(reshape(" + a[0] + ", [-1]), [-1, " + w + "]) * 0.5");
            case 12 -> bind(out, "batch_norm(" + a[0] + ", " + "mean(" + a[0] + ", axis=0), max(" + a[0] + ", axis=0))");
            case 13 -> bind(out, a[0] + " + one_hot(y, " + w + ", dtype=f64) * " + a[0]);
            case 14 -> bind(out, "pow(1 + " + a[0] + " * " + a[0] + ", 1.5) - " + a[0] + " ^ 2");
            default -> bind(out, "tanh(" + a[0] + " @ " + (w == 4 ? "W[0]" : "(" + a[0] + ".T @ " + a[0] + ")") + ")");
        }
        matrices.add(out);
    }

    private String pick(String... options) {
        return options[rnd.nextInt(options.length)];
    }
}
