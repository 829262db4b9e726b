package dev.adjoint.compiler.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.CompiledModel;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FastMath;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.Tensor;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * relu's backward mask {@code where(x > 0, a, 0)} over stored values runs as {@code ArrayMath.wherePositive}, and a
 * sum (or mean) of a stored value over its leading axes as {@code ArrayMath.columnSums}; every element has the bits
 * of the loop the emitter writes otherwise (the per-element formula here), in f32 and f64. Masks of another form,
 * and sums over trailing axes, keep their loops. A sum over every axis but axis 1 runs as
 * {@code ArrayMath.channelSums}.
 */
class BackwardKernelsEmitTest {
    private static final String F32 = """
            model M32 {
              dim B
              input x : f32[B, 40]
              input a : f32[B, 40]
              output m = where(x > 0, a, 0)
              output g = where(x >= 0, a, 0)
              output cs = sum(a, axis=0)
              output u = mean(a, axis=0)
              output r = sum(a, axis=1)
            }
            """;

    @Test
    void f32MaskAndColumnSumsRunAsKernelsWithTheLoopsBits() {
        ModelGraph m = Harness.model(F32);
        String src = CompiledModel.of(m, Compiler.Options.of("p")).javaSource();
        assertTrue(src.contains("ArrayMath.wherePositive(w.x, w.a, w.m)"), src);
        assertFalse(src.contains("ArrayMath.wherePositive(w.x, w.a, w.g)"), "x >= 0 is another mask:\n" + src);
        assertTrue(src.contains("ArrayMath.columnSums(w.a, w.B, 40, w.cs)"), src);
        assertTrue(src.contains("ArrayMath.columnSums(w.a, w.B, 40, w.u)"), src);
        assertFalse(src.contains("columnSums(w.a, w.B, 40, w.r)"), src);
        AdjointModel model = Harness.compile(m, 1);
        Random r = new Random(5);
        int b = 37;
        float[] x = new float[b * 40];
        float[] a = new float[b * 40];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(5) == 0 ? (r.nextBoolean() ? 0f : -0f) : (float) r.nextGaussian();
            a[i] = r.nextInt(7) == 0 ? -0f : (float) r.nextGaussian();
        }
        Map<String, Tensor> out = model.forward(Map.of("x", FloatTensor.of(x, b, 40), "a", FloatTensor.of(a, b, 40)))
                .outputs();
        float[] mask = ((FloatTensor) out.get("m")).data();
        float[] sums = ((FloatTensor) out.get("cs")).data();
        float[] means = ((FloatTensor) out.get("u")).data();
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToRawIntBits(FastMath.where(x[i] > 0.0f, a[i], 0.0f)),
                    Float.floatToRawIntBits(mask[i]), "mask " + i);
        }
        for (int j = 0; j < 40; j++) {
            float s = 0;
            for (int i = 0; i < b; i++) {
                s += a[i * 40 + j];
            }
            assertEquals(Float.floatToRawIntBits(s), Float.floatToRawIntBits(sums[j]), "sum " + j);
            assertEquals(Float.floatToRawIntBits(s / b), Float.floatToRawIntBits(means[j]), "mean " + j);
        }
    }

    private static final String CHANNELS = """
            model MC {
              dim B
              input x : f32[B, 5, 3, 4]
              input a : f32[B, 5, 3, 4]
              output m = where(x > 0, a, 0)
              output ms = sum(m, axis=[0, 2, 3])
              output cs = sum(a, axis=[0, 2, 3])
              output u = mean(a, axis=[0, 2, 3])
              output other = sum(a, axis=[0, 1, 3])
            }
            """;

    /**
     * A sum over every axis but the channels (a convolution's bias gradient) of a stored value, or of relu's mask
     * stored on the way, runs as {@code ArrayMath.channelSums} (the mask as {@code wherePositive}), with the bits of
     * the loop the emitter writes otherwise: each run of an image's channel added in double, then rounded and added
     * image by image. Five channels: four side by side and one alone.
     */
    @Test
    void channelSumsRunAsAKernelWithTheLoopsBits() {
        ModelGraph m = Harness.model(CHANNELS);
        String src = CompiledModel.of(m, Compiler.Options.of("p")).javaSource();
        assertTrue(src.contains("ArrayMath.wherePositive(w.x, w.a, w.m)"), src);
        assertTrue(src.contains("ArrayMath.channelSums(w.m, w.B, 5, 12, w.ms)"), src);
        assertTrue(src.contains("ArrayMath.channelSums(w.a, w.B, 5, 12, w.cs)"), src);
        assertTrue(src.contains("ArrayMath.channelSums(w.a, w.B, 5, 12, w.u)"), src);
        assertFalse(src.contains("channelSums(w.a, w.B, 5, 12, w.other)"), src);
        AdjointModel model = Harness.compile(m, 1);
        Random r = new Random(7);
        int b = 6;
        float[] x = new float[b * 60];
        float[] a = new float[b * 60];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(5) == 0 ? (r.nextBoolean() ? 0f : -0f) : (float) r.nextGaussian();
            a[i] = r.nextInt(7) == 0 ? -0f : (float) r.nextGaussian();
        }
        Map<String, Tensor> out = model.forward(Map.of("x", FloatTensor.of(x, b, 5, 3, 4), "a",
                FloatTensor.of(a, b, 5, 3, 4))).outputs();
        float[] mask = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            mask[i] = FastMath.where(x[i] > 0.0f, a[i], 0.0f);
        }
        float[][] sums = {((FloatTensor) out.get("ms")).data(), ((FloatTensor) out.get("cs")).data(),
            ((FloatTensor) out.get("u")).data()};
        float[][] of = {mask, a, a};
        for (int k = 0; k < 3; k++) {
            for (int c = 0; c < 5; c++) {
                float want = 0;
                for (int n = 0; n < b; n++) {
                    double s = 0;
                    for (int j = 0; j < 12; j++) {
                        s += of[k][(n * 5 + c) * 12 + j];
                    }
                    want += (float) s;
                }
                if (k == 2) {
                    want /= b * 12;
                }
                assertEquals(Float.floatToRawIntBits(want), Float.floatToRawIntBits(sums[k][c]), k + ", channel " + c);
            }
        }
    }

    @Test
    void f64ChannelSumsToo() {
        ModelGraph m = Harness.model(CHANNELS.replace("f32", "f64").replace("MC", "MC64"));
        String src = CompiledModel.of(m, Compiler.Options.of("p")).javaSource();
        assertTrue(src.contains("ArrayMath.wherePositive(w.x, w.a, w.m)"), src);
        assertTrue(src.contains("ArrayMath.channelSums(w.m, w.B, 5, 12, w.ms)"), src);
        assertTrue(src.contains("ArrayMath.channelSums(w.a, w.B, 5, 12, w.cs)"), src);
        AdjointModel model = Harness.compile(m, 1);
        Random r = new Random(8);
        int b = 3;
        double[] x = new double[b * 60];
        double[] a = new double[b * 60];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(5) == 0 ? -0d : r.nextGaussian();
            a[i] = r.nextGaussian() * Math.pow(10, r.nextInt(9) - 4);
        }
        Map<String, Tensor> out = model.forward(Map.of("x", DoubleTensor.of(x, b, 5, 3, 4), "a",
                DoubleTensor.of(a, b, 5, 3, 4))).outputs();
        double[][] sums = {((DoubleTensor) out.get("ms")).data(), ((DoubleTensor) out.get("cs")).data()};
        for (int k = 0; k < 2; k++) {
            for (int c = 0; c < 5; c++) {
                double want = 0;
                for (int n = 0; n < b; n++) {
                    double s = 0;
                    for (int j = 0; j < 12; j++) {
                        int i = (n * 5 + c) * 12 + j;
                        s += k == 0 ? FastMath.where(x[i] > 0.0, a[i], 0.0) : a[i];
                    }
                    want += s;
                }
                assertEquals(Double.doubleToRawLongBits(want), Double.doubleToRawLongBits(sums[k][c]),
                        k + ", channel " + c);
            }
        }
    }

    @Test
    void f64MaskAndColumnSumsToo() {
        ModelGraph m = Harness.model(F32.replace("f32", "f64").replace("M32", "M64"));
        String src = CompiledModel.of(m, Compiler.Options.of("p")).javaSource();
        assertTrue(src.contains("ArrayMath.wherePositive(w.x, w.a, w.m)"), src);
        assertTrue(src.contains("ArrayMath.columnSums(w.a, w.B, 40, w.cs)"), src);
        AdjointModel model = Harness.compile(m, 1);
        Random r = new Random(6);
        int b = 9;
        double[] x = new double[b * 40];
        double[] a = new double[b * 40];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextInt(5) == 0 ? -0d : r.nextGaussian();
            a[i] = r.nextGaussian();
        }
        Map<String, Tensor> out = model.forward(Map.of("x", DoubleTensor.of(x, b, 40), "a",
                DoubleTensor.of(a, b, 40))).outputs();
        double[] mask = ((DoubleTensor) out.get("m")).data();
        double[] sums = ((DoubleTensor) out.get("cs")).data();
        for (int i = 0; i < x.length; i++) {
            assertEquals(Double.doubleToRawLongBits(FastMath.where(x[i] > 0.0, a[i], 0.0)),
                    Double.doubleToRawLongBits(mask[i]), "mask " + i);
        }
        for (int j = 0; j < 40; j++) {
            double s = 0;
            for (int i = 0; i < b; i++) {
                s += a[i * 40 + j];
            }
            assertEquals(Double.doubleToRawLongBits(s), Double.doubleToRawLongBits(sums[j]), "sum " + j);
        }
    }
}
