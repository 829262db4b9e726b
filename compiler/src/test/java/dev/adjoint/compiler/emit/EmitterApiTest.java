package dev.adjoint.compiler.emit;

import static dev.adjoint.compiler.emit.Harness.compile;
import static dev.adjoint.compiler.emit.Harness.dims;
import static dev.adjoint.compiler.emit.Harness.model;
import static dev.adjoint.compiler.emit.Harness.sample;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.CompiledModel;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.FrontEnd;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.GradientResult;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Tensor;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The generated class as an AdjointModel: determinism, input checks, models without a loss, method sizes. */
class EmitterApiTest {
    @Test
    void emittingTwiceGivesIdenticalSource() throws Exception {
        String a = CompiledModel.of(sample("digits.model"), Compiler.Options.of("p")).javaSource();
        String b = CompiledModel.of(sample("digits.model"), Compiler.Options.of("p")).javaSource();
        assertEquals(a, b);
        assertTrue(a.contains("@Generated(\"dev.adjoint\")"), a);
        assertTrue(a.contains("implements AdjointModel"), a);
    }

    @Test
    void theDigitsBackwardPassReadsLikeATextbook() throws Exception {
        String src = CompiledModel.of(sample("digits.model"), Compiler.Options.of("p")).javaSource();
        assertTrue(src.contains("// digits.model:12: h = relu(t7) : f32[B, 32]\n"), src);
        assertTrue(src.contains("MatMul.matmul(w.h, W2, w.t9, w.B, 32, 10, false);"), src);
        assertTrue(src.contains("(adjoint of logits)"), src);
        // the weight gradient reads x transposed in place: no transpose is materialized, no broadcast copied
        assertTrue(src.contains("MatMul.matmulTransA(w.x, w.dt7, w.dW1, 64, w.B, 32, false);"), src);
        assertTrue(src.contains("MatMul.matmulTransB(w.dlogits, W2, w.dh, w.B, 10, 32, false);"), src);
        assertFalse(src.contains("Transpose.") || src.contains("Broadcast.broadcastTo") || src.contains("oneHot"), src);
        // the bias add: b1 copied into the rows of t7, then one flat loop (which C2 vectorizes)
        assertTrue(src.contains("Broadcast.rows(b1, 32, w.t7, 32 * w.B);"), src);
        assertTrue(src.contains("w.t7[i] = w.t6[i] + w.t7[i];"), src);
        // the gradient of W1 is a view of its buffer, made once per workspace; gradient() copies it
        assertTrue(src.contains("grads.put(\"W1\", FloatTensor.wrap(buf"), src);
        // the one-hot row of the cross-entropy adjoint is a comparison inside the fused loop of dlogits
        assertTrue(src.contains("w.dlogits[o + j] = (w.probs[o + j] - (((Labels.check("), src);
        assertTrue(src.contains("public FloatTensor W1() {"), src);
    }

    @Test
    void sameSeedSameParametersAndTheyMatchTheRuntimeInitializer() throws Exception {
        ModelGraph m = sample("digits.model");
        AdjointModel a = compile(m, 3);
        AdjointModel b = compile(m, 3);
        AdjointModel c = compile(m, 4);
        assertEquals(a.parameters(), b.parameters());
        assertNotEquals(a.parameters().get("W1"), c.parameters().get("W1"));
        assertEquals(dev.adjoint.runtime.Initializer.heNormal().f32(3, "W1", 64, 32), a.parameters().get("W1"));
        a.initParameters(4);
        assertEquals(c.parameters(), a.parameters());
    }

