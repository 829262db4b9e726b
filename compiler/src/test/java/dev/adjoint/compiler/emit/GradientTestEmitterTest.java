package dev.adjoint.compiler.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.Compilation;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.GeneratedSource;
import dev.adjoint.compiler.GeneratedTests;
import dev.adjoint.compiler.diag.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * The generated gradient tests compile under {@code -Xlint:all -Werror} against adjoint-runtime and
 * junit-jupiter-api alone, pass for the compiler's own (correct) gradients, and fail, naming the parameter, for
 * a wrong one.
 */
class GradientTestEmitterTest {

    static Stream<Path> models() throws IOException {
        try (Stream<Path> samples = Files.list(Path.of("../samples/models"));
                Stream<Path> tests = Files.list(Path.of("src/test/resources/models"))) {
            return Stream.concat(samples, tests)
                    .filter(p -> p.toString().endsWith(".model") && !p.toString().contains("bad")
                            && !p.toString().contains("syntax"))
                    .sorted().toList().stream();
        }
    }

    private static Compilation generate(String name, String text) {
        Compilation r = Compiler.compile(new SourceFile(name, text), Compiler.Options.of("com.acme").withGradientTests(true));
        assertTrue(r.ok(), () -> r.diagnostics().format());
        return r;
    }

    private static Map<String, String> units(Compilation r) {
        Map<String, String> units = new LinkedHashMap<>();
        r.sources().forEach(s -> units.put(s.qualifiedName(), s.text()));
        return units;
    }

    private static TestExecutionSummary runTest(Map<String, String> units, String testClass) throws Exception {
        Map<String, byte[]> classes = GeneratedTests.compile(units, GeneratedTests.runtimeAndJupiterApi());
        return GeneratedTests.run(GeneratedTests.loader(classes).loadClass(testClass));
    }

    @ParameterizedTest
    @MethodSource("models")
    void theGeneratedTestCompilesStrictlyAndPassesForTheCompilersGradient(Path model) throws Exception {
        Compilation r = generate(model.getFileName().toString(), Files.readString(model));
        String modelClass = r.sources().get(0).qualifiedName();
        boolean f32 = Files.readString(model).contains("f32");
        assertEquals(f32 ? List.of(modelClass, modelClass + "F64Twin", modelClass + "GradientTest")
                        : List.of(modelClass, modelClass + "GradientTest"),
                r.sources().stream().map(GeneratedSource::qualifiedName).toList());
        assertEquals(f32 ? List.of(false, true, true) : List.of(false, true),
                r.sources().stream().map(GeneratedSource::test).toList());
        // the model class needs the runtime only
        GeneratedTests.compile(Map.of(modelClass, r.sources().get(0).text()), GeneratedTests.runtimeOnly());
        TestExecutionSummary summary = runTest(units(r), modelClass + "GradientTest");
        assertEquals(3, summary.getTestsSucceededCount(), GeneratedTests.failures(summary));
        assertEquals(0, summary.getTotalFailureCount(), GeneratedTests.failures(summary));
    }

    @Test
    void theTestNamesTheConstantsTheCompilerKnows() throws IOException {
        Compilation r = generate("digits.model",
                new String(getClass().getResourceAsStream("/models/digits.model").readAllBytes(),
                        java.nio.charset.StandardCharsets.UTF_8));
        String test = r.sources().get(2).text();
        assertEquals("com/acme/DigitsMlpGradientTest.java", r.sources().get(2).relativePath());
        assertTrue(test.contains("private static final Map<String, Integer> DIMS = Map.of(\"B\", 3);"), test);
        assertTrue(test.contains("CLASS_COUNTS = Map.of(\"y\", 10);"), test);
        assertTrue(test.contains("GradientCheck.run(new DigitsMlpF64Twin(seed),"), test);
        assertTrue(test.contains("() -> assertWithinTolerance(result, \"W2\")"), test);
        String twin = r.sources().get(1).text();
        assertTrue(twin.contains("public final class DigitsMlpF64Twin implements AdjointModel"), twin);
        assertTrue(twin.contains("return \"DigitsMlp\";"), "the twin keeps the model's name");
        assertTrue(twin.contains("DoubleTensor") && !twin.contains("FloatTensor"), twin);
    }

