package dev.adjoint.compiler.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.CompiledModel;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.Tensor;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A loop whose one operand of another shape is a row repeated along the leading axes copies the row into the
 * output's rows ({@code Broadcast.rows}) and reads it back in a flat loop; other broadcasts keep the loop nest,
 * whose innermost loop runs from the output's offset when every operand along it is read where the output is written.
 * Either way every element has the bits of the plain expression, in f32 and f64.
 */
class BroadcastRowsEmitTest {
    private static final String MODEL = """
            model R32 {
              dim B
              input x : f32[B, 3, 5]
              input p : f32[3, 5]
              input v : f32[5]
              input s : f32[B, 1, 1]
              output a = x * 2 + v
              output b = p - x
              output c = (x + v) * p
              output d = x * s + v
              output e = x * s
            }
            """;

    @Test
    void f32RowsAreCopiedThenReadBackWithTheSameBits() {
        ModelGraph m = Harness.model(MODEL);
        String src = CompiledModel.of(m, Compiler.Options.of("p")).javaSource();
        assertTrue(src.contains("Broadcast.rows(w.v, 5, w.a, 15 * w.B);"), src);
        assertTrue(src.contains("Broadcast.rows(w.p, 15, w.b, 15 * w.B);"), src);
        // d is e + v after common subexpressions, e stored: a row again
        assertTrue(src.contains("Broadcast.rows(w.v, 5, w.d, 15 * w.B);"), src);
        // two row operands (c): the loop nest
        assertFalse(src.contains("w.c, 15 * w.B"), src);
        // an operand broadcast along the innermost loop beside operands read where the output is written: the
        // loop runs from the output's offset and indexes them by j alone
        assertTrue(src.contains("for (int j = o; j < o + 15; j++)"), src);
        assertTrue(src.contains("float v1 = w.s_[o2];"), src);
        assertTrue(src.contains("w.e[j] = w.x[j] * v1;"), src);
        AdjointModel model = Harness.compile(m, 1);
        Random r = new Random(5);
        int n = 4;
        float[] x = floats(r, n * 15);
        float[] p = floats(r, 15);
        float[] v = floats(r, 5);
        float[] s = floats(r, n);
        Map<String, Tensor> out = model.forward(Map.of("x", FloatTensor.of(x, n, 3, 5), "p", FloatTensor.of(p, 3, 5),
                "v", FloatTensor.of(v, 5), "s", FloatTensor.of(s, n, 1, 1))).outputs();
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i] * 2f + v[i % 5], at(out, "a", i), "a " + i);
            assertEquals(p[i % 15] - x[i], at(out, "b", i), "b " + i);
            assertEquals((x[i] + v[i % 5]) * p[i % 15], at(out, "c", i), "c " + i);
            assertEquals(x[i] * s[i / 15] + v[i % 5], at(out, "d", i), "d " + i);
            assertEquals(x[i] * s[i / 15], at(out, "e", i), "e " + i);
        }
    }

    /** The local an operand is read into before the innermost loop is not a parameter's name (v1 is renamed). */
    @Test
    void aHoistedOperandDoesNotShadowAParameter() {
        ModelGraph m = Harness.model("""
                model H {
                  dim B
                  input x : f32[B, 3, 5]
                  param v1 : f32[3, 1] = ones
                  output y = x * v1
                }
                """);
        String src = CompiledModel.of(m, Compiler.Options.of("p")).javaSource();
        assertTrue(src.contains("float v1 = v1_[o2];"), src);
        AdjointModel model = Harness.compile(m, 1);
        float[] x = floats(new Random(7), 2 * 15);
        float[] y = ((FloatTensor) model.forward(Map.of("x", FloatTensor.of(x, 2, 3, 5))).outputs().get("y")).data();
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i], y[i], "y " + i);
        }
    }

    @Test
    void f64RowsAreCopiedThenReadBackWithTheSameBits() {
        ModelGraph m = Harness.model(MODEL.replace("f32", "f64").replace("R32", "R64"));
        AdjointModel model = Harness.compile(m, 1);
        Random r = new Random(6);
        int n = 3;
        double[] x = r.doubles(n * 15).map(d -> d - 0.5).toArray();
        double[] p = r.doubles(15).toArray();
        double[] v = r.doubles(5).toArray();
        double[] s = r.doubles(n).toArray();
        Map<String, Tensor> out = model.forward(Map.of("x", DoubleTensor.of(x, n, 3, 5), "p",
                DoubleTensor.of(p, 3, 5), "v", DoubleTensor.of(v, 5), "s", DoubleTensor.of(s, n, 1, 1))).outputs();
        for (int i = 0; i < x.length; i++) {
            assertEquals(x[i] * 2 + v[i % 5], ((DoubleTensor) out.get("a")).data()[i], "a " + i);
            assertEquals(p[i % 15] - x[i], ((DoubleTensor) out.get("b")).data()[i], "b " + i);
            assertEquals(x[i] * s[i / 15] + v[i % 5], ((DoubleTensor) out.get("d")).data()[i], "d " + i);
        }
    }

    private static float[] floats(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) r.nextGaussian();
        }
        return a;
    }

    private static float at(Map<String, Tensor> out, String name, int i) {
        return ((FloatTensor) out.get(name)).data()[i];
    }
}
