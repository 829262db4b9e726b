package dev.adjoint.compiler.emit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.CompiledModel;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.compiler.plan.CheckpointPolicy;
import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.GradientResult;
import dev.adjoint.runtime.Tensor;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Repeated layers are written as loops over tables of their arrays ({@link Repeats}): the code has the loop and the
 * method holding one layer, and computes exactly what the straight code computes, bit for bit, whatever the model
 * shares between layers, in f32 and f64, with and without checkpoints; and the values agree with the interpreter.
 */
class RepeatedLayersEmitTest {

    private static String deep(String type, int layers, int width) {
        return """
                model Deep {
                  const L = %d
                  dim B
                  input x : %s[B, %d]
                  input y : %s[B, %d]
                  param W[L] : %s[%d, %d] = normal(0, 0.5)
                  param b[L] : %s[%d] = normal(0, 0.1)
                  h = x
                  for i in 0..L {
                    h = tanh(h @ W[i] + b[i])
                  }
                  loss l = mean((h - y) * (h - y))
                }
                """.formatted(layers, type, width, type, width, type, width, width, type, width);
    }

    @Test
    void deepTanhRunsItsLayersInLoopsWithTheBitsOfTheStraightCode() {
        ModelGraph m = Harness.model(deep("f32", 8, 5));
        String src = same(m, Compiler.Options.of(Harness.PACKAGE), Map.of("B", 3));
        // the first layer reads the input, so the loop runs the other seven, i = 1 to 7
        assertTrue(src.contains("// test.model:9: for i in 0..L, i = 1 to 7, each iteration on its own arrays"), src);
        assertTrue(src.contains("for (int r = 0; r < 7; r++) {"), src);
        assertTrue(src.contains("forwardLoop0(w, w.loop0_h[r], loop0_W[r], "), src);
        assertTrue(src.contains("private void forwardLoop0(Workspace w, float[] h, float[] W, "), src);
        assertTrue(src.contains("The steps of one iteration of the loop {@code for i in 0..L} at test.model:9,"), src);
        // a layer's steps appear once, written with the arrays of its first iteration
        assertEquals(1, count(src, "// test.model:10: h_2 = tanh("), src);
        assertEquals(0, count(src, "// test.model:10: h_5 = tanh("), src);
        assertTrue(src.contains("loop0_W = new float[][] {W_1, W_2, W_3, W_4, W_5, W_6, W_7};"), src);
        // the backward pass too, aligned on its iterations (i = 6 down to 1)
        assertTrue(Pattern.compile("for \\(int r = 0; r < [5-7]; r\\+\\+\\) \\{\\n\\s+backwardLoop1\\(").matcher(src)
                .find(), src);
        Harness.check(m, Map.of("B", 3), -1, 1, 0);
    }

    @Test
    void f64LayersToo() {
        ModelGraph m = Harness.model(deep("f64", 6, 4));
        String src = same(m, Compiler.Options.of(Harness.PACKAGE), Map.of("B", 2));
        assertTrue(src.contains("private void forwardLoop0(Workspace w, double[] h, double[] W, "), src);
        Harness.check(m, Map.of("B", 2), -1, 1, 0);
    }

    @Test
    void whatEveryLayerSharesIsReadFromItsOwnField() {
        // one weight matrix for every layer, and the input added in each: neither goes through a table
        ModelGraph m = Harness.model("""
                model Shared {
                  dim B
                  input x : f32[B, 4]
                  param W : f32[4, 4] = normal(0, 0.5)
                  param c[6] : f32[4] = normal(0, 1)
                  h = x
                  for i in 0..6 {
                    h = softplus(h @ W + x * c[i])
                  }
                  loss l = sum(h * h)
                }
                """);
        String src = same(m, Compiler.Options.of(Harness.PACKAGE), Map.of("B", 3));
        String body = method(src, "forwardLoop0");
        assertTrue(body.contains("(w.x, ") || body.contains("w.x["), body);
        assertTrue(body.contains(", W, "), body);
        assertFalse(signature(body).contains(" W,"), body);
        assertFalse(signature(body).contains(" x"), body);
        Harness.check(m, Map.of("B", 3), -1, 1, 0);
    }

    @Test
    void nestedLoopsAndResidualBlocks() {
        ModelGraph m = Harness.model("""
                model Blocks {
                  dim B
                  input x : f32[B, 6]
                  param W[5] : f32[6, 6] = normal(0, 0.4)
                  param g[5] : f32[6] = ones
                  h = x
                  for i in 0..5 {
                    r = h
                    for j in 0..2 {
                      r = relu(r @ W[i]) * g[i]
                    }
                    h = h + r
                  }
                  loss l = mean(h * h)
                }
                """);
        String src = same(m, Compiler.Options.of(Harness.PACKAGE), Map.of("B", 4));
        assertTrue(src.contains("forwardLoop0("), src);
        assertTrue(src.contains("backwardLoop"), src);
        Harness.check(m, Map.of("B", 4), -1, 1, 0);
    }

