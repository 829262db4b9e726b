package dev.adjoint.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.diag.Diagnostic;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Maven-free core: scanning, packages from directories, staleness, deletion and errors. */
class ModelSourceGeneratorTest {
    static final String SQUARE = """
            model Square {
              param w : f64[3] = uniform(-1, 1)
              loss l = sum(w * w)
            }
            """;
    static final String CUBE = """
            model Cube {
              param w : f64[3] = uniform(-1, 1)
              loss l = sum(w * w * w)
            }
            """;
    /** Line 4, column 18: the {@code @} of a matmul whose inner dimensions differ. */
    static final String BAD = """
            model Bad {
              input x : f32[2, 3]
              param W : f32[4, 5] = zeros
              loss l = sum(x @ W)
            }
            """;

    @TempDir
    Path project;

    Path models() {
        return project.resolve("src/main/models");
    }

    Path out() {
        return project.resolve("target/generated-sources/adjoint");
    }

    Path testOut() {
        return project.resolve("target/generated-test-sources/adjoint");
    }

    ModelSourceGenerator generator(String packageName, String stamp) {
        return new ModelSourceGenerator(new ModelSourceGenerator.Settings(project, models(), out(), testOut(),
                project.resolve("target/maven-status/adjoint/test.state"), packageName, false, stamp));
    }

    ModelSourceGenerator.Outcome run() throws IOException {
        return generator(null, "v1").run();
    }

