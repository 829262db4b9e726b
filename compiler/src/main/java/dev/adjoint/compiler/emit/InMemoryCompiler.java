package dev.adjoint.compiler.emit;

import dev.adjoint.runtime.AdjointModel;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Compiles generated source in memory (javax.tools) against the runtime classes of the current class path,
 * and loads the result.
 */
public final class InMemoryCompiler {
    private final List<String> options;

    /** A compiler with the given extra javac options (e.g. {@code -Xlint:all}, {@code -Werror}). */
    public InMemoryCompiler(String... options) {
        this.options = List.of(options);
    }

    /** Thrown when javac rejects the source; the message holds javac's diagnostics. */
    public static final class CompilationException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        CompilationException(String message) {
            super(message);
        }
    }

    /** The class files (binary name → bytes) of one compilation unit, compiled against the runtime. */
    public Map<String, byte[]> compile(String qualifiedName, String source) {
        return compile(Map.of(qualifiedName, source), runtimeClassPath());
    }

    /**
     * The class files (binary name → bytes) of several compilation units (qualified name → source), compiled
     * together against {@code classPath}, without annotation processors. With {@code -Werror} among the
     * options, any diagnostic at all (even a note) is a failure.
     */
    public Map<String, byte[]> compile(Map<String, String> units, String classPath) {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        if (javac == null) {
            throw new IllegalStateException("no Java compiler available (running on a JRE?)");
        }
        Map<String, ByteArrayOutputStream> out = new TreeMap<>();
        StandardJavaFileManager standard = javac.getStandardFileManager(null, null, null);
        JavaFileManager files = new ForwardingJavaFileManager<>(standard) {
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
        List<String> args = new ArrayList<>(List.of("-classpath", classPath, "-proc:none"));
        args.addAll(options);
        StringWriter diagnostics = new StringWriter();
        boolean ok = javac.getTask(diagnostics, files, null, args, null, sources).call();
        if (!ok || !diagnostics.toString().isEmpty() && options.contains("-Werror")) {
            String what = units.size() == 1 ? units.keySet().iterator().next() : units.keySet().toString();
            throw new CompilationException("javac failed for " + what + ":\n" + diagnostics);
        }
        Map<String, byte[]> classes = new TreeMap<>();
        out.forEach((name, bytes) -> classes.put(name, bytes.toByteArray()));
        return classes;
    }

    /** A class loader that defines the given class files and delegates everything else to {@code parent}. */
    public static ClassLoader loader(Map<String, byte[]> classes, ClassLoader parent) {
        return new ClassLoader(parent) {
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

    /** Compiles and instantiates the model class {@code qualifiedName} with {@code new Model(seed)}. */
    public AdjointModel load(String qualifiedName, String source, long seed) {
        return instantiate(compile(qualifiedName, source), qualifiedName, seed);
    }

    /**
     * Defines compiled class files with a {@link #loader} over the runtime's class loader and instantiates the
     * model class {@code qualifiedName} with {@code new Model(seed)}.
     */
    public static AdjointModel instantiate(Map<String, byte[]> classes, String qualifiedName, long seed) {
        ClassLoader loader = loader(classes, AdjointModel.class.getClassLoader());
        try {
            Class<? extends AdjointModel> c = loader.loadClass(qualifiedName).asSubclass(AdjointModel.class);
            return c.getConstructor(long.class).newInstance(seed);
        } catch (ClassNotFoundException | NoSuchMethodException | InstantiationException | IllegalAccessException e) {
            throw new IllegalStateException("cannot load " + qualifiedName, e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("constructor of " + qualifiedName + " failed", e.getCause());
        }
    }

    private static URI uri(String className, JavaFileObject.Kind kind) {
        return URI.create("mem:///" + className.replace('.', '/') + kind.extension);
    }

    /** Where the runtime's classes are (a jar or a classes directory). */
    public static String runtimeClassPath() {
        try {
            return new File(AdjointModel.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getPath();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