    @Test
    void labelsOfOneHotAndInputGradsAndManyDims() throws Exception {
        // In the twin, one_hot's default type and where's numbers against labels are f64 too.
        StringBuilder text = new StringBuilder("model Many {\n");
        StringBuilder dims = new StringBuilder();
        for (char c = 'A'; c <= 'K'; c++) {
            text.append("  dim ").append(c).append('\n');
            dims.append(dims.length() == 0 ? "" : ", ").append(c);
        }
        text.append("""
                  input grad x : f32[B, 4]
                  input y : i32[B]
                  input z : f32[%s]
                  param W : f32[4, 6] = glorot_uniform
                  loss l = sum(one_hot(y, 6) * (x @ W)) + sum(x * x) + mean(z) + sum(where(y > 2, 1.5, 0.5) * x[:, 0])
                }
                """.formatted(dims));
        Compilation r = generate("many.model", text.toString());
        String test = r.sources().get(2).text();
        assertTrue(test.contains("Map.ofEntries("), test);
        assertTrue(test.contains("CLASS_COUNTS = Map.of(\"y\", 6);"), test);
        TestExecutionSummary summary = runTest(units(r), "com.acme.ManyGradientTest");
        assertEquals(3, summary.getTestsSucceededCount(), GeneratedTests.failures(summary));
    }

    @Test
    void anF64ModelIsItsOwnTwin() throws Exception {
        Compilation r = generate("sq.model", """
                model Sq {
                  input grad x : f64[3]
                  input y : i32[3]
                  loss l = sum(x ^ 2) + sum(one_hot(y, 4, dtype=f64))
                }
                """);
        assertEquals(List.of("com.acme.Sq", "com.acme.SqGradientTest"),
                r.sources().stream().map(GeneratedSource::qualifiedName).toList());
        String test = r.sources().get(1).text();
        assertTrue(test.contains("GradientCheck.run(new Sq(seed),"), test);
        assertTrue(test.contains("through\n * {@link Sq} itself (the model is f64 already)."), test);
        TestExecutionSummary summary = runTest(units(r), "com.acme.SqGradientTest");
        assertEquals(3, summary.getTestsSucceededCount(), GeneratedTests.failures(summary));
    }

    @Test
    void theToleranceAndStepAreWrittenInAndUsed() throws Exception {
        String model = Files.readString(Path.of("src/test/resources/models/lennard_jones.model"));
        Compilation strict = Compiler.compile(new SourceFile("lj.model", model),
                Compiler.Options.of("com.acme").withGradientTests(true).withGradientTest(1e-9, 6e-6));
        String test = strict.sources().get(1).text();
        assertTrue(test.contains("TOLERANCE = 1.0E-9;") && test.contains("STEP = 6.0E-6;"), test);
        // the Lennard-Jones energy at the points of seeds 1-3 is checked to about 1e-7, not 1e-9
        TestExecutionSummary summary = runTest(units(strict), "com.acme.LennardJonesGradientTest");
        assertTrue(summary.getTotalFailureCount() > 0, "a tolerance below the differences' accuracy fails");
        assertTrue(GeneratedTests.failures(summary).contains("finite differences accurate to"),
                GeneratedTests.failures(summary));
        assertThrows(IllegalArgumentException.class, () -> Compiler.Options.of("p").withGradientTest(-1, 6e-6));
        assertThrows(IllegalArgumentException.class, () -> Compiler.Options.of("p").withGradientTest(1e-5, 0));
    }

