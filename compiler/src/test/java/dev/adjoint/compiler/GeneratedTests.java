package dev.adjoint.compiler;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import dev.adjoint.runtime.AdjointModel;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.io.StringWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
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
     * files by binary name. Fails with javac's output on any error or warning.
     */
    public static Map<String, byte[]> compile(Map<String, String> units, String classPath) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        Map<String, ByteArrayOutputStream> out = new TreeMap<>();
        JavaFileManager files = new ForwardingJavaFileManager<>(javac.getStandardFileManager(null, null, null)) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                    FileObject sibling) {
                return new SimpleJavaFileObject(uri(className, kind), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                        out.put(className, bytes);
                        return bytes;
                    }
                };
            }
        };
        List<JavaFileObject> sources = new ArrayList<>();
        units.forEach((name, text) -> sources.add(new SimpleJavaFileObject(uri(name, JavaFileObject.Kind.SOURCE),
                JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return text;
            }
        }));
        StringWriter diagnostics = new StringWriter();
        List<String> args = List.of("-classpath", classPath, "-proc:none", "-Xlint:all", "-Werror");
        boolean ok = javac.getTask(diagnostics, files, null, args, null, sources).call();
        if (!ok || !diagnostics.toString().isEmpty()) {
            throw new AssertionError("javac failed for " + units.keySet() + ":\n" + diagnostics);
        }
        Map<String, byte[]> classes = new TreeMap<>();
        out.forEach((name, bytes) -> classes.put(name, bytes.toByteArray()));
        return classes;
    }

    /** A loader for the given class files, delegating everything else to the tests' own class loader. */
    public static ClassLoader loader(Map<String, byte[]> classes) {
        return new ClassLoader(GeneratedTests.class.getClassLoader()) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                byte[] b = classes.get(name);
                if (b == null) {
                    throw new ClassNotFoundException(name);
                }
                return defineClass(name, b, 0, b.length);
            }
        };
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

    private static URI uri(String className, JavaFileObject.Kind kind) {
        return URI.create("mem:///" + className.replace('.', '/') + kind.extension);
    }
}
