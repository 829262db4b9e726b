package dev.adjoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.runtime.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code adjoint compile}, {@code grad} and {@code gradcheck} through the command line, in-process. */
class CompileGradCommandsTest {

    private static String resource(String path) throws IOException {
        try (InputStream in = Objects.requireNonNull(CompileGradCommandsTest.class.getResourceAsStream(path), path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** {@code grad --values} on the PyTorch reference cases gives PyTorch's loss, outputs and gradients. */
    @ParameterizedTest
    @ValueSource(strings = {"mlp", "layernorm_gelu", "batchnorm_mix", "rosenbrock", "elementwise", "shapes_casts"})
    void gradMatchesPyTorch(String name, @TempDir Path dir) throws IOException {
        Map<?, ?> ref = (Map<?, ?>) parseJson(resource("/torch/" + name + ".json"));
        Path model = dir.resolve(name + ".model");
        Files.writeString(model, (String) ref.get("model"));
        Path values = dir.resolve("V.json");
        Files.writeString(values, "{\"dims\": " + json(ref.get("dims")) + ", \"inputs\": " + json(ref.get("inputs"))
                + ", \"params\": " + json(ref.get("params")) + "}");
        CliRun r = CliRun.run("grad", model.toString(), "--values", values.toString());
        assertEquals(0, r.exit(), r.err());
        assertEquals("", r.err());
        Map<?, ?> got = (Map<?, ?>) parseJson(r.out());
        assertEquals(List.of("loss", "outputs", "gradients"), List.copyOf(got.keySet()));
        assertClose(name + " loss", ref.get("loss"), got.get("loss"));
        assertEquals(((Map<?, ?>) ref.get("outputs")).keySet(), ((Map<?, ?>) got.get("outputs")).keySet());
        for (Object k : ((Map<?, ?>) ref.get("outputs")).keySet()) {
            assertClose(name + " " + k, ((Map<?, ?>) ref.get("outputs")).get(k), ((Map<?, ?>) got.get("outputs")).get(k));
        }
        Map<?, ?> refGrads = (Map<?, ?>) ref.get("gradients");
        Map<?, ?> gotGrads = (Map<?, ?>) got.get("gradients");
        assertEquals(refGrads.keySet(), gotGrads.keySet());
        for (Object k : refGrads.keySet()) {
            assertClose(name + " d" + k, refGrads.get(k), gotGrads.get(k));
        }
    }

    private static void assertClose(String what, Object expected, Object actual) {
        List<Double> e = new ArrayList<>();
        List<Double> a = new ArrayList<>();
        flatten(expected, e);
        flatten(actual, a);
        assertEquals(e.size(), a.size(), what + ": size");
        for (int i = 0; i < e.size(); i++) {
            assertTrue(Math.abs(e.get(i) - a.get(i)) <= 1e-11 + 1e-9 * Math.abs(e.get(i)),
                    what + "[" + i + "]: PyTorch " + e.get(i) + ", adjoint grad " + a.get(i));
        }
    }

    private static void flatten(Object o, List<Double> out) {
        if (o instanceof List<?> l) {
            l.forEach(x -> flatten(x, out));
        } else {
            out.add(((Number) o).doubleValue());
        }
    }

    private static String json(Object o) {
        if (o instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            m.forEach((k, v) -> parts.add("\"" + k + "\": " + json(v)));
            return "{" + String.join(", ", parts) + "}";
        }
        if (o instanceof List<?> l) {
            return "[" + String.join(", ", l.stream().map(CompileGradCommandsTest::json).toList()) + "]";
        }
        return String.valueOf(o);
    }

    @Test
    void gradWithoutParamsUsesTheSeedAndPrintsOnlyJson(@TempDir Path dir) throws IOException {
        Path values = dir.resolve("V.json");
        Files.writeString(values, "{\"inputs\": {\"x\": [[0.1, 0.2, 0.3, 0.4, 0.5], [1, 2, 3, 4, 5]],"
                + " \"y\": [2, 0]}}");
        Path model = dir.resolve("mlp.model");
        Files.writeString(model, (String) ((Map<?, ?>) parseJson(resource("/torch/mlp.json"))).get("model"));
        CliRun a = CliRun.run("grad", model.toString(), "--values", values.toString(), "--seed", "7");
        CliRun b = CliRun.run("grad", model.toString(), "--values", values.toString(), "--seed", "7");
        assertEquals(0, a.exit(), a.err());
        assertEquals(a.out(), b.out());
        assertTrue(a.out().startsWith("{ \"loss\": "), a.out());
    }

    @Test
    void gradReportsBadValuesAndRuntimeChecks(@TempDir Path dir) throws IOException {
        Path model = dir.resolve("mlp.model");
        Files.writeString(model, (String) ((Map<?, ?>) parseJson(resource("/torch/mlp.json"))).get("model"));
        Path values = dir.resolve("V.json");
        Files.writeString(values, "{\"inputs\": {\"x\": [[0.1, 0.2, 0.3, 0.4, 0.5]], \"y\": [5]}}");
        CliRun r = CliRun.run("grad", model.toString(), "--values", values.toString());
        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertTrue(r.err().contains("label 5") && r.err().contains("out of range"), r.err());
        Files.writeString(values, "{\"inputs\": {\"x\": [[0.1, 0.2]], \"y\": [1]}}");
        r = CliRun.run("grad", model.toString(), "--values", values.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("input x: expected f64[B, 5], got f64[1, 2]"), r.err());
        r = CliRun.run("grad", CliRun.model("bad.model"), "--values", values.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains(": error: "), r.err());
        assertEquals("", r.out());
    }

    @Test
    void compileWritesOneClassPerModelInItsPackage(@TempDir Path dir) throws IOException {
        CliRun r = CliRun.run("compile", CliRun.model("digits.model"), CliRun.model("deep.model"),
                "-d", dir.toString(), "--package", "com.example.models");
        assertEquals(0, r.exit(), r.err());
        Path digits = dir.resolve("com/example/models/DigitsMlp.java");
        assertTrue(Files.exists(digits), r.out());
        assertTrue(Files.readString(digits).startsWith("package com.example.models;"));
        assertTrue(Files.exists(dir.resolve("com/example/models/Deep.java")));
        String first = Files.readString(digits);
        assertEquals(0, CliRun.run("compile", CliRun.model("digits.model"), "-d", dir.toString(), "--package",
                "com.example.models").exit());
        assertEquals(first, Files.readString(digits), "byte-identical output for the same model");
    }

    @Test
    void aBadModelWritesNothing(@TempDir Path dir) throws IOException {
        CliRun r = CliRun.run("compile", CliRun.model("digits.model"), CliRun.model("bad.model"),
                "-d", dir.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains(": error: "), r.err());
        try (Stream<Path> files = Files.walk(dir)) {
            assertEquals(List.of(dir), files.toList(), "nothing may be written");
        }
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void whenOneSourceCannotBeWrittenNoneIs(@TempDir Path dir) throws IOException {
        Path pkg = Files.createDirectories(dir.resolve("com/example"));
        Files.writeString(pkg.resolve("DigitsMlp.java"), "// an older version");
        Files.createDirectories(pkg.resolve("Deep.java")).resolve("x").toFile().createNewFile(); // in the way
        CliRun r = CliRun.run("compile", CliRun.model("digits.model"), CliRun.model("deep.model"), "-d",
                dir.toString(), "--package", "com.example");
        assertEquals(1, r.exit());
        assertEquals("", r.out());
        assertEquals("adjoint compile: cannot write " + pkg.resolve("Deep.java").toAbsolutePath() + ": a directory is in"
                + " the way; nothing was written\n", r.err());
        assertEquals("// an older version", Files.readString(pkg.resolve("DigitsMlp.java")), "the old file is back");
        try (Stream<Path> files = Files.list(pkg)) {
            assertEquals(List.of("Deep.java", "DigitsMlp.java"), files.map(p -> p.getFileName().toString()).sorted()
                    .toList(), "no temporary file is left");
        }
    }

    @Test
    void compileToAFileSaysWhyItCannotWrite(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("not-a-dir"), "");
        CliRun r = CliRun.run("compile", CliRun.model("digits.model"), "-d", file.toString());
        assertEquals(1, r.exit());
        assertEquals("adjoint compile: cannot write " + file.toAbsolutePath() + ": it exists and is not a directory;"
                + " nothing was written\n", r.err());
        CliRun nested = CliRun.run("compile", CliRun.model("digits.model"), "-d", file.toString(), "--package", "a.b");
        assertEquals(r.err(), nested.err());
        assertEquals("", Files.readString(file));
    }

    @Test
    void directoriesCreatedForAFailedWriteAreRemoved(@TempDir Path dir) throws IOException {
        Path tests = dir.resolve("tests");
        Files.createDirectories(tests.resolve("p/DigitsMlpGradientTest.java/x"));
        CliRun r = CliRun.run("compile", CliRun.model("digits.model"), "-d", dir.resolve("main").toString(),
                "--package", "p", "--tests", tests.toString());
        assertEquals(1, r.exit(), r.err());
        assertFalse(Files.exists(dir.resolve("main")), "the directories made for the sources are gone again");
    }

    @Test
    void gradcheckPassesOnAGoodModelAndFailsAtZeroTolerance() {
        CliRun ok = CliRun.run("gradcheck", CliRun.model("digits.model"), "--seed", "3");
        assertEquals(0, ok.exit(), ok.out() + ok.err());
        assertTrue(ok.out().contains("W1  worst relative error"), ok.out());
        assertTrue(ok.out().endsWith("all gradients within tolerance\n"), ok.out());
        CliRun strict = CliRun.run("gradcheck", CliRun.model("digits.model"), "--tolerance", "0");
        assertEquals(1, strict.exit(), strict.out());
        assertTrue(strict.out().contains("FAILED"), strict.out());
    }

    @Test
    void gradcheckRefusesAModelWithoutLoss(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("noloss.model");
        Files.writeString(file, "model NoLoss {\n  input x : f64[3]\n  output y = exp(x)\n}\n");
        CliRun r = CliRun.run("gradcheck", file.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("has no loss"), r.err());
    }

    /** The JSON text parsed; a syntax error fails the test. */
    private static Object parseJson(String text) {
        try {
            return Json.parse(text);
        } catch (Json.SyntaxException e) {
            throw new AssertionError("not JSON: " + e.getMessage(), e);
        }
    }
}
