package dev.adjoint.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples of {@code docs/java-api.md}, as a reader would copy them: every {@code java} block is a whole
 * compilation unit; together they must compile without a warning against the runtime and the sample models'
 * generated classes (the test class path), and the quick ones must run.
 */
class JavaApiDocTest {
    private static final Path DOC = Path.of("../docs/java-api.md");
    private static final Pattern BLOCK = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);
    private static final Pattern CLASS = Pattern.compile("public class (\\w+)");

    @TempDir
    static Path dir;
    private static Path classes;
    private static Map<String, String> units;

    @BeforeAll
    static void compileTheExamples() throws IOException {
        units = new LinkedHashMap<>();
        Matcher m = BLOCK.matcher(Files.readString(DOC));
        while (m.find()) {
            Matcher name = CLASS.matcher(m.group(1));
            assertTrue(name.find(), "every example is a public class:\n" + m.group(1));
            units.put(name.group(1), m.group(1));
        }
        assertTrue(units.size() >= 6, "examples found: " + units.keySet());
        Path src = dir.resolve("src");
        classes = dir.resolve("classes");
        Files.createDirectories(src);
        Files.createDirectories(classes);
        List<Path> files = new ArrayList<>();
        for (Map.Entry<String, String> u : units.entrySet()) {
            files.add(Files.writeString(src.resolve(u.getKey() + ".java"), u.getValue()));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "-d",
                    classes.toString(), "--release", "17", "-Xlint:all", "-proc:none");
            boolean ok = javac.getTask(null, fm, diagnostics, options, null,
                    fm.getJavaFileObjectsFromPaths(files)).call();
            StringBuilder report = new StringBuilder();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                report.append(d).append('\n');
            }
            assertTrue(ok, report.toString());
            assertEquals("", report.toString(), "no warnings either");
        }
    }

    /** Runs an example's main and returns what it printed. */
    private static String run(String example, String... args) throws Exception {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                JavaApiDocTest.class.getClassLoader())) {
            Method main = loader.loadClass(example).getMethod("main", String[].class);
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            main.invoke(null, (Object) args);
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theModelAndTensorExamplesRun() throws Exception {
        String first = run("FirstSteps");
        assertTrue(first.contains("dW1 is f32[64, 32]") && first.contains("W2 : f32[32, 10]"), first);
        assertTrue(run("Tensors").startsWith("10.0 1.0\nf32[2, 3], element [1][2] = 6.0\n"));
        assertTrue(run("ManualLoop").startsWith("loss after 100 steps: "));
    }

    @Test
    void theTrainingExamplesTrainSaveLoadAndResume() throws Exception {
        Path params = dir.resolve("digits.safetensors");
        String trained = run("TrainDigits", "data/digits.csv.gz", "2", params.toString());
        assertTrue(trained.contains("epoch 2: train loss "), trained);
        String loaded = run("LoadAndEvaluate", params.toString(), "data/digits.csv.gz");
        assertTrue(loaded.startsWith("trained for 90 steps\nloss "), loaded);
        String regression = run("TrainRegression", "data/friedman1.csv", "1", dir.resolve("dr.safetensors").toString());
        assertTrue(regression.startsWith("held-out RMSE "), regression);
        Path checkpoint = dir.resolve("digits.ckpt");
        String firstRun = run("ResumableRun", "data/digits.csv.gz", checkpoint.toString());
        assertTrue(Files.isRegularFile(checkpoint), firstRun);
        String again = run("ResumableRun", "data/digits.csv.gz", checkpoint.toString());
        assertTrue(again.startsWith("continuing after epoch 10\n"), again);
    }

    @Test
    void thePredictionExamplePredictsFromWhatTrainSaved() throws Exception {
        Path out = dir.resolve("bn");
        java.io.StringWriter err = new java.io.StringWriter();
        int exit = dev.adjoint.cli.Main.run(new java.io.PrintWriter(new java.io.StringWriter()),
                new java.io.PrintWriter(err), "train", "models/digits_bn.model", "--data", "data/digits.csv.gz",
                "--standardize", "--epochs", "3", "--no-plots", "--out", out.toString());
        assertEquals(0, exit, err.toString());
        String predicted = run("PredictDigits", out.resolve("DigitsBn.safetensors").toString(), "data/digits.csv.gz");
        // the first ten rows of the file are the digits 0 to 9; after 3 epochs, at most one of them is wrong
        assertTrue(predicted.startsWith("predicted classes of the first 10 rows: "), predicted);
        String[] classes = predicted.strip().substring(predicted.indexOf(": ") + 2).split(" ");
        assertEquals(10, classes.length, predicted);
        int right = 0;
        for (int i = 0; i < 10; i++) {
            right += classes[i].equals(Integer.toString(i)) ? 1 : 0;
        }
        assertTrue(right >= 9, predicted);
    }
}