    @Test
    void normalizedLayersPassTheirRunningStatisticsAndScratchThroughTables() {
        ModelGraph m = Harness.model("""
                model Normed {
                  dim B
                  input x : f64[B, 4]
                  param W[6] : f64[4, 4] = normal(0, 0.5)
                  param g[6] : f64[4] = ones
                  param be[6] : f64[4] = zeros
                  h = x
                  for i in 0..6 {
                    h = relu(batch_norm(h @ W[i], g[i], be[i]))
                    h = layer_norm(h, g[i], be[i]) + h
                  }
                  loss l = mean(h * h)
                }
                """);
        String src = same(m, Compiler.Options.of(Harness.PACKAGE), Map.of("B", 5));
        String body = method(src, "forwardLoop0");
        assertTrue(body.contains("BatchNorm.forward("), body);
        // each layer's running mean is its own field of the model, passed from a table
        assertTrue(Pattern.compile("loop0_\\w*running_mean\\w* = new double\\[\\]\\[\\] \\{").matcher(src).find(), src);
        Harness.check(m, Map.of("B", 5), -1, 1, 0);
    }

    @Test
    void dropoutLayersPassTheirSitesAsInts() {
        ModelGraph m = Harness.model("""
                model Dropped {
                  dim B
                  input x : f64[B, 6]
                  param W[5] : f64[6, 6] = normal(0, 0.5)
                  h = x
                  for i in 0..5 {
                    h = dropout(tanh(h @ W[i]), 0.25)
                  }
                  loss l = mean(h * h)
                }
                """);
        String src = same(m, Compiler.Options.of(Harness.PACKAGE), Map.of("B", 4));
        String body = method(src, "forwardLoop0");
        assertTrue(signature(body).contains(", int site"), body);
        assertTrue(body.contains("Dropout.forward("), body);
        assertTrue(src.contains("loop0_site = new int[] {1, 2, 3, 4};"), src);
        Harness.check(m, Map.of("B", 4), -1, 1, 0);
    }

    @Test
    void checkpointedModelsRecomputeInsideTheLoops() {
        ModelGraph m = Harness.model(deep("f32", 12, 4));
        String src = same(m, Compiler.Options.of(Harness.PACKAGE).withCheckpoint(CheckpointPolicy.SQRT),
                Map.of("B", 3));
        assertTrue(src.contains("Loop0("), src);
    }

    @Test
    void manyLayersFillTheirTablesInParts() {
        ModelGraph m = Harness.model(deep("f32", 140, 2));
        String src = same(m, Compiler.Options.of(Harness.PACKAGE), Map.of("B", 2));
        assertTrue(src.contains("loop0_W = new float[139][];"), src);
        assertTrue(src.contains("System.arraycopy(new float[][] {W_129, "), src);
        assertTrue(src.contains(", 0, loop0_W, 128, 11);"), src);
        assertTrue(src.contains(", 0, loop0_W, 112, 16);"), src);
    }

    @Test
    void aLayerOfManyStepsIsSplitIntoMethodsOfAFewEach() {
        StringBuilder layer = new StringBuilder();
        String[] fns = {"tanh", "sigmoid", "softplus", "relu", "exp", "sin", "cos", "tanh", "sigmoid", "softplus"};
        for (int f = 0; f < fns.length; f++) {
            layer.append("    h = ").append(fns[f]).append("(h @ W").append(f).append("[i]) * 0.5\n");
        }
        StringBuilder params = new StringBuilder();
        for (int f = 0; f < fns.length; f++) {
            params.append("  param W").append(f).append("[5] : f32[3, 3] = normal(0, 0.3)\n");
        }
        ModelGraph m = Harness.model("model Long {\n  dim B\n  input x : f32[B, 3]\n" + params
                + "  h = x\n  for i in 0..5 {\n" + layer + "  }\n  loss l = mean(h * h)\n}\n");
        String src = same(m, Compiler.Options.of(Harness.PACKAGE), Map.of("B", 2));
        Matcher parts = Pattern.compile("private void (backward|forward)Loop[0-9]+_1\\(").matcher(src);
        assertTrue(parts.find(), src);
        // the forward's blocks are the loop's iterations: i = 1 to 3 (the first reads x, the last feeds the loss)
        assertTrue(src.contains("// test.model:15: for i in 0..5, i = 1 to 3, each iteration on its own arrays"), src);
        Harness.check(m, Map.of("B", 2), -0.5, 0.5, 0);
    }

    @Test
    void namesOfTheModelDoNotCollideWithTheLoops() {
        ModelGraph m = Harness.model("""
                model Names {
                  dim B
                  input x : f32[B, 3]
                  param r : f32[3] = ones
                  param loop0_W : f32[3] = ones
                  param W[5] : f32[3, 3] = normal(0, 0.5)
                  h = x
                  for w in 0..5 {
                    h = tanh(h @ W[w] + r * loop0_W)
                  }
                  loss l = sum(h)
                }
                """);
        same(m, Compiler.Options.of(Harness.PACKAGE), Map.of("B", 2));
        Harness.check(m, Map.of("B", 2), -1, 1, 0);
    }