    Path write(String relative, String text) throws IOException {
        Path file = models().resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    static void bumpMtime(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() + 5_000));
    }

    static final String DEEP = """
            model Deep {
              dim B
              input x : f32[B, 4]
              param W[6] : f32[4, 4] = glorot_uniform
              h = x
              for i in 0..6 {
                h = tanh(h @ W[i])
              }
              loss l = sum(h * h)
            }
            """;

    ModelSourceGenerator checkpointed(String policy, String dims) {
        return new ModelSourceGenerator(new ModelSourceGenerator.Settings(project, models(), out(), testOut(),
                project.resolve("target/maven-status/adjoint/test.state"), null, false, "v1",
                dev.adjoint.compiler.plan.CheckpointPolicy.parse(policy),
                dev.adjoint.compiler.plan.CheckpointPolicy.parseDims(dims)));
    }

    @Test
    void theCheckpointPolicyChangesTheGeneratedCodeAndAnUnmeetableBudgetIsAnError() throws IOException {
        write("deep.model", DEEP);
        assertTrue(checkpointed("none", null).run().ok());
        String none = Files.readString(out().resolve("Deep.java"));
        ModelSourceGenerator.Outcome sqrt = checkpointed("sqrt", null).run();
        assertTrue(sqrt.ok(), sqrt.diagnostics().toString());
        assertEquals(List.of("deep.model"), sqrt.compiled(), "a new policy regenerates");
        String recomputing = Files.readString(out().resolve("Deep.java"));
        assertFalse(none.contains("recompute_from"), none);
        assertTrue(recomputing.contains("recompute_from"), recomputing);
        ModelSourceGenerator.Outcome tight = checkpointed("budget:16", "B=8").run();
        assertFalse(tight.ok());
        assertTrue(tight.diagnostics().get(0).format().contains("the smallest feasible peak is"),
                tight.diagnostics().toString());
    }

    @Test
    void packageComesFromTheDirectory() throws IOException {
        write("com/acme/square.model", SQUARE);
        write("top.model", CUBE);

        ModelSourceGenerator.Outcome outcome = run();

        assertTrue(outcome.ok(), outcome.diagnostics().toString());
        assertEquals(List.of("com/acme/square.model", "top.model"), outcome.compiled());
        String square = Files.readString(out().resolve("com/acme/Square.java"));
        assertTrue(square.startsWith("package com.acme;\n"), square);
        assertTrue(square.contains("public final class Square implements AdjointModel"), square);
        // Paths in generated comments are relative to the project, so the text does not depend on its location.
        assertTrue(square.contains("(src/main/models/com/acme/square.model:1)"), square);
        assertFalse(Files.readString(out().resolve("Cube.java")).contains("package "));
    }

    @Test
    void packageNameOverridesTheDirectories() throws IOException {
        write("com/acme/square.model", SQUARE);
        write("cube.model", CUBE);

        ModelSourceGenerator.Outcome outcome = generator("org.example.models", "v1").run();

        assertTrue(outcome.ok(), outcome.diagnostics().toString());
        assertTrue(Files.readString(out().resolve("org/example/models/Square.java"))
                .startsWith("package org.example.models;\n"));
        assertTrue(Files.isRegularFile(out().resolve("org/example/models/Cube.java")));
        assertFalse(Files.exists(out().resolve("com")));
    }

    @Test
    void aDirectoryThatIsNoJavaPackageIsAnError() throws IOException {
        write("my-models/square.model", SQUARE);

        ModelSourceGenerator.Outcome outcome = run();

        assertEquals(1, outcome.errors().size());
        String header = outcome.errors().get(0).header();
        assertTrue(header.startsWith("src/main/models/my-models/square.model:1:1: error: directory 'my-models'"
                + " is not a Java package name"), header);
        assertFalse(Files.exists(out()));
    }

    @Test
    void secondRunSkipsUnchangedModels() throws IOException {
        Path model = write("p/square.model", SQUARE);
        run();
        Path generated = out().resolve("p/Square.java");
        // Mark the output: a run that regenerated it would overwrite the mark.
        Files.writeString(generated, Files.readString(generated) + "// mark\n");
        FileTime before = Files.getLastModifiedTime(generated);

        ModelSourceGenerator.Outcome second = run();

        assertEquals(List.of(), second.compiled());
        assertEquals(List.of("p/square.model"), second.upToDate());
        assertTrue(Files.readString(generated).endsWith("// mark\n"));
        assertEquals(before, Files.getLastModifiedTime(generated));
        assertTrue(Files.isRegularFile(model));
    }

    @Test
    void editingAModelRegeneratesIt() throws IOException {
        Path model = write("p/shape.model", SQUARE);
        run();
        Path generated = out().resolve("p/Square.java");
        String before = Files.readString(generated);

        Files.writeString(model, SQUARE.replace("sum(w * w)", "sum(w * w * 2.0)"));
        bumpMtime(model);
        ModelSourceGenerator.Outcome second = run();

        assertEquals(List.of("p/shape.model"), second.compiled());
        assertEquals(List.of(generated), second.written());
        assertNotEquals(before, Files.readString(generated));
    }

    @Test
    void aNewerModelWithTheSameTextIsRecompiledButTheOutputNotRewritten() throws IOException {
        Path model = write("square.model", SQUARE);
        run();
        Path generated = out().resolve("Square.java");
        FileTime written = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(generated, written);

        bumpMtime(model);
        ModelSourceGenerator.Outcome second = run();

        assertEquals(List.of("square.model"), second.compiled());
        assertEquals(List.of(), second.written());
        assertEquals(written, Files.getLastModifiedTime(generated), "javac should have nothing new to compile");
    }

    @Test
    void aMissingOutputIsRegenerated() throws IOException {
        write("square.model", SQUARE);
        run();
        Files.delete(out().resolve("Square.java"));

        ModelSourceGenerator.Outcome second = run();

        assertEquals(List.of("square.model"), second.compiled());
        assertTrue(Files.isRegularFile(out().resolve("Square.java")));
    }

    @Test
    void aNewGeneratorStampRegeneratesEverything() throws IOException {
        write("a/square.model", SQUARE);
        write("b/cube.model", CUBE);
        run();

        assertEquals(List.of(), generator(null, "v1").run().compiled());
        assertEquals(List.of("a/square.model", "b/cube.model"), generator(null, "v2").run().compiled());
    }

    @Test
    void changingThePackageMovesTheOutputs() throws IOException {
        write("a/square.model", SQUARE);
        run();

        ModelSourceGenerator.Outcome second = generator("q", "v1").run();

        assertEquals(List.of("a/square.model"), second.compiled());
        assertEquals(List.of(out().resolve("a/Square.java")), second.deleted());
        assertTrue(Files.isRegularFile(out().resolve("q/Square.java")));
        assertFalse(Files.exists(out().resolve("a")), "the emptied package directory is removed too");
    }

    @Test
    void outputsOfADeletedModelAreDeleted() throws IOException {
        Path square = write("a/square.model", SQUARE);
        write("a/cube.model", CUBE);
        run();
        Path hand = Files.writeString(out().resolve("a/Handwritten.java"), "class Handwritten {}\n");

        Files.delete(square);
        ModelSourceGenerator.Outcome second = run();

        assertEquals(List.of(out().resolve("a/Square.java")), second.deleted());
        assertFalse(Files.exists(out().resolve("a/Square.java")));
        assertTrue(Files.isRegularFile(out().resolve("a/Cube.java")));
        assertTrue(Files.isRegularFile(hand), "only files the generator recorded are deleted");
    }

    @Test
    void aBrokenModelReportsFileLineColumnAndWritesNothing() throws IOException {
        write("p/square.model", SQUARE);
        write("p/bad.model", BAD);

        ModelSourceGenerator.Outcome outcome = run();

        assertFalse(outcome.ok());
        List<Diagnostic> errors = outcome.errors();
        assertEquals(1, errors.size());
        assertEquals("src/main/models/p/bad.model:4:18: error: matmul: [2, 3] @ [4, 5]: inner dimensions 3 and"
                + " 4 differ", errors.get(0).header());
        assertFalse(Files.exists(out()), "no output when any model has an error");
        assertFalse(Files.exists(project.resolve("target/maven-status")), "no state either");
    }

    @Test
    void bytesThatAreNotUtf8AreAnErrorAtTheirLineAndColumnAndAByteOrderMarkIsSkipped() throws IOException {
        Path bad = write("p/bad.model", SQUARE.replace("w * w", "w * \u0001w"));
        byte[] bytes = Files.readAllBytes(bad);
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == 1) {
                bytes[i] = (byte) 0xfe; // never a byte of UTF-8
            }
        }
        Files.write(bad, bytes);
        write("p/bom.model", "\ufeff" + CUBE);

        ModelSourceGenerator.Outcome outcome = run();

        assertEquals(1, outcome.errors().size(), outcome.errors()::toString);
        assertEquals("src/main/models/p/bad.model:3:20: error: invalid UTF-8 (byte 0xfe); the file must be UTF-8"
                + " text", outcome.errors().get(0).header());
    }

    @Test
    void everyBrokenModelIsReported() throws IOException {
        write("p/bad.model", BAD);
        write("q/worse.model", BAD.replace("sum(x @ W)", "sum(x @ W) + undefined"));

        ModelSourceGenerator.Outcome outcome = run();

        List<String> headers = outcome.errors().stream().map(Diagnostic::header).toList();
        assertEquals(3, headers.size(), headers.toString());
        assertTrue(headers.get(0).startsWith("src/main/models/p/bad.model:4:18: error: "), headers.toString());
        assertTrue(headers.stream().anyMatch(h -> h.startsWith("src/main/models/q/worse.model:4:")),
                headers.toString());
        assertEquals(2, outcome.modelsWithErrors());
    }

    @Test
    void aFixedModelIsCompiledAgainAfterAFailedRun() throws IOException {
        write("square.model", SQUARE);
        run();
        Path bad = write("bad.model", BAD);
        assertFalse(run().ok());

        Files.writeString(bad, CUBE);
        bumpMtime(bad);
        ModelSourceGenerator.Outcome fixed = run();

        assertTrue(fixed.ok(), fixed.diagnostics().toString());
        assertEquals(List.of("bad.model"), fixed.compiled());
        assertTrue(Files.isRegularFile(out().resolve("Cube.java")));
    }

    @Test
    void twoModelsOfTheSameClassAreAnError() throws IOException {
        write("a/square.model", SQUARE);
        write("b/square.model", SQUARE);

        ModelSourceGenerator.Outcome outcome = generator("same", "v1").run();

        List<String> headers = outcome.errors().stream().map(Diagnostic::header).toList();
        assertEquals(List.of("src/main/models/b/square.model:1:1: error: generates same/Square.java, which"
                + " a/square.model generates too (rename one of the models)"), headers);
    }

    @Test
    void noSourceDirectoryMeansNothingToDo() throws IOException {
        ModelSourceGenerator.Outcome outcome = run();

        assertTrue(outcome.ok());
        assertEquals(List.of(), outcome.compiled());
        assertFalse(Files.exists(out()));
    }

    @Test
    void aCorruptStateFileRegeneratesEverything() throws IOException {
        write("square.model", SQUARE);
        run();
        Files.writeString(project.resolve("target/maven-status/adjoint/test.state"), "garbage\n");

        assertEquals(List.of("square.model"), run().compiled());
        assertEquals(List.of(), run().compiled());
    }
}
