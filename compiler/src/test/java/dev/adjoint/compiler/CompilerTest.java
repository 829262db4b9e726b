package dev.adjoint.compiler;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.emit.InMemoryCompiler;
import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.FloatTensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.junit.jupiter.api.Test;

/** The compiler facade: sources or diagnostics, names and paths, and the same text as the emitter's golden. */
class CompilerTest {

    static String resource(String path) throws IOException {
        try (InputStream in = Objects.requireNonNull(CompilerTest.class.getResourceAsStream(path), path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void digitsGivesTheReviewedGoldenClass() throws IOException {
        Compilation r = Compiler.compile(new SourceFile("digits.model", resource("/models/digits.model")),
                Compiler.Options.of("adjoint.samples"));
        assertTrue(r.ok(), () -> r.diagnostics().format());
        assertEquals(1, r.sources().size());
        GeneratedSource s = r.sources().get(0);
        assertEquals("adjoint.samples.DigitsMlp", s.qualifiedName());
        assertEquals("adjoint/samples/DigitsMlp.java", s.relativePath());
        assertEquals("DigitsMlp", s.simpleName());
        assertFalse(s.test());
        assertEquals(resource("/golden/DigitsMlp.java.txt"), s.text());
    }

    @Test
    void defaultPackageHasAPlainRelativePath() {
        Compilation r = Compiler.compile(new SourceFile("sq.model", """
                model Square {
                  input grad x : f64[3]
                  loss l = sum(x ^ 2)
                }
                """), Compiler.Options.of(""));
        assertTrue(r.ok(), () -> r.diagnostics().format());
        GeneratedSource s = r.sources().get(0);
        assertEquals("Square", s.qualifiedName());
        assertEquals("Square.java", s.relativePath());
        assertTrue(s.text().startsWith("import "), s.text());
    }

    @Test
    void everyModelOfAFileBecomesAClassInOrderAndTheClassesWork() {
        Compilation r = Compiler.compile(new SourceFile("two.model", """
                model First {
                  input grad x : f32[2]
                  loss l = sum(x * x)
                }
                model Second {
                  input x : f32[2]
                  output y = exp(x)
                }
                """), Compiler.Options.of("com.acme.models"));
        assertTrue(r.ok(), () -> r.diagnostics().format());
        assertEquals(List.of("com.acme.models.First", "com.acme.models.Second"),
                r.sources().stream().map(GeneratedSource::qualifiedName).toList());
        assertEquals("com/acme/models/Second.java", r.sources().get(1).relativePath());
        GeneratedSource first = r.sources().get(0);
        AdjointModel m = new InMemoryCompiler().load(first.qualifiedName(), first.text(), 0);
        var g = m.gradient(Map.of("x", FloatTensor.of(new float[] {1.5f, -2f}, 2)));
        assertEquals(FloatTensor.of(new float[] {3f, -4f}, 2), g.gradient("x"));
    }

    @Test
    void gradientTestsAreTestSourcesForModelsWithALoss() {
        String text = """
                model First {
                  input grad x : f32[2]
                  loss l = sum(x * x)
                }
                model Second {
                  input x : f32[2]
                  output y = exp(x)
                }
                """;
        Compilation r = Compiler.compile(new SourceFile("two.model", text), Compiler.Options.of("p").withGradientTests(true));
        assertTrue(r.ok(), () -> r.diagnostics().format());
        assertEquals(List.of("p.First:false", "p.FirstF64Twin:true", "p.FirstGradientTest:true", "p.Second:false"),
                r.sources().stream().map(s -> s.qualifiedName() + ":" + s.test()).toList());
        assertEquals("p/FirstGradientTest.java", r.sources().get(2).relativePath());
        assertTrue(r.sources().get(1).text().contains("double[]"), "the twin is f64");
        Compilation without = Compiler.compile(new SourceFile("two.model", text), Compiler.Options.of("p"));
        assertEquals(List.of("p.First", "p.Second"),
                without.sources().stream().map(GeneratedSource::qualifiedName).toList());
        assertEquals(r.sources().get(0), without.sources().get(0), "the model class does not depend on the flag");
    }

    @Test
    void twoModelsThatWouldBeTheSameClassAreAnError() {
        SourceFile clash = new SourceFile("clash.model", """
                model Foo {
                  input grad x : f32[2]
                  loss l = sum(x * x)
                }
                model FooF64Twin {
                  input x : f64[2]
                  output y = exp(x)
                }
                """);
        Compilation r = Compiler.compile(clash, Compiler.Options.of("p").withGradientTests(true));
        assertFalse(r.ok());
        assertEquals(List.of(), r.sources());
        assertEquals("clash.model:5:7: error: model FooF64Twin: another model of this file is also emitted as class"
                + " p.FooF64Twin; rename one of them", r.diagnostics().sorted().get(0).header());
        assertTrue(Compiler.compile(clash, Compiler.Options.of("p")).ok(), "no clash without the tests");
    }

    @Test
    void aBadModelGivesEveryDiagnosticWithItsPositionAndNoSource() throws IOException {
        Compilation r = Compiler.compile(new SourceFile("models/bad.model", resource("/models/bad.model")),
                Compiler.Options.of("p").withGradientTests(true));
        assertFalse(r.ok());
        assertEquals(List.of(), r.sources());
        assertEquals(3, r.diagnostics().errorCount(), r.diagnostics().format());
        String text = r.diagnostics().format();
        assertTrue(text.contains("models/bad.model:6:9: error: matmul"), text);
        r.diagnostics().sorted().forEach(d -> assertTrue(d.header().startsWith("models/bad.model:"), d.header()));
    }

    @Test
    void aSyntaxErrorIsADiagnostic() throws IOException {
        Compilation r = Compiler.compile(new SourceFile("syntax.model", resource("/models/syntax.model")),
                Compiler.Options.of(""));
        assertFalse(r.ok());
        assertTrue(r.diagnostics().format().startsWith("syntax.model:3:"), r.diagnostics().format());
    }

    @Test
    void anInvalidPackageNameIsRejectedUpFront() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Compiler.Options.of("com.acme.class").withGradientTests(false));
        assertTrue(e.getMessage().contains("'com.acme.class'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Compiler.Options.of("1abc"));
    }
}
