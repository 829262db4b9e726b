package dev.adjoint.compiler.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded random models that are meant to be right: a chain of shape-compatible operations on a batch input,
 * with params, a fn, a loop over a param array, outputs and a loss. Most compile; the ones that do not must be
 * refused with a positioned error. They reach the back end, which mutants of the samples rarely do in bulk.
 */
final class RandomModels {
    /** A value in scope: its name and its shape ({@code [B, 4]} is {@code 4} columns, {@code batch}). */
    private record Value(String name, boolean batch, int width) {
        String type(String elem) {
            return elem + (batch ? "[B, " + width + "]" : "[" + width + "]");
        }
    }

    private static final String[] UNARY = {"exp", "tanh", "sigmoid", "relu", "softplus", "square", "abs", "sin",
        "cos", "gelu", "-", "log1p(abs", "sqrt(abs", "leaky_relu"};

    private final SplittableRandom random;
    private final StringBuilder body = new StringBuilder();
    private final StringBuilder fns = new StringBuilder();
    private final List<Value> values = new ArrayList<>();
    private final String elem;
    private final int classes;
    private final boolean labels;
    private int counter;

    private RandomModels(long seed) {
        this.random = new SplittableRandom(seed);
        this.elem = random.nextInt(4) == 0 ? "f64" : "f32";
        this.classes = 2 + random.nextInt(4);
        this.labels = random.nextBoolean();
    }

    /** The model of {@code seed}, named {@code name}. */
    static String model(String name, long seed) {
        return new RandomModels(seed).build(name);
    }

    private String build(String name) {
        int features = 1 + random.nextInt(6);
        line("dim B");
        line("input " + (random.nextInt(4) == 0 ? "grad " : "") + "x : " + elem + "[B, " + features + "]");
        values.add(new Value("x", true, features));
        if (labels) {
            line("input y : i32[B]");
        }
        if (random.nextInt(3) == 0) {
            line("input grad z : " + elem + "[" + features + "]");
            values.add(new Value("z", false, features));
        }
        if (random.nextInt(3) == 0) {
            const_();
        }
        int steps = 2 + random.nextInt(8);
        for (int i = 0; i < steps; i++) {
            step();
        }
        Value last = batchValue();
        if (random.nextBoolean()) {
            line("output o" + counter++ + " = " + last.name());
        }
        if (labels && random.nextBoolean()) {
            Value logits = dense(last, classes);
            line("output probs = softmax(" + logits.name() + ", axis=-1)");
            line("loss l = mean(cross_entropy(" + logits.name() + ", y))");
        } else if (labels && random.nextBoolean()) {
            Value logits = dense(last, classes);
            line("loss l = mse(" + logits.name() + ", one_hot(y, " + classes + (elem.equals("f64") ? ", dtype=f64" : "")
                    + "))");
        } else if (random.nextInt(5) > 0) {
            line("loss l = " + (random.nextBoolean() ? "mean" : "sum") + "(" + last.name() + ")");
        }
        return fns + "model " + name + " {\n" + body + "}\n";
    }

    private void step() {
        switch (random.nextInt(14)) {
            case 0, 1 -> unary();
            case 2 -> binary();
            case 3 -> dense(batchValue(), 1 + random.nextInt(6));
            case 4 -> reduce();
            case 5 -> normalize();
            case 6 -> concat();
            case 7 -> slice();
            case 8 -> loop();
            case 9 -> function();
            case 10 -> where();
            case 11 -> shapes();
            case 12 -> lookup();
            default -> bias();
        }
    }

    /** Reshapes, transposes, casts and powers that give back the shape they started from. */
    private void shapes() {
        Value v = batchValue();
        String other = elem.equals("f32") ? "f64" : "f32";
        switch (random.nextInt(5)) {
            case 0 -> bind(v.name() + ".T.T", true, v.width());
            case 1 -> bind("reshape(reshape(" + v.name() + ", [B, " + v.width() + ", 1]), [B, " + v.width() + "])",
                    true, v.width());
            case 2 -> bind("cast(cast(" + v.name() + ", " + other + "), " + elem + ")", true, v.width());
            case 3 -> bind("pow(abs(" + v.name() + ") + 1, 1.5) + cast(" + v.name() + " > 0, " + elem + ")", true,
                    v.width());
            default -> bind("mean(" + v.name() + ", axis=0)", false, v.width());
        }
    }

    /** An embedding of the labels (one_hot times a table), when there are labels. */
    private void lookup() {
        if (!labels) {
            unary();
            return;
        }
        int width = 1 + random.nextInt(4);
        bind("one_hot(y, " + classes + (elem.equals("f64") ? ", dtype=f64" : "") + ") @ " + param(classes, width),
                true, width);
    }

    private Value batchValue() {
        List<Value> batch = values.stream().filter(Value::batch).toList();
        return batch.get(random.nextInt(batch.size()));
    }

