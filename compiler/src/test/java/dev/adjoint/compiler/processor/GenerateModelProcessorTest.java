package dev.adjoint.compiler.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static com.google.testing.compile.Compiler.javac;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.GeneratedTests;
import dev.adjoint.compiler.diag.Diagnostic;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.DoubleTensor;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/** The annotation processor through javac (compile-testing): generated classes, errors and their lines. */
class GenerateModelProcessorTest {

    private static final String SQUARE = """
            model Square {
              input grad x : f64[3]
              loss l = sum(x ^ 2)
            }
            """;

    /** Square in f32: its gradient test checks the f64 twin. */
    private static final String SQUARE_F32 = SQUARE.replace("f64", "f32");

    static String resource(String path) throws IOException {
        try (InputStream in = Objects.requireNonNull(GenerateModelProcessorTest.class.getResourceAsStream(path),
                path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A Java source {@code com.acme.NAME}: line 1 package, line 2 import, line 3 blank, line 4+ the body. */
    private static JavaFileObject java(String name, String body) {
        return JavaFileObjects.forSourceString("com.acme." + name,
                "package com.acme;\nimport dev.adjoint.runtime.GenerateModel;\n\n" + body);
    }

    /** Text-block Java for an inline model (each line indented to sit inside the text block). */
    private static String inline(String model) {
        return model.lines().map(l -> "    " + l).reduce("", (a, b) -> a + b + "\n");
    }

    private static Compilation compile(JavaFileObject... sources) {
        return javac().withProcessors(new GenerateModelProcessor()).compile(sources);
    }

    private static Compilation compile(List<String> options, JavaFileObject... sources) {
        return javac().withProcessors(new GenerateModelProcessor()).withOptions(options).compile(sources);
    }

    /** The class files a compilation wrote, by binary name. */
    static Map<String, byte[]> classes(Compilation c) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        for (JavaFileObject f : c.generatedFiles()) {
            if (f.getKind() == JavaFileObject.Kind.CLASS) {
                String path = f.toUri().getPath();
                String name = path.substring(path.indexOf("/CLASS_OUTPUT/") + "/CLASS_OUTPUT/".length(),
                        path.length() - ".class".length()).replace('/', '.');
                try (InputStream in = f.openInputStream()) {
                    out.put(name, in.readAllBytes());
                }
            }
        }
        return out;
    }

    private static AdjointModel load(Compilation c, String className) throws Exception {
        Class<?> type = GeneratedTests.loader(classes(c)).loadClass(className);
        return (AdjointModel) type.getConstructor(long.class).newInstance(0L);
    }

    private static String text(Compilation c, String className) throws IOException {
        return c.generatedSourceFile(className).orElseThrow().getCharContent(true).toString();
    }

    /** An error containing {@code text}, reported on {@code line} of the first source file. */
    private static void assertErrorOnLine(Compilation c, String text, int line) {
        assertThat(c).hadErrorContaining(text).inFile(c.sourceFiles().get(0)).onLine(line);
    }

    @Test
    void anInlineModelBecomesAWorkingClassInTheAnnotatedTypesPackage() throws Exception {
        Compilation c = compile(java("Models", """
                @GenerateModel(source = \"""
                %s    \""")
                final class Models {}
                """.formatted(inline(SQUARE))));
        assertThat(c).succeededWithoutWarnings();
        assertThat(c).generatedSourceFile("com.acme.Square");
        AdjointModel square = load(c, "com.acme.Square");
        var g = square.gradient(Map.of("x", DoubleTensor.of(new double[] {1, -2, 0.5}, 3)));
        assertEquals(DoubleTensor.of(new double[] {2, -4, 1}, 3), g.gradient("x")); // d/dx sum(x^2) = 2x
        assertEquals(5.25, g.loss(), 1e-12);
    }

    @Test
    void aFileOnTheSourcePathGivesTheSameClassAsTheCommandLine(@TempDir Path dir) throws Exception {
        String digits = resource("/models/digits.model");
        Files.createDirectories(dir.resolve("com/acme"));
        Files.writeString(dir.resolve("com/acme/digits.model"), digits);
        Compilation c = compile(List.of("-sourcepath", dir.toString()),
                java("Models", "@GenerateModel(file = \"digits.model\")\nfinal class Models {}\n"));
        assertThat(c).succeededWithoutWarnings();
        String expected = Compiler.compile(new SourceFile("com/acme/digits.model", digits),
                Compiler.Options.of("com.acme")).sources().get(0).text();
        assertEquals(expected, text(c, "com.acme.DigitsMlp"));
        assertTrue(load(c, "com.acme.DigitsMlp").hasLoss());
    }

    /** With a real javac and file manager: the class output (copied resources) wins over the source path. */
    @Test
    void theClassOutputIsSearchedBeforeTheSourcePath(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("classes");
        Path src = dir.resolve("src");
        Files.createDirectories(out.resolve("com/acme"));
        Files.createDirectories(src.resolve("com/acme"));
        Files.writeString(out.resolve("com/acme/sq.model"), SQUARE);
        Files.writeString(src.resolve("com/acme/sq.model"), "model Broken {\n  output y = nope\n}\n");
        Files.writeString(src.resolve("com/acme/Models.java"), "package com.acme;\n"
                + "@dev.adjoint.runtime.GenerateModel(file = \"sq.model\")\nfinal class Models {}\n");
        assertEquals("", javacRun(src, out), "found in the class output");
        assertTrue(Files.exists(out.resolve("com/acme/Square.class")));
        Files.delete(out.resolve("com/acme/sq.model"));
        String errors = javacRun(src, out);
        assertTrue(errors.contains("Models.java:2: error: com/acme/sq.model:2:14: error: unknown name 'nope'"), errors);
    }

    /** Compiles src/com/acme/Models.java with the processor into {@code out}; javac's diagnostics. */
    private static String javacRun(Path src, Path out) throws IOException {
        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        java.io.StringWriter diagnostics = new java.io.StringWriter();
        try (var files = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8)) {
            var task = javac.getTask(diagnostics, files, null,
                    List.of("-d", out.toString(), "-sourcepath", src.toString(), "-classpath",
                            GeneratedTests.runtimeOnly(), "-s", out.toString()),
                    null, files.getJavaFileObjects(src.resolve("com/acme/Models.java")));
            task.setProcessors(List.of(new GenerateModelProcessor()));
            task.call();
        }
        return diagnostics.toString();
    }

    @Test
    void aLeadingSlashIsFromTheRootAndTheClassPathIsSearched(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("models"));
        Files.writeString(dir.resolve("models/square.model"), SQUARE);
        String classPath = System.getProperty("java.class.path") + File.pathSeparator + dir;
        Compilation c = compile(List.of("-classpath", classPath),
                java("Models", "@GenerateModel(file = \"/models/square.model\", packageName = \"com.other\")\n"
                        + "final class Models {}\n"));
        assertThat(c).succeededWithoutWarnings();
        assertThat(c).generatedSourceFile("com.other.Square");
        assertTrue(text(c, "com.other.Square").contains("(models/square.model:1)"), "the model's name");
    }