    @Test
    void aStepThatWouldTakeTooManyArraysStaysStraight() {
        // each layer sums 210 products in one fused loop, which names 211 arrays that differ from layer to layer
        int terms = Repeats.MAX_PARAMS + 10;
        StringBuilder text = new StringBuilder("model Wide {\n  dim B\n  input x : f32[B, 2]\n");
        List<String> sum = new java.util.ArrayList<>();
        for (int k = 0; k < terms; k++) {
            text.append("  param a").append(k).append("[5] : f32[2] = normal(0, 0.1)\n");
            sum.add("h * a" + k + "[i]");
        }
        text.append("  h = x\n  for i in 0..5 {\n    h = tanh(").append(String.join(" + ", sum))
                .append(")\n  }\n  loss l = mean(h * h)\n}\n");
        ModelGraph m = Harness.model(text.toString());
        String src = same(m, Compiler.Options.of(Harness.PACKAGE), Map.of("B", 2));
        // every layer's sum is written out (folded, only the first repetition's names would appear)
        assertTrue(src.contains(": h_4 = tanh("), src);
        assertTrue(src.contains(": h_3 = tanh("), src);
        Harness.check(m, Map.of("B", 2), -1, 1, 0);
    }

    @Test
    void fewRepetitionsStayStraight() {
        ModelGraph m = Harness.model(deep("f32", 3, 4));
        String src = CompiledModel.of(m, Compiler.Options.of(Harness.PACKAGE)).javaSource();
        assertFalse(src.contains("Loop0"), src);
    }

    @Test
    void shapesIgnoreCommentsOutsideLiterals() {
        assertEquals("a = b;\nc = \"// kept\";\n", Repeats.withoutComments("a = b;  // gone\nc = \"// kept\";\n")
                .replace("  \n", "\n"));
        assertEquals("x = '\"';\n", Repeats.withoutComments("x = '\"'; // gone\n").replace(" \n", "\n"));
    }

    @Test
    void aRunIsTheLongestCoverAndItsShortestBlock() {
        int[] keys = {9, 1, 2, 1, 2, 1, 2, 1, 2, 7};
        assertEquals(4, Repeats.repeats(keys, 1, 2));
        assertEquals(1, Repeats.repeats(keys, 0, 3));
        assertEquals(3, Repeats.repeats(new int[] {5, 5, 5}, 0, 1));
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    /**
     * The model's source, after checking that it and the straight code (every step written out) give the same bits
     * for the loss and every gradient, on the same inputs and parameters.
     */
    private static String same(ModelGraph m, Compiler.Options options, Map<String, Integer> dims) {
        CompiledModel cm = CompiledModel.of(m, options);
        String folded = cm.javaSource();
        String straight = JavaEmitter.emitStraight(cm.plan(), Set.of(), options.packageName(), cm.className())
                .toString();
        assertFalse(straight.contains("Loop0("), straight);
        String name = options.packageName() + "." + cm.className();
        AdjointModel a = load(name, folded);
        AdjointModel b = load(name, straight);
        Map<String, Tensor> in = Harness.inputs(m, dims, 7, -1, 1, 0);
        GradientResult ga = a.gradient(in);
        GradientResult gb = b.gradient(in);
        assertEquals(Double.doubleToRawLongBits(gb.loss()), Double.doubleToRawLongBits(ga.loss()), "loss");
        assertEquals(List.copyOf(gb.gradients().keySet()), List.copyOf(ga.gradients().keySet()));
        gb.gradients().forEach((k, t) -> {
            Tensor u = ga.gradients().get(k);
            if (t instanceof FloatTensor f) {
                assertArrayEquals(f.data(), ((FloatTensor) u).data(), k);
            } else {
                assertArrayEquals(((DoubleTensor) t).data(), ((DoubleTensor) u).data(), k);
            }
        });
        return folded;
    }

    private static AdjointModel load(String name, String src) {
        try {
            return new InMemoryCompiler("-Xlint:all", "-Werror").load(name, src, 3);
        } catch (InMemoryCompiler.CompilationException e) {
            throw new AssertionError(e.getMessage() + "\n" + Harness.numbered(src), e);
        }
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int at = s.indexOf(part); at >= 0; at = s.indexOf(part, at + 1)) {
            n++;
        }
        return n;
    }

    /** The text of a method, from its declaration to the closing brace at its indentation. */
    private static String method(String src, String name) {
        int start = src.indexOf("private void " + name + "(");
        assertTrue(start >= 0, src);
        int end = src.indexOf("\n    }\n", start);
        return src.substring(start, end);
    }

    private static String signature(String method) {
        return method.substring(0, method.indexOf('{'));
    }
}
