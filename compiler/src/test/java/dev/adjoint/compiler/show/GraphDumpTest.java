package dev.adjoint.compiler.show;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.Compilation;
import dev.adjoint.compiler.CompiledModel;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.diag.SourceFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The text and DOT dumps of forward and gradient graphs. */
class GraphDumpTest {

    private static String resource(String path) throws IOException {
        try (InputStream in = Objects.requireNonNull(GraphDumpTest.class.getResourceAsStream(path), path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static CompiledModel model(String name, String text) {
        Compilation r = Compiler.compile(new SourceFile(name, text), Compiler.Options.defaults());
        assertTrue(r.ok(), () -> r.diagnostics().format());
        return r.models().get(0);
    }

    /** The digits backward pass, reviewed line by line against the hand derivation; see the golden file. */
    @Test
    void digitsGradientGraphMatchesGolden() throws IOException {
        CompiledModel m = model("digits.model", resource("/models/digits.model"));
        assertEquals(resource("/show/digits.gradient.txt"), GraphDump.text(m.stage("gradient"), "gradient"));
    }

    @Test
    void forwardStageHasNoAdjoints() throws IOException {
        String text = GraphDump.text(model("digits.model", resource("/models/digits.model")).stage("forward"), "forward");
        assertTrue(text.startsWith("model DigitsMlp: forward graph, 14 nodes\n"), text);
        assertTrue(text.contains("  h      : f32[B, 32]  = relu(t7)"), text);
        assertTrue(!text.contains("dW1"), text);
        assertTrue(text.endsWith("output probs = probs\nloss nll = nll\n"), text);
    }

    @Test
    void namesReboundInALoopAreNumbered() {
        CompiledModel m = model("loop.model", """
                model Loop {
                  input x : f64[3]
                  param W[3] : f64[3, 3] = zeros
                  h = x
                  for i in 0..3 { h = tanh(h @ W[i]) }
                  loss l = sum(h)
                }
                """);
        String text = GraphDump.text(m.stage("gradient"), "gradient");
        // every iteration's value is named from the model, and the generated Java uses the same names
        assertTrue(text.contains("  h "), text);
        assertTrue(text.contains("  h_2 "), text);
        assertTrue(text.contains("  h_3 "), text);
        assertTrue(text.contains("  dh_2 "), text);
        String java = m.javaSource();
        for (String name : new String[] {"// loop.model:5: h = tanh", "// loop.model:5: h_2 = tanh",
            "// loop.model:5: h_3 = tanh", "dh_2 = "}) {
            assertTrue(java.contains(name), name + " in\n" + java);
        }
        assertTrue(text.contains("gradient W[0] = dW[0]"), text);
    }

    @Test
    void paramOffTheLossPathHasAZeroGradient() {
        CompiledModel m = model("unused.model", """
                model Unused {
                  input x : f64[3]
                  param a : f64[3] = zeros
                  param unused : f64[3] = zeros
                  loss l = sum(x * a)
                }
                """);
        assertTrue(GraphDump.text(m.stage("gradient"), "gradient").contains("gradient unused = 0 (no path from the loss)"));
    }

    @Test
    void dotDeclaresEveryNodeItConnects() throws IOException {
        String dot = GraphDump.dot(model("digits.model", resource("/models/digits.model")).stage("gradient"), "gradient");
        assertTrue(dot.startsWith("digraph \"DigitsMlp gradient\" {\n"), dot);
        assertTrue(dot.endsWith("}\n"), dot);
        Set<String> declared = new HashSet<>();
        Matcher decl = Pattern.compile("(?m)^  (\\w+) \\[label=").matcher(dot);
        while (decl.find()) {
            declared.add(decl.group(1));
        }
        Matcher edge = Pattern.compile("(?m)^  (\\w+) -> (\\w+)").matcher(dot);
        int edges = 0;
        while (edge.find()) {
            edges++;
            assertTrue(declared.contains(edge.group(1)) && declared.contains(edge.group(2)), edge.group());
        }
        assertTrue(edges > 30, dot);
        assertTrue(dot.contains("dW1\\nmatmul\\nf32[64, 32]"), dot);
        assertTrue(dot.contains("[label=\"x\\ninput\\nf32[B, 64]\""), dot);
        assertTrue(dot.contains("[label=\"W1\\nparam\\nf32[64, 32]\""), dot);
    }

    @Test
    void dumpsAreDeterministic() throws IOException {
        String source = resource("/models/deep.model");
        assertEquals(GraphDump.text(model("deep.model", source).stage("gradient"), "gradient"),
                GraphDump.text(model("deep.model", source).stage("gradient"), "gradient"));
        assertEquals(GraphDump.dot(model("deep.model", source).stage("gradient"), "gradient"),
                GraphDump.dot(model("deep.model", source).stage("gradient"), "gradient"));
    }
}
