package dev.adjoint.maven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.maven.model.Build;
import org.apache.maven.model.Model;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.SystemStreamLog;
import org.apache.maven.project.MavenProject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the mojo the way Maven would, over a tiny project in a temporary directory: a real
 * {@link MavenProject}, the parameters at their documented defaults, then {@code execute()}.
 */
class GenerateMojoTest {
    @TempDir
    Path dir;

    MavenProject project;
    final List<String> log = new ArrayList<>();

    @BeforeEach
    void tinyProject() throws IOException {
        Model model = new Model();
        model.setGroupId("org.example");
        model.setArtifactId("tiny");
        model.setVersion("1.0");
        Build build = new Build();
        build.setDirectory(dir.resolve("target").toString());
        build.setSourceDirectory(dir.resolve("src/main/java").toString());
        model.setBuild(build);
        project = new MavenProject(model);
        project.setFile(dir.resolve("pom.xml").toFile());
        Files.writeString(dir.resolve("pom.xml"), "<project/>\n");
    }

    /** The mojo with the defaults of its {@code @Parameter}s, as Maven would configure it. */
    GenerateMojo mojo() {
        GenerateMojo mojo = new GenerateMojo();
        mojo.project = project;
        mojo.sourceDirectory = dir.resolve("src/main/models").toFile();
        mojo.outputDirectory = dir.resolve("target/generated-sources/adjoint").toFile();
        mojo.testOutputDirectory = dir.resolve("target/generated-test-sources/adjoint").toFile();
        mojo.setLog(new SystemStreamLog() {
            @Override
            public void info(CharSequence content) {
                log.add("[INFO] " + content);
            }

            @Override
            public void warn(CharSequence content) {
                log.add("[WARNING] " + content);
            }

            @Override
            public void error(CharSequence content) {
                log.add("[ERROR] " + content);
            }
        });
        return mojo;
    }