    @Test
    void aLossWithoutParamsOrInputGradsChecksOnlyThatItIsFinite() throws Exception {
        Compilation r = generate("c.model", "model C {\n  input x : f32[2]\n  loss l = sum(x * x)\n}\n");
        assertTrue(r.sources().get(2).text().contains("// no param and no input grad: no gradient to compare"));
        TestExecutionSummary summary = runTest(units(r), "com.acme.CGradientTest");
        assertEquals(3, summary.getTestsSucceededCount(), GeneratedTests.failures(summary));
    }

    @Test
    void aModelWithoutLossGetsNoTest() {
        Compilation r = generate("f.model", "model F {\n  input x : f32[2]\n  output y = exp(x)\n}\n");
        assertEquals(List.of("com.acme.F"),
                r.sources().stream().map(GeneratedSource::qualifiedName).toList());
    }

    /** A scalar param (rank 0) too. */
    private static final String SQ = """
            model Sq {
              input x : f32[4]
              param W : f32[4] = glorot_uniform
              param b : f32[] = zeros
              loss l = sum(square(W * x + b))
            }
            """;

    /** The generated test catches a wrong gradient: here the twin's dW is off by 1% in one element. */
    @Test
    void aWrongGradientFailsTheTestNamingTheParameter() throws Exception {
        Compilation r = generate("sq.model", SQ);
        Map<String, String> units = units(r);
        // The real twin under another name, and a twin that delegates to it but spoils dW[1].
        units.put("com.acme.SqF64TwinReal", JavaEmitter.emit(
                Compiler.compile(new SourceFile("sq.model", SQ), Compiler.Options.defaults().withF64(true))
                        .models().get(0).graph(), "com.acme", "SqF64TwinReal")
                .toString());
        units.put("com.acme.SqF64Twin", """
                package com.acme;

                import dev.adjoint.runtime.AdjointModel;
                import dev.adjoint.runtime.DoubleTensor;
                import dev.adjoint.runtime.ForwardResult;
                import dev.adjoint.runtime.GradientResult;
                import dev.adjoint.runtime.InputSpec;
                import dev.adjoint.runtime.Tensor;
                import java.util.LinkedHashMap;
                import java.util.List;
                import java.util.Map;

                public final class SqF64Twin implements AdjointModel {
                    private final SqF64TwinReal real;

                    public SqF64Twin(long seed) {
                        real = new SqF64TwinReal(seed);
                    }

                    @Override public String name() { return real.name(); }
                    @Override public List<InputSpec> inputs() { return real.inputs(); }
                    @Override public Map<String, Tensor> parameters() { return real.parameters(); }
                    @Override public void setParameter(String name, Tensor value) { real.setParameter(name, value); }
                    @Override public void initParameters(long seed) { real.initParameters(seed); }
                    @Override public boolean hasLoss() { return true; }
                    @Override public ForwardResult forward(Map<String, Tensor> inputs) { return real.forward(inputs); }

                    @Override
                    public GradientResult gradient(Map<String, Tensor> inputs) {
                        GradientResult g = real.gradient(inputs);
                        Map<String, Tensor> grads = new LinkedHashMap<>(g.gradients());
                        double[] dW = ((DoubleTensor) grads.get("W")).toArray();
                        dW[1] *= 1.01;
                        grads.put("W", DoubleTensor.of(dW, 4));
                        return new GradientResult(g.loss(), g.outputs(), grads);
                    }
                }
                """);
        TestExecutionSummary summary = runTest(units, "com.acme.SqGradientTest");
        assertEquals(3, summary.getTotalFailureCount(), GeneratedTests.failures(summary));
        String message = summary.getFailures().get(0).getException().getMessage();
        assertTrue(message.contains("gradient of W: worst relative error 9.90e-03 at element 1 (analytic "), message);
        assertTrue(message.contains(": above the tolerance 1.0E-5"), message);
        assertTrue(!message.contains("gradient of b"), "b is right: " + message);
    }
}