    @Test
    void wrongInputShapeThrowsTheRuntimesMessage() throws Exception {
        AdjointModel m = compile(sample("digits.model"), 0);
        Map<String, Tensor> bad = Map.of("x", FloatTensor.zeros(2, 63), "y", IntTensor.zeros(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> m.forward(bad));
        assertEquals("input x: expected f32[B, 64], got f32[2, 63] (dimension 2 is 63, expected 64)",
                e.getMessage());
        Map<String, Tensor> inconsistent = Map.of("x", FloatTensor.zeros(2, 64), "y", IntTensor.zeros(3));
        assertThrows(IllegalArgumentException.class, () -> m.gradient(inconsistent));
        Map<String, Tensor> missing = Map.of("x", FloatTensor.zeros(2, 64));
        e = assertThrows(IllegalArgumentException.class, () -> m.forward(missing));
        assertEquals("input y: expected i32[B], got nothing", e.getMessage());
        Map<String, Tensor> label = Map.of("x", FloatTensor.zeros(1, 64), "y", IntTensor.of(new int[] {10}, 1));
        assertThrows(IllegalArgumentException.class, () -> m.forward(label));
    }

    @Test
    void gradientsAreFreshAndParamsOffTheLossPathGetZeros() {
        ModelGraph g = model("""
                model Fresh {
                  input grad x : f32[2]
                  param a : f32[2] = ones
                  param off : f32[3] = ones
                  loss = sum(x + a)
                }
                """);
        AdjointModel m = compile(g, 1);
        Map<String, Tensor> in = Map.of("x", FloatTensor.of(new float[] {1, 2}, 2));
        GradientResult r = m.gradient(in);
        assertEquals(FloatTensor.zeros(3), r.gradient("off"));
        assertEquals(FloatTensor.of(new float[] {1, 1}, 2), r.gradient("a"));
        assertNotSame(((FloatTensor) r.gradient("a")).data(), ((FloatTensor) r.gradient("x")).data());
        assertNotSame(((FloatTensor) m.parameters().get("a")).data(), ((FloatTensor) r.gradient("a")).data());
    }

    @Test
    void aComparisonMaskIsBroadcastToTheValuesItSelects() {
        ModelGraph g = model("""
                model Masked {
                  dim B
                  input x : f64[B, 3]
                  param p : f64[3] = uniform(0, 1)
                  output y = where(p > 0.5, x, x * 2)
                  loss l = sum(where(p > 0.5, x * p, p * p))
                }
                """);
        Harness.check(g, Map.of("B", 2), -1, 1, 0);
    }

    @Test
    void unsupportedOpsFailAtEmitTimeWithAClearMessage() {
        ModelGraph ints = model("""
                model IntPad {
                  input k : i32[4]
                  param w : f64[4] = ones
                  output s = k[1:3]
                  loss l = sum(w)
                }
                """);
        // A mask at the API boundary, which the emitter cannot return, never reaches it: check refuses it
        // (issue 15; it was an internal error at emit time).
        FrontEnd.Result masks = FrontEnd.analyze(new SourceFile("mask.model", """
                model MaskOut {
                  input x : f64[3]
                  output m = x > 0
                }
                """));
        assertTrue(!masks.ok() && masks.diagnostics().format().startsWith("mask.model:3:14: error: output m is a"
                + " comparison mask"), masks.diagnostics().format());
        CompiledModel.of(ints, Compiler.Options.of("p")).javaSource(); // slicing i32 needs no pad (no gradient flows into i32)
    }

    @Test
    void integerReductionsAndOneHotAreExact() {
        ModelGraph g = model("""
                model Ints {
                  input k : i32[2, 3]
                  input x : f64[3]
                  s = sum(k, axis=0)
                  m = max(k, axis=1)
                  h = one_hot(m, 9, dtype=i32)
                  loss l = sum(cast(s, f64) * x) + sum(cast(h, f64))
                }
                """);
        AdjointModel m = compile(g, 1);
        Map<String, Tensor> in = Map.of(
                "k", dev.adjoint.runtime.IntTensor.of(new int[] {1, 5, 2, 7, 3, 8}, 2, 3),
                "x", dev.adjoint.runtime.DoubleTensor.of(new double[] {1, 10, 100}, 3));
        // s = [8, 8, 10]; l = 8 + 80 + 1000 + 2 (two one-hot rows)
        assertEquals(1090.0, m.gradient(in).loss());
    }

    @Test
    void aModelWithoutLossHasForwardOnly() {
        ModelGraph g = model("""
                model NoLoss {
                  dim B
                  input x : f64[B]
                  output y = x * 2
                }
                """);
        AdjointModel m = compile(g, 1);
        assertFalse(m.hasLoss());
        Map<String, Tensor> in = Map.of("x", dev.adjoint.runtime.DoubleTensor.of(new double[] {1, 2}, 2));
        assertEquals(dev.adjoint.runtime.DoubleTensor.of(new double[] {2, 4}, 2), m.forward(in).output("y"));
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, () -> m.gradient(in));
        assertTrue(e.getMessage().contains("NoLoss"), e.getMessage());
        Harness.check(g, dims("B", 3), -1, 1, 1);
    }

    @Test
    void fourHundredLayersKeepEveryMethodSmall() throws Exception {
        ModelGraph m = model("""
                model Deep {
                  const L = 400
                  dim B
                  input x : f32[B, 8]
                  param W[L] : f32[8, 8] = normal(0, 0.3)
                  param b[L] : f32[8] = zeros
                  h = x
                  for i in 0..L {
                    h = tanh(h @ W[i] + b[i])
                  }
                  loss = mean(h * h)
                }
                """);
        String src = CompiledModel.of(m, Compiler.Options.of(Harness.PACKAGE)).javaSource();
        Map<String, byte[]> classes = new InMemoryCompiler("-Xlint:all", "-Werror").compile(Harness.PACKAGE + ".Deep",
                src);
        int biggest = 0;
        for (byte[] c : classes.values()) {
            for (Map.Entry<String, Integer> e : ClassFiles.codeLengths(c).entrySet()) {
                assertTrue(e.getValue() < 8000, () -> e.getKey() + " has " + e.getValue() + " bytes of bytecode");
                biggest = Math.max(biggest, e.getValue());
            }
        }
        assertTrue(biggest > 0);
        System.out.println("400-layer model: largest method has " + biggest + " bytes of bytecode");
        Harness.check(m, dims("B", 2), -1, 1, 1);
    }
}