    @Test
    void aSyntaxErrorInAFileIsReportedOnTheAnnotationWithFileLineCol(@TempDir Path dir) throws IOException {
        String text = resource("/models/syntax.model");
        Files.createDirectories(dir.resolve("com/acme"));
        Files.writeString(dir.resolve("com/acme/syntax.model"), text);
        Compilation c = compile(List.of("-sourcepath", dir.toString()),
                java("Models", "final class Models {\n}\n@GenerateModel(file = \"syntax.model\")\nfinal class More {}\n"));
        assertThat(c).failed();
        List<Diagnostic> expected = Compiler.compile(new SourceFile("com/acme/syntax.model", text),
                Compiler.Options.of("")).diagnostics().sorted();
        assertFalse(expected.isEmpty());
        assertTrue(expected.get(0).header().startsWith("com/acme/syntax.model:3:"), expected.get(0).header());
        assertEquals(expected.size(), c.errors().size(), c.errors().toString());
        for (Diagnostic d : expected) {
            assertThat(c).hadErrorContaining(d.header()).inFile(c.sourceFiles().get(0)).onLine(6);
        }
    }

    @Test
    void everyShapeErrorOfAFileIsReported(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("com/acme"));
        Files.writeString(dir.resolve("com/acme/bad.model"), resource("/models/bad.model"));
        Compilation c = compile(List.of("-sourcepath", dir.toString()),
                java("Models", "@GenerateModel(\n    file = \"bad.model\")\nfinal class Models {}\n"));
        assertThat(c).hadErrorCount(3);
        assertErrorOnLine(c, "com/acme/bad.model:6:9: error: matmul: [B, 64] @ [32, 10]", 5);
        assertErrorOnLine(c, "com/acme/bad.model:7:", 5);
        assertErrorOnLine(c, "com/acme/bad.model:8:", 5);
    }

    @Test
    void aMissingFileIsAnErrorOnTheAnnotation() {
        Compilation c = compile(java("Models", "@GenerateModel(file = \"missing.model\")\nfinal class Models {}\n"));
        assertThat(c).hadErrorCount(1);
        assertErrorOnLine(c, "model file 'missing.model' not found: looked for com/acme/missing.model in"
                + " the class output (resources), the source path and the class path", 4);
    }

    @Test
    void anErrorInAnInlineModelNamesTheJavaFileAndTheLineInTheTextBlock() {
        Compilation c = compile(java("Models", """
                final class Models {
                  @GenerateModel(source = \"""
                      model Oops {
                        input x : f32[3]
                        output y = exp(q)
                      }
                      \""")
                  static final class Nested {}
                }
                """));
        assertThat(c).hadErrorCount(1);
        assertErrorOnLine(c, "com/acme/Models.java (inline model in @GenerateModel):3:18: error: ", 5);
    }

    @Test
    void fileAndSourceTogetherOrNeitherAreErrors() {
        Compilation c = compile(java("Models", """
                @GenerateModel(file = "a.model", source = "model A {}")
                final class Models {}
                @GenerateModel(packageName = "com.acme")
                final class Other {}
                """));
        assertThat(c).hadErrorCount(2);
        assertErrorOnLine(c, "give either file or source, not both", 4);
        assertErrorOnLine(c, "give the model as file = \"name.model\" or as source", 6);
    }

    @Test
    void allErrorsOfOneBuildAreReported() {
        Compilation c = compile(
                java("Models", """
                        @GenerateModel(source = "model A {\\n  output y = nope\\n}\\n")
                        @GenerateModel(source = "model B {\\n  input x : f32[2]\\n  output y = x @ x @ x\\n}\\n")
                        final class Models {}
                        """),
                java("More", """
                        @GenerateModel(file = "gone.model")
                        final class More {}
                        """));
        assertThat(c).hadErrorCount(3);
        // repeated annotations: each error on its own annotation's line
        assertErrorOnLine(c, "com/acme/Models.java (inline model in @GenerateModel):2:14: error: unknown name 'nope'", 4);
        assertErrorOnLine(c, "com/acme/Models.java (inline model in @GenerateModel):3:20: error: matmul", 5);
        assertThat(c).hadErrorContaining("'gone.model' not found").inFile(c.sourceFiles().get(1)).onLine(4);
    }

    @Test
    void aGoodModelStillGeneratesNextToABadOne() {
        RecordingFiler.Log log = new RecordingFiler.Log();
        Compilation c = javac().withProcessors(RecordingFiler.wrap(new GenerateModelProcessor(), log)).compile(
                java("More", "@GenerateModel(file = \"gone.model\")\nfinal class More {}\n"),
                java("Fine", "@GenerateModel(source = \"model F {\\n  input x : f32[2]\\n  output y = exp(x)\\n}\\n\")\n"
                        + "final class Fine {}\n"));
        assertThat(c).hadErrorCount(1);
        assertEquals(List.of("com.acme.F <- com.acme.Fine"), log.created());
    }

    @Test
    void anInvalidPackageNameIsAnError() {
        Compilation c = compile(java("Models", "@GenerateModel(source = \"model F {}\", packageName = \"a.class\")\n"
                + "final class Models {}\n"));
        assertErrorOnLine(c, "packageName 'a.class' is not a valid Java package name", 4);
    }

    private static final String DEEP = """
            model Deep {
              dim B
              input x : f64[B, 3]
              param W[5] : f64[3, 3] = glorot_uniform
              h = x
              for i in 0..5 {
                h = tanh(h @ W[i])
              }
              loss l = sum(h * h)
            }
            """;

    @Test
    void theCheckpointPolicyIsAnAttributeAndItsErrorsPointAtIt() throws Exception {
        Compilation c = compile(java("Models", """
                @GenerateModel(checkpoint = "sqrt", source = \"""
                %s    \""")
                final class Models {}
                """.formatted(inline(DEEP))));
        assertThat(c).succeededWithoutWarnings();
        assertTrue(text(c, "com.acme.Deep").contains("recompute_from"), "sqrt recomputes in the backward pass");
        Compilation bad = compile(java("Models", "@GenerateModel(source = \"model F {}\",\n"
                + "    checkpoint = \"half\")\nfinal class Models {}\n"));
        assertErrorOnLine(bad, "checkpoint half: expected none, sqrt or budget:SIZE", 5);
        Compilation tight = compile(java("Models", """
                @GenerateModel(checkpoint = "budget:8", planDims = "B=4", source = \"""
                %s    \""")
                final class Models {}
                """.formatted(inline(DEEP))));
        assertThat(tight).hadErrorContaining("the smallest feasible peak is");
    }

    @Test
    void theSameModelTwiceIsOneClearError() {
        String model = "model F {\\n  input x : f32[2]\\n  output y = exp(x)\\n}\\n";
        Compilation c = compile(java("Models", """
                @GenerateModel(source = "%s")
                @GenerateModel(source = "%s")
                final class Models {}
                """.formatted(model, model)));
        assertThat(c).hadErrorCount(1);
        assertThat(c).hadErrorContaining("class com.acme.F is generated twice");
    }

    @Test
    void theAnnotatedTypeIsTheOriginatingElement() {
        RecordingFiler.Log log = new RecordingFiler.Log();
        Compilation c = javac().withProcessors(RecordingFiler.wrap(new GenerateModelProcessor(), log))
                .compile(java("Models", "@GenerateModel(source = \"\"\"\n" + inline(SQUARE)
                        + "    \"\"\")\nfinal class Models {}\n"));
        assertThat(c).succeeded();
        assertEquals(List.of("com.acme.Square <- com.acme.Models"), log.created());
    }

    @Test
    void aGradientTestIsGeneratedCompilesAndPasses() throws Exception {
        // -processing: javac's note that no processor claims @Test and @Generated in the generated sources
        Compilation c = compile(List.of("-Xlint:all,-processing", "-Werror"), java("ModelsTest", """
                @GenerateModel(source = \"""
                %s    \""", gradientTest = true)
                final class ModelsTest {}
                """.formatted(inline(SQUARE_F32))));
        assertThat(c).succeededWithoutWarnings();
        assertThat(c).generatedSourceFile("com.acme.Square");
        assertThat(c).generatedSourceFile("com.acme.SquareF64Twin");
        assertThat(c).generatedSourceFile("com.acme.SquareGradientTest");
        Class<?> test = GeneratedTests.loader(classes(c)).loadClass("com.acme.SquareGradientTest");
        TestExecutionSummary summary = GeneratedTests.run(test);
        assertEquals(3, summary.getTestsSucceededCount(), GeneratedTests.failures(summary));
        assertEquals(0, summary.getTotalFailureCount());
    }

    @Test
    void theGradientTestsToleranceAndStepAreSettings() throws Exception {
        String exp = "model Exp {\n  input grad x : f32[3]\n  loss l = sum(exp(x))\n}\n";
        Compilation c = compile(List.of("-Xlint:all,-processing", "-Werror"), java("ModelsTest", """
                @GenerateModel(source = \"""
                %s    \""", gradientTest = true, gradientTolerance = 1e-9, gradientStep = 1e-3)
                final class ModelsTest {}
                """.formatted(inline(exp))));
        assertThat(c).succeededWithoutWarnings();
        String test = text(c, "com.acme.ExpGradientTest");
        assertTrue(test.contains("private static final double TOLERANCE = 1.0E-9;"), test);
        assertTrue(test.contains("private static final double STEP = 0.001;"), test);
        assertTrue(test.contains(".withStep(STEP)"), test);
        // at a step of 1e-3 the central difference of exp is off by h^2 / 6, about 2e-7: above 1e-9
        TestExecutionSummary summary = GeneratedTests.run(
                GeneratedTests.loader(classes(c)).loadClass("com.acme.ExpGradientTest"));
        assertEquals(3, summary.getTotalFailureCount(), GeneratedTests.failures(summary));
        Compilation loose = compile(List.of("-Xlint:all,-processing", "-Werror"), java("ModelsTest", """
                @GenerateModel(source = \"""
                %s    \""", gradientTest = true, gradientTolerance = 1e-6, gradientStep = 1e-3)
                final class ModelsTest {}
                """.formatted(inline(exp))));
        summary = GeneratedTests.run(GeneratedTests.loader(classes(loose)).loadClass("com.acme.ExpGradientTest"));
        assertEquals(3, summary.getTestsSucceededCount(), GeneratedTests.failures(summary));
    }

    @Test
    void aBadToleranceOrStepIsAnErrorOnItsValue() {
        Compilation c = compile(java("ModelsTest", """
                @GenerateModel(source = "model F {}", gradientTest = true,
                    gradientTolerance = -1)
                @GenerateModel(source = "model G {}", gradientTest = true,
                    gradientStep = 0.5)
                final class ModelsTest {}
                """));
        assertThat(c).hadErrorCount(2);
        assertErrorOnLine(c, "@GenerateModel: gradientTolerance -1.0 must be a finite number >= 0", 5);
        assertErrorOnLine(c, "@GenerateModel: gradientStep 0.5 must be above 0 and at most 0.1", 7);
    }

    @Test
    void aGradientTestNeedsJUnitOnTheClassPath() {
        Compilation c = compile(List.of("-classpath", GeneratedTests.runtimeOnly()),
                java("Models", "@GenerateModel(source = \"model F {}\",\n    gradientTest = true)\nfinal class Models {}\n"));
        assertThat(c).hadErrorCount(1);
        assertErrorOnLine(c, "gradientTest = true generates a JUnit 5 test, but org.junit.jupiter.api.Test"
                + " is not on the class path", 5);
    }

    /** In test sources, a model class compiled from main sources is on the class path: only its test is new. */
    @Test
    void inTestSourcesOnlyTheTestOfAnAlreadyCompiledModelIsGenerated(@TempDir Path dir) throws Exception {
        String annotation = "@GenerateModel(source = \"\"\"\n" + inline(SQUARE_F32) + "    \"\"\"%s)\n";
        Compilation main = compile(java("Models", annotation.formatted("") + "final class Models {}\n"));
        assertThat(main).succeeded();
        for (Map.Entry<String, byte[]> e : classes(main).entrySet()) {
            Path file = dir.resolve(e.getKey().replace('.', '/') + ".class");
            Files.createDirectories(file.getParent());
            Files.write(file, e.getValue());
        }
        Compilation test = compile(List.of("-classpath", System.getProperty("java.class.path") + File.pathSeparator
                + dir), java("ModelsTest", annotation.formatted(", gradientTest = true") + "final class ModelsTest {}\n"));
        assertThat(test).succeededWithoutWarnings();
        assertEquals(List.of("com.acme.SquareF64Twin", "com.acme.SquareGradientTest"),
                Stream.of("com.acme.Square", "com.acme.SquareF64Twin", "com.acme.SquareGradientTest")
                        .filter(n -> test.generatedSourceFile(n).isPresent()).toList());
    }
}
