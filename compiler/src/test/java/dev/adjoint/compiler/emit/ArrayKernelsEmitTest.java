package dev.adjoint.compiler.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.CompiledModel;
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
 * A loop whose last op is {@code exp}, {@code log}, {@code tanh} or {@code sigmoid} computes the argument, then
 * applies {@code ArrayMath} over the whole array (vectorized): every element has exactly the bits of a
 * {@code FastMath} call on the argument, whether the argument is a fused expression or a stored value, in f32 and f64.
 */
class ArrayKernelsEmitTest {
    private static final String F32 = """
            model K32 {
              dim B
              input x : f32[B, 7]
              input c : f32[7]
              output a = x * 2 + c
              output t = tanh(x * 2 + c)
              output e = exp(x - c)
              output s = sigmoid(a)
              output l = log(x * x + 1)
            }
            """;

    @Test
    void f32ElementsAreFastMathOfTheArgumentBitForBit() {
        ModelGraph m = Harness.model(F32);
        String src = CompiledModel.of(m, Compiler.Options.of("p")).javaSource();
        for (String f : new String[] {"tanh", "exp", "sigmoid", "log"}) {
            assertTrue(src.contains("ArrayMath." + f + "("), f + " over the array:\n" + src);
        }
        AdjointModel model = Harness.compile(m, 1);
        Random r = new Random(3);
        int b = 5;
        float[] x = new float[b * 7];
        float[] c = new float[7];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * 3);
        }
        for (int i = 0; i < c.length; i++) {
            c[i] = (float) r.nextGaussian();
        }
        Map<String, Tensor> out = model.forward(Map.of("x", FloatTensor.of(x, b, 7), "c", FloatTensor.of(c, 7)))
                .outputs();
        float[] a = ((FloatTensor) out.get("a")).data();
        float[] t = ((FloatTensor) out.get("t")).data();
        float[] e = ((FloatTensor) out.get("e")).data();
        float[] s = ((FloatTensor) out.get("s")).data();
        float[] l = ((FloatTensor) out.get("l")).data();
        for (int i = 0; i < x.length; i++) {
            float arg = x[i] * 2f + c[i % 7];
            assertEquals(arg, a[i], "a " + i);
            assertEquals(Float.floatToIntBits(FastMath.tanh(arg)), Float.floatToIntBits(t[i]), "tanh " + i);
            assertEquals(Float.floatToIntBits(FastMath.exp(x[i] - c[i % 7])), Float.floatToIntBits(e[i]), "exp " + i);
            assertEquals(Float.floatToIntBits(FastMath.sigmoid(a[i])), Float.floatToIntBits(s[i]), "sigmoid " + i);
            assertEquals(Float.floatToIntBits(FastMath.log(x[i] * x[i] + 1f)), Float.floatToIntBits(l[i]), "log " + i);
        }
    }

    @Test
    void f64ElementsAreFastMathOfTheArgumentBitForBit() {
        ModelGraph m = Harness.model(F32.replace("f32", "f64").replace("K32", "K64"));
        AdjointModel model = Harness.compile(m, 1);
        Random r = new Random(4);
        int b = 3;
        double[] x = new double[b * 7];
        double[] c = new double[7];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextGaussian() * 3;
        }
        for (int i = 0; i < c.length; i++) {
            c[i] = r.nextGaussian();
        }
        Map<String, Tensor> out = model.forward(Map.of("x", DoubleTensor.of(x, b, 7), "c", DoubleTensor.of(c, 7)))
                .outputs();
        double[] t = ((DoubleTensor) out.get("t")).data();
        double[] s = ((DoubleTensor) out.get("s")).data();
        double[] l = ((DoubleTensor) out.get("l")).data();
        for (int i = 0; i < x.length; i++) {
            double arg = x[i] * 2 + c[i % 7];
            assertEquals(Double.doubleToLongBits(FastMath.tanh(arg)), Double.doubleToLongBits(t[i]), "tanh " + i);
            assertEquals(Double.doubleToLongBits(FastMath.sigmoid(arg)), Double.doubleToLongBits(s[i]), "sigmoid " + i);
            assertEquals(Double.doubleToLongBits(FastMath.log(x[i] * x[i] + 1)), Double.doubleToLongBits(l[i]),
                    "log " + i);
        }
    }
}
