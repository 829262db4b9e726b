package dev.adjoint.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.diag.Diagnostics;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.plan.ExecutionPlan;
import org.junit.jupiter.api.Test;

/**
 * Where javac's limits on the generated class bite (issue 15, item 4), as errors at the model instead of an
 * internal error after minutes of javac: the constant pool of the class's workspace (a field per stored value),
 * and the depth of one fused loop's expression.
 */
class JavacLimitsTest {

    /** {@code h = tanh(h)} {@code steps} times on a param, with a loss: one stored value per step. */
    private static CompiledModel chain(int steps) {
        String source = "model Deep {\n  input x : f32[3]\n  param w : f32[3] = ones\n  h = x * w\n"
                + "  for i in 0.." + steps + " { h = tanh(h) }\n  loss l = sum(h)\n}\n";
        Compilation c = Compiler.compile(new SourceFile("deep.model", source), Compiler.Options.of("p"));
        assertTrue(c.ok(), c.diagnostics().format());
        return c.models().get(0);
    }

    @Test
    void moreStoredValuesThanTheConstantPoolHoldsAreAnErrorAtTheModel() {
        // javac refuses 10,002 buffers ("too many constants", after 25 s); the limit says so before emitting
        CompiledModel m = chain(9_100);
        assertTrue(m.plan().buffers().size() > CompiledModel.MAX_BUFFERS);
        ModelTooLargeException e = assertThrows(ModelTooLargeException.class, m::javaSource);
        Diagnostics d = new Diagnostics();
        d.add(e.diagnostic());
        assertEquals("deep.model:1:7: error: model Deep is too large to compile: its class would hold 9,102 stored"
                + " values, and javac takes at most about 9,000 (the constant pool of a Java class); split it, or"
                + " use fewer steps", d.format().lines().findFirst().orElseThrow());
    }

    @Test
    void aLongChainIsFusedInBoundedExpressionsAndCompiles() {
        // The backward pass of a chain fused into one expression 1,000 deep: JavaPoet overflowed the stack emitting
        // it, and at 5,000 javac refused the method ("code too large").
        CompiledModel m = chain(1_000);
        for (ExecutionPlan.Step s : m.plan().steps()) {
            assertTrue(s.fused().size() < 64, () -> s.node() + " fuses " + s.fused().size() + " values");
        }
        assertEquals(1, m.load(1).parameters().size());
    }
}