    private Value any() {
        return values.get(random.nextInt(values.size()));
    }

    private Value bind(String expr, boolean batch, int width) {
        Value v = new Value("v" + counter++, batch, width);
        line(v.name() + " = " + expr);
        values.add(v);
        return v;
    }

    private String param(int... shape) {
        String name = "p" + counter++;
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(dims.length() == 0 ? "" : ", ").append(d);
        }
        String[] inits = {"zeros", "ones", "glorot_uniform", "he_normal", "uniform(-0.5, 0.5)", "normal(0, 0.1)",
            "constant(0.25)"};
        line("param " + name + " : " + elem + "[" + dims + "] = " + inits[random.nextInt(inits.length)]);
        return name;
    }

    private void const_() {
        line("const k" + counter++ + " = " + (1 + random.nextInt(4)));
    }

    private void unary() {
        Value v = any();
        String f = UNARY[random.nextInt(UNARY.length)];
        String expr = switch (f) {
            case "-" -> "-" + v.name();
            case "log1p(abs", "sqrt(abs" -> f + "(" + v.name() + "))";
            case "leaky_relu" -> "leaky_relu(" + v.name() + ", alpha=0.1)";
            default -> f + "(" + v.name() + ")";
        };
        bind(expr, v.batch(), v.width());
    }

    private void binary() {
        Value a = any();
        List<Value> same = values.stream().filter(v -> v.width() == a.width()).toList();
        Value b = same.get(random.nextInt(same.size()));
        String[] ops = {" + ", " - ", " * "};
        String expr = switch (random.nextInt(5)) {
            case 0 -> a.name() + " / (abs(" + b.name() + ") + 1)";
            case 1 -> "max(" + a.name() + ", " + b.name() + ")";
            case 2 -> a.name() + " ^ 2 + " + b.name();
            default -> a.name() + ops[random.nextInt(ops.length)] + b.name();
        };
        bind(expr, a.batch() || b.batch(), a.width());
    }

    private Value dense(Value v, int out) {
        String w = param(v.width(), out);
        return bind(v.name() + " @ " + w, v.batch(), out);
    }

    private void bias() {
        Value v = any();
        String b = param(v.width());
        bind(v.name() + " + " + b, v.batch(), v.width());
    }

    private void reduce() {
        Value v = batchValue();
        String[] f = {"sum", "mean", "max", "logsumexp"};
        bind(f[random.nextInt(f.length)] + "(" + v.name() + ", axis=-1, keepdims=true)", true, 1);
    }

    private void normalize() {
        Value v = batchValue();
        switch (random.nextInt(4)) {
            case 0 -> bind("softmax(" + v.name() + ", axis=-1)", true, v.width());
            case 1 -> bind("log_softmax(" + v.name() + ", axis=-1)", true, v.width());
            case 2 -> bind("layer_norm(" + v.name() + ", " + param(v.width()) + ", " + param(v.width()) + ")", true,
                    v.width());
            default -> bind("batch_norm(" + v.name() + ", " + param(v.width()) + ", " + param(v.width()) + ")", true,
                    v.width());
        }
    }

    private void concat() {
        Value a = batchValue();
        Value b = batchValue();
        bind("concat([" + a.name() + ", " + b.name() + "], axis=1)", true, a.width() + b.width());
    }

    private void slice() {
        Value v = batchValue();
        if (v.width() < 2) {
            unary();
            return;
        }
        int from = random.nextInt(v.width() - 1);
        int to = from + 1 + random.nextInt(v.width() - from);
        bind(v.name() + "[:, " + from + ":" + to + "]", true, to - from);
    }

    private void where() {
        Value v = batchValue();
        bind("where(" + v.name() + " > 0, " + v.name() + ", 0.5 * " + v.name() + ")", true, v.width());
    }

    /** A loop over a param array, each step a small residual block. */
    private void loop() {
        Value v = batchValue();
        int layers = 1 + random.nextInt(4);
        String w = "q" + counter++;
        line("param " + w + "[" + layers + "] : " + elem + "[" + v.width() + ", " + v.width() + "] = normal(0, 0.1)");
        String h = "v" + counter++;
        line(h + " = " + v.name());
        line("for i in 0.." + layers + " {");
        line("  " + h + " = " + h + " + tanh(" + h + " @ " + w + "[i])");
        line("}");
        values.add(new Value(h, true, v.width()));
    }

    /** A fn with a default argument, called once. */
    private void function() {
        String f = "f" + counter++;
        fns.append("fn ").append(f).append("(a, s=0.5) {\n  t = a * s\n  return t + sigmoid(a)\n}\n");
        Value v = any();
        bind(f + "(" + v.name() + (random.nextBoolean() ? "" : ", s=2") + ")", v.batch(), v.width());
    }

    private void line(String text) {
        body.append("  ").append(text).append('\n');
    }
}
