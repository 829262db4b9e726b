package dev.adjoint.compiler;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.adjoint.compiler.emit.InMemoryCompiler;
import dev.adjoint.runtime.AdjointModel;
import java.io.File;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

/**
 * Test support for generated code: compiles sources in memory against a chosen class path, loads the classes,
 * and runs generated JUnit tests with the JUnit Platform Launcher.
 */
public final class GeneratedTests {
    private GeneratedTests() {
    }

    /** The class path a generated gradient test may use: adjoint-runtime and junit-jupiter-api (with its deps). */
    public static String runtimeAndJupiterApi() {
        return classPath(AdjointModel.class, org.junit.jupiter.api.Test.class,
                org.opentest4j.AssertionFailedError.class, org.junit.platform.commons.JUnitException.class,
                org.apiguardian.api.API.class, org.jspecify.annotations.Nullable.class);
    }

    /** The class path of adjoint-runtime alone: what a generated model class may use. */
    public static String runtimeOnly() {
        return classPath(AdjointModel.class);
    }

    private static String classPath(Class<?>... anchors) {
        return Stream.of(anchors).map(GeneratedTests::location).distinct()
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static String location(Class<?> c) {
        try {
            return new File(c.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Compiles the units (qualified name → source) with {@code -Xlint:all -Werror} and no processors; class
     * files by binary name. Fails with javac's output on any error, warning or note.
     */
    public static Map<String, byte[]> compile(Map<String, String> units, String classPath) {
        try {
            return new InMemoryCompiler("-Xlint:all", "-Werror").compile(units, classPath);
        } catch (InMemoryCompiler.CompilationException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    /** A loader for the given class files, delegating everything else to the tests' own class loader. */
    public static ClassLoader loader(Map<String, byte[]> classes) {
        return InMemoryCompiler.loader(classes, GeneratedTests.class.getClassLoader());
    }

    /** Runs the JUnit tests of one class with the JUnit Platform Launcher. */
    public static TestExecutionSummary run(Class<?> testClass) {
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        launcher.execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(testClass)).build(),
                listener);
        return listener.getSummary();
    }

    /** The summary's failures, printed, for an assertion message. */
    public static String failures(TestExecutionSummary summary) {
        StringWriter text = new StringWriter();
        summary.printFailuresTo(new java.io.PrintWriter(text), 5);
        return text.toString();
    }
}
