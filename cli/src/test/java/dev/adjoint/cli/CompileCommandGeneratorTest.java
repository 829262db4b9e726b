package dev.adjoint.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.Compilation;
import dev.adjoint.compiler.CompiledModel;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.diag.SourceFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code adjoint compile} goes through the Compiler facade and writes exactly what the emitter gives. */
class CompileCommandGeneratorTest {

    @Test
    void compileWritesTheEmittersTextByteForByte(@TempDir Path dir) throws IOException {
        String[] models = {CliRun.model("digits.model"), CliRun.model("deep.model")};
        CliRun r = CliRun.run("compile", models[0], models[1], "-d", dir.toString(), "--package", "com.acme");
        assertEquals(0, r.exit(), r.err());
        for (String model : models) {
            Compilation compiled = Compiler.compile(new SourceFile(model, Files.readString(Path.of(model))),
                    Compiler.Options.of("com.acme"));
            assertTrue(compiled.ok());
            for (CompiledModel m : compiled.models()) {
                String expected = m.javaSource();
                Path written = dir.resolve("com/acme/" + m.className() + ".java");
                assertEquals(expected, Files.readString(written), written.toString());
                assertTrue(r.out().contains(written.toString()), r.out());
            }
        }
    }

    @Test
    void testsGoToTheirOwnDirectory(@TempDir Path dir) throws IOException {
        Path main = dir.resolve("main");
        Path tests = dir.resolve("tests");
        CliRun r = CliRun.run("compile", CliRun.model("digits.model"), "-d", main.toString(), "--package", "com.acme",
                "--tests", tests.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.exists(main.resolve("com/acme/DigitsMlp.java")));
        assertTrue(Files.readString(tests.resolve("com/acme/DigitsMlpGradientTest.java"))
                .contains("class DigitsMlpGradientTest"));
        assertTrue(Files.exists(tests.resolve("com/acme/DigitsMlpF64Twin.java")));
        assertEquals(3, r.out().lines().count(), r.out());
        try (var files = Files.list(main.resolve("com/acme"))) {
            assertEquals(1, files.count(), "no test in the main directory");
        }
    }

    @Test
    void diagnosticsOfEveryFileArePrintedAndNothingIsWritten(@TempDir Path dir) throws IOException {
        CliRun r = CliRun.run("compile", CliRun.model("bad.model"), CliRun.model("syntax.model"), "-d",
                dir.toString());
        assertEquals(1, r.exit());
        assertTrue(r.err().contains("bad.model:6:9: error: "), r.err());
        assertTrue(r.err().contains("syntax.model:3:"), r.err());
        r.assertNoStackTrace();
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }
}
