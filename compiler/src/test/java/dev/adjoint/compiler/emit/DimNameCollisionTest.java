package dev.adjoint.compiler.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.Compilation;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.GradientResult;
import dev.adjoint.runtime.Tensor;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A dim may be called anything the language accepts, in particular any name the generated code uses for a local
 * variable, a parameter or a field of its own: dims become fields and constructor parameters of the workspace
 * (found: {@code dim out} and {@code dim grads} made the generated class fail to compile).
 */
class DimNameCollisionTest {
    /** Locals, parameters and fields of generated code, and the loop indices of its fused loops. */
    private static final List<String> NAMES = List.of("out", "grads", "sizes", "held", "bytes", "steps",
            "evaluation", "heldForBackward", "HELD_FOR_BACKWARD", "w", "inputs", "dims", "seed", "name", "value",
            "i", "r", "k", "inMode", "step", "i0", "j", "o", "s", "e0", "workspaces", "params", "buffers", "buf0",
            "measure", "measure0", "alloc0");

    @Test
    void everyDimNameCompilesAndRuns() {
        StringBuilder model = new StringBuilder("model M {\n");
        StringBuilder loss = new StringBuilder("  loss l = sum(x * p)");
        for (String n : NAMES) {
            model.append("  dim ").append(n).append('\n');
        }
        model.append("  input x : f32[").append(NAMES.get(0)).append(", 3]\n");
        for (int i = 1; i < NAMES.size(); i++) {
            model.append("  input x").append(i).append(" : f32[").append(NAMES.get(i)).append("]\n");
            loss.append(" + sum(x").append(i).append(" * x").append(i).append(')');
        }
        model.append("  param p : f32[3] = ones\n").append(loss).append("\n}\n");
        Compilation c = Compiler.compile(new SourceFile("m.model", model.toString()), Compiler.Options.of("p"));
        assertTrue(c.ok(), () -> c.diagnostics().format() + "\n" + model);
        AdjointModel m = new InMemoryCompiler().load(c.models().get(0).qualifiedClassName(),
                c.models().get(0).javaSource(), 1);
        Map<String, Tensor> in = new LinkedHashMap<>();
        in.put("x", FloatTensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
        for (int i = 1; i < NAMES.size(); i++) {
            in.put("x" + i, FloatTensor.of(new float[] {i}, 1));
        }
        GradientResult r = m.gradient(in);
        double squares = 0;
        for (int i = 1; i < NAMES.size(); i++) {
            squares += (double) i * i;
        }
        assertEquals(21 + squares, r.loss(), 1e-9);
        assertEquals(5.0, r.gradients().get("p").getAsDouble(0), 0);
    }
}
