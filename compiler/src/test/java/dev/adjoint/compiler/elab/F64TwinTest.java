package dev.adjoint.compiler.elab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.CheckReport;
import dev.adjoint.compiler.FrontEnd;
import dev.adjoint.compiler.diag.SourceFile;
import org.junit.jupiter.api.Test;

/** The f64 twin of a model: every f32 read as f64, the graph otherwise the same. */
class F64TwinTest {
    private static final String MODEL = """
            model M {
              dim B
              input x : f32[B, 3]
              input y : i32[B]
              param W : f32[3, 2] = zeros
              h = cast(y, f32) + sum(x @ W, axis=1)
              loss l = mean(h)
            }
            """;

    @Test
    void everyF32BecomesF64AndI32Stays() {
        FrontEnd.Result r = FrontEnd.analyze(new SourceFile("m.model", MODEL), true);
        assertTrue(r.ok(), () -> r.diagnostics().format());
        String report = CheckReport.format(r.models());
        assertTrue(report.contains("input x : f64[B, 3]"), report);
        assertTrue(report.contains("input y : i32[B]"), report);
        assertTrue(report.contains("param W : f64[3, 2] = zeros"), report);
        assertTrue(report.contains("value h : f64[B]"), report);
        assertTrue(report.contains("loss  l : f64[]"), report);
        FrontEnd.Result plain = FrontEnd.analyze(new SourceFile("m.model", MODEL));
        assertEquals(plain.models().get(0).graph().size(), r.models().get(0).graph().size());
        assertTrue(CheckReport.format(plain.models()).contains("loss  l : f32[]"));
    }
}