    Path model(String relative, String text) throws IOException {
        Path file = dir.resolve("src/main/models").resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    Path generated(String relative) {
        return dir.resolve("target/generated-sources/adjoint").resolve(relative);
    }

    @Test
    void generatesTheClassInThePackageOfItsDirectoryAndAddsTheSourceRoot() throws Exception {
        model("com/acme/square.model", ModelSourceGeneratorTest.SQUARE);

        mojo().execute();

        String text = Files.readString(generated("com/acme/Square.java"));
        assertTrue(text.startsWith("package com.acme;\n"), text);
        assertTrue(project.getCompileSourceRoots().contains(generated("").toString()),
                project.getCompileSourceRoots().toString());
        assertEquals(List.of(), project.getTestCompileSourceRoots());
        assertTrue(Files.isRegularFile(dir.resolve("target/maven-status/adjoint/default.state")));
        assertEquals(List.of("[INFO] Adjoint: compiled 1 model (0 up to date), wrote 1 file under "
                + generated("").toFile()), log);
    }

    @Test
    void secondRunIsUpToDateAndAnEditRegenerates() throws Exception {
        Path model = model("p/square.model", ModelSourceGeneratorTest.SQUARE);
        mojo().execute();
        Path out = generated("p/Square.java");
        String first = Files.readString(out);
        FileTime firstTime = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(out, firstTime);
        log.clear();

        mojo().execute();

        assertEquals(List.of("[INFO] Adjoint: the model is up to date"), log);
        assertEquals(firstTime, Files.getLastModifiedTime(out));

        Files.writeString(model, ModelSourceGeneratorTest.SQUARE.replace("sum(w * w)", "sum(exp(w))"));
        ModelSourceGeneratorTest.bumpMtime(model);
        log.clear();
        mojo().execute();

        assertEquals(List.of("[INFO] Adjoint: compiled 1 model (0 up to date), wrote 1 file under "
                + generated("").toFile()), log);
        assertNotEquals(first, Files.readString(out));
        assertTrue(Files.readString(out).contains("exp"));
    }

    @Test
    void packageNameOverride() throws Exception {
        model("com/acme/square.model", ModelSourceGeneratorTest.SQUARE);
        GenerateMojo mojo = mojo();
        mojo.packageName = "org.example.gen";

        mojo.execute();

        assertTrue(Files.readString(generated("org/example/gen/Square.java")).startsWith("package org.example.gen;"));
        assertFalse(Files.exists(generated("com")));
    }

    @Test
    void anInvalidPackageNameFailsTheBuild() {
        GenerateMojo mojo = mojo();
        mojo.packageName = "org.example.2";

        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertEquals("Adjoint: packageName 'org.example.2' is not a Java package name", e.getMessage());
    }

    @Test
    void aBrokenModelFailsWithItsPositionInTheLogAndTheException() throws Exception {
        model("p/square.model", ModelSourceGeneratorTest.SQUARE);
        model("p/bad.model", ModelSourceGeneratorTest.BAD);

        MojoFailureException e = assertThrows(MojoFailureException.class, mojo()::execute);

        String header = "src/main/models/p/bad.model:4:18: error: matmul: [2, 3] @ [4, 5]: inner dimensions 3 and 4"
                + " differ";
        assertEquals("Adjoint: 1 error in 1 model; nothing generated:\n" + header, e.getMessage());
        assertEquals(List.of("[ERROR] " + header + "\n    loss l = sum(x @ W)\n                   ^"), log);
        assertFalse(Files.exists(generated("p/Square.java")), "nothing is written when a model is broken");
    }

    @Test
    void everyBrokenModelIsReported() throws Exception {
        model("a/bad.model", ModelSourceGeneratorTest.BAD);
        model("b/also_bad.model", ModelSourceGeneratorTest.BAD.replace("model Bad", "model AlsoBad"));

        MojoFailureException e = assertThrows(MojoFailureException.class, mojo()::execute);

        assertTrue(e.getMessage().startsWith("Adjoint: 2 errors in 2 models; nothing generated:\n"
                + "src/main/models/a/bad.model:4:18: error: matmul:"), e.getMessage());
        assertTrue(e.getMessage().contains("\nsrc/main/models/b/also_bad.model:4:18: error: matmul:"), e.getMessage());
        assertEquals(2, log.stream().filter(l -> l.startsWith("[ERROR] src/main/models/")).count(), log.toString());
    }

    @Test
    void generateTestsWritesAGradientTestToTheTestSourceRoot() throws Exception {
        model("com/acme/square.model", ModelSourceGeneratorTest.SQUARE);
        GenerateMojo mojo = mojo();
        mojo.generateTests = true;

        mojo.execute();

        Path testRoot = dir.resolve("target/generated-test-sources/adjoint");
        assertEquals(List.of(testRoot.toString()), project.getTestCompileSourceRoots());
        assertTrue(Files.isRegularFile(generated("com/acme/Square.java")));
        String test = Files.readString(testRoot.resolve("com/acme/SquareGradientTest.java"));
        assertTrue(test.startsWith("package com.acme;\n"), test);
        assertTrue(test.contains("@Test"), test);
        try (Stream<Path> main = Files.walk(generated(""))) {
            assertEquals(List.of(generated("com/acme/Square.java")), main.filter(Files::isRegularFile).toList(),
                    "test units stay out of main sources");
        }
    }

    /** Declares {@code maven-surefire-plugin} at {@code version}, as the effective POM of a Maven build has it. */
    void surefire(String version) {
        org.apache.maven.model.Plugin p = new org.apache.maven.model.Plugin();
        p.setGroupId("org.apache.maven.plugins");
        p.setArtifactId("maven-surefire-plugin");
        p.setVersion(version);
        project.getBuild().addPlugin(p);
    }

    @Test
    void generateTestsFailsTheBuildWhenSurefireCannotRunJUnit5() throws Exception {
        model("square.model", ModelSourceGeneratorTest.SQUARE);
        surefire("2.12.4"); // Maven 3.8.7's default for a project that does not pin Surefire
        GenerateMojo mojo = mojo();
        mojo.generateTests = true;
        MojoFailureException e = assertThrows(MojoFailureException.class, mojo::execute);
        assertTrue(e.getMessage().startsWith("Adjoint: generateTests is on, but this project runs"
                + " maven-surefire-plugin 2.12.4, which cannot run JUnit 5 or later tests"), e.getMessage());
        assertTrue(e.getMessage().contains("<artifactId>maven-surefire-plugin</artifactId><version>3.6.0</version>"),
                e.getMessage());
        assertFalse(Files.exists(dir.resolve("target/generated-test-sources/adjoint/SquareGradientTest.java")));

        GenerateMojo skipping = mojo();
        skipping.generateTests = true;
        skipping.skipTests = true;
        skipping.execute(); // the tests would not run anyway
        GenerateMojo without = mojo();
        without.execute(); // no generated tests, nothing to run
    }

    @Test
    void generateTestsRunsWithAPinnedSurefireAndWarnsBefore3() throws Exception {
        model("square.model", ModelSourceGeneratorTest.SQUARE);
        surefire("2.22.2");
        GenerateMojo mojo = mojo();
        mojo.generateTests = true;
        mojo.execute();
        assertTrue(log.stream().anyMatch(l -> l.startsWith("[WARNING] Adjoint: maven-surefire-plugin 2.22.2 runs JUnit 5"
                + " tests with its own JUnit Platform launcher")), log.toString());
        assertTrue(Files.isRegularFile(dir.resolve("target/generated-test-sources/adjoint/SquareGradientTest.java")));
    }

    @Test
    void turningGenerateTestsOffDeletesTheGeneratedTests() throws Exception {
        model("square.model", ModelSourceGeneratorTest.SQUARE);
        GenerateMojo withTests = mojo();
        withTests.generateTests = true;
        withTests.execute();
        Path test = dir.resolve("target/generated-test-sources/adjoint/SquareGradientTest.java");
        assertTrue(Files.isRegularFile(test));

        mojo().execute();

        assertFalse(Files.exists(test));
        assertTrue(Files.isRegularFile(generated("Square.java")));
    }

    @Test
    void skipDoesNothing() throws Exception {
        model("square.model", ModelSourceGeneratorTest.SQUARE);
        GenerateMojo mojo = mojo();
        mojo.skip = true;

        mojo.execute();

        assertFalse(Files.exists(generated("")));
        assertFalse(project.getCompileSourceRoots().contains(generated("").toString()));
    }

    @Test
    void anUnwritableOutputIsAnExecutionError() throws Exception {
        model("square.model", ModelSourceGeneratorTest.SQUARE);
        Files.createDirectories(dir.resolve("target"));
        Files.writeString(dir.resolve("target/generated-sources"), "a file where a directory should be");

        MojoExecutionException e = assertThrows(MojoExecutionException.class, mojo()::execute);
        assertTrue(e.getMessage().startsWith("Adjoint: cannot generate sources: "), e.getMessage());
    }

    @Test
    void noModelsIsNotAnError() throws Exception {
        mojo().execute();

        assertEquals(List.of("[INFO] Adjoint: no models in " + new File(dir.toFile(), "src/main/models")), log);
    }
}
