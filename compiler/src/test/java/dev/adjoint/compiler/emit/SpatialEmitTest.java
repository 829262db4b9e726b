package dev.adjoint.compiler.emit;

import static dev.adjoint.compiler.emit.Harness.compile;
import static dev.adjoint.compiler.emit.Harness.dims;
import static dev.adjoint.compiler.emit.Harness.model;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Tensor;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The generated code of {@code conv2d}, the poolings and {@code take} (the runtime kernels Conv2d, Pool2d and
 * Gather) against the reference interpreter, in f64 and f32, forward and gradient, at two batch sizes.
 */
class SpatialEmitTest {
    private static final String NETWORK = """
            model Spatial {
              dim B
              input grad x : T[B, 2, 7, 6]
              input t : i32[B, 2]
              param K1 : T[3, 2, 3, 3] = normal(0, 0.5)
              param c1 : T[3, 1, 1]    = normal(0, 0.1)
              param K2 : T[4, 3, 2, 2] = normal(0, 0.5)
              param E  : T[5, 2]       = normal(0, 1)
              h = tanh(conv2d(x, K1, padding=1) + c1)                          // [B, 3, 7, 6]
              p = max_pool2d(h, 2, stride=[2, 1], padding=[1, 0])              // [B, 3, 4, 5]
              q = avg_pool2d(conv2d(p, K2, stride=[1, 2], dilation=[2, 1]), [2, 1], padding=[1, 0])
              e = take(E, t)                                                   // [B, 2, 2]
              output o1 = q
              output o2 = e
              output o3 = avg_pool2d(h, 3, stride=2, padding=1)
              loss l = sum(q * q) + sum(e * reshape(sum(q, axis=[1, 3]), [B, 2, 1])) + max(o3)
            }
            """;

    @ParameterizedTest
    @ValueSource(strings = {"f64", "f32"})
    void generatedCodeAgreesWithTheInterpreter(String type) {
        ModelGraph m = model(NETWORK.replace("T[", type + "["));
        AdjointModel compiled = compile(m, 7);
        for (int b : new int[] {1, 3}) {
            Harness.check(compiled, m, dims("B", b), 11 + b, -1, 1, 5);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 4})
    void anOutOfRangeIndexNamesTheInputAndTheIndex(int bad) {
        AdjointModel compiled = compile(model("""
                model Embed {
                  dim B
                  input  i : i32[B, 2]
                  param  E : f32[4, 3] = normal(0, 1)
                  loss l = sum(take(E, i))
                }
                """), 1);
        Map<String, Tensor> in = Map.of("i", IntTensor.of(new int[] {0, 1, 3, bad}, 2, 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> compiled.gradient(in));
        assertEquals("take: index " + bad + " at [1, 1] of i is out of range for a table of 4 rows"
                + " (valid: 0..3)", e.getMessage());
    }
}
