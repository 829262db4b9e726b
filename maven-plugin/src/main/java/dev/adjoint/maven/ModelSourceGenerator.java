package dev.adjoint.maven;

import dev.adjoint.compiler.Compilation;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.ModelTooLargeException;
import dev.adjoint.compiler.GeneratedSource;
import dev.adjoint.compiler.diag.Diagnostic;
import dev.adjoint.compiler.diag.Diagnostics;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.plan.CheckpointException;
import dev.adjoint.compiler.plan.CheckpointPolicy;
import dev.adjoint.runtime.check.GradientCheck;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Stream;
import javax.lang.model.SourceVersion;

/**
 * The Maven-free core of {@code adjoint:generate}: finds the {@code .model} files under a source directory,
 * compiles the ones that changed since the last run with {@link Compiler}, and writes their Java sources.
 *
 * <p>A model's package is its directory relative to the source directory ({@code com/acme/x.model} gives
 * package {@code com.acme}), unless {@link Settings#packageName()} names one package for all. A model is
 * compiled again when its size or last-modified time differs from the last successful run's, when one of
 * its outputs is missing, or when the generator's stamp (plugin and compiler version, options) changed.
 * Outputs of models that disappeared are deleted. If any model has an error, nothing is written and the
 * state is left as it was, so the next run checks the same models again.
 */
public final class ModelSourceGenerator {
    /** The file extension of model sources. */
    public static final String EXTENSION = ".model";

    /**
     * What to compile and where to put it.
     *
     * @param baseDirectory model paths in diagnostics and generated comments are relative to this
     *     (normally the project's directory), so generated code does not depend on where the project lives
     * @param sourceDirectory the root of the model tree; need not exist
     * @param outputDirectory the root for generated main sources
     * @param testOutputDirectory the root for generated test sources (gradient tests)
     * @param stateFile where to keep what the last run generated
     * @param packageName one package for every model, or {@code null} to take it from the directories
     * @param generateTests also generate a JUnit gradient test per model
     * @param testTolerance the largest relative error the gradient tests accept
     * @param testStep the gradient tests' central-difference step, relative to {@code max(1, |x|)}
     * @param stamp identifies the generator (plugin version, compiler build); a change regenerates everything
     * @param checkpoint the checkpoint policy ({@code none}, {@code sqrt}, {@code budget:64MB})
     * @param planDims the dims memory is planned for ({@code B=64}), or null
     */
    public record Settings(Path baseDirectory, Path sourceDirectory, Path outputDirectory, Path testOutputDirectory,
            Path stateFile, String packageName, boolean generateTests, double testTolerance, double testStep,
            String stamp, CheckpointPolicy checkpoint, Map<String, Integer> planDims) {

        /** Settings with the gradient tests' default tolerance and step, and {@code --checkpoint none}. */
        public Settings(Path baseDirectory, Path sourceDirectory, Path outputDirectory, Path testOutputDirectory,
                Path stateFile, String packageName, boolean generateTests, String stamp) {
            this(baseDirectory, sourceDirectory, outputDirectory, testOutputDirectory, stateFile, packageName,
                    generateTests, GradientCheck.DEFAULT_TOLERANCE, GradientCheck.STEP, stamp, CheckpointPolicy.NONE,
                    Map.of());
        }

        /** Settings with the gradient tests' default tolerance and step. */
        public Settings(Path baseDirectory, Path sourceDirectory, Path outputDirectory, Path testOutputDirectory,
                Path stateFile, String packageName, boolean generateTests, String stamp, CheckpointPolicy checkpoint,
                Map<String, Integer> planDims) {
            this(baseDirectory, sourceDirectory, outputDirectory, testOutputDirectory, stateFile, packageName,
                    generateTests, GradientCheck.DEFAULT_TOLERANCE, GradientCheck.STEP, stamp, checkpoint, planDims);
        }

        /** Settings with {@code --checkpoint none}. */
        public Settings(Path baseDirectory, Path sourceDirectory, Path outputDirectory, Path testOutputDirectory,
                Path stateFile, String packageName, boolean generateTests, double testTolerance, double testStep,
                String stamp) {
            this(baseDirectory, sourceDirectory, outputDirectory, testOutputDirectory, stateFile, packageName,
                    generateTests, testTolerance, testStep, stamp, CheckpointPolicy.NONE, Map.of());
        }

        public Settings {
            Objects.requireNonNull(baseDirectory, "baseDirectory");
            Objects.requireNonNull(sourceDirectory, "sourceDirectory");
            Objects.requireNonNull(outputDirectory, "outputDirectory");
            Objects.requireNonNull(testOutputDirectory, "testOutputDirectory");
            Objects.requireNonNull(stateFile, "stateFile");
            Objects.requireNonNull(stamp, "stamp");
            Objects.requireNonNull(checkpoint, "checkpoint");
            planDims = Map.copyOf(planDims);
        }
    }

    /**
     * What a run did.
     *
     * @param compiled models compiled in this run (paths relative to the source directory, '/'-separated)
     * @param upToDate models left alone because nothing changed
     * @param written generated files written (files whose text did not change are not rewritten)
     * @param deleted generated files of models that disappeared or no longer produce them
     * @param diagnostics every diagnostic of the compiled models, errors and warnings
     */
    public record Outcome(List<String> compiled, List<String> upToDate, List<Path> written, List<Path> deleted,
            List<Diagnostic> diagnostics) {
        /** True iff no diagnostic is an error (then the outputs are written). */
        public boolean ok() {
            return diagnostics.stream().noneMatch(Diagnostic::isError);
        }

        /** The errors alone, in model order and by position. */
        public List<Diagnostic> errors() {
            return diagnostics.stream().filter(Diagnostic::isError).toList();
        }

        /** How many different model files have errors. */
        public long modelsWithErrors() {
            return errors().stream().map(d -> d.span().file().name()).distinct().count();
        }
    }

    private final Settings settings;

    /** A generator for these settings; {@link #run} may be called again for each build. */
    public ModelSourceGenerator(Settings settings) {
        this.settings = settings;
    }

    /**
     * Compiles what is stale and writes it; see the class comment.
     *
     * @throws IOException if a model cannot be read or an output cannot be written
     * @throws IllegalStateException for an internal compiler error (the message names the model)
     */
    public Outcome run() throws IOException {
        Path sourceRoot = settings.sourceDirectory();
        List<String> models = scan(sourceRoot);
        String stamp = fullStamp();
        GeneratorState previous = GeneratorState.read(settings.stateFile());
        boolean sameGenerator = previous.stamp().equals(stamp);

        Map<String, GeneratorState.Entry> next = new TreeMap<>();
        List<String> compiled = new ArrayList<>();
        List<String> upToDate = new ArrayList<>();
        List<Diagnostic> diagnostics = new ArrayList<>();
        Map<String, List<GeneratedSource>> generated = new LinkedHashMap<>();
        Map<String, SourceFile> sourceFiles = new HashMap<>();

        for (String model : models) {
            Path file = sourceRoot.resolve(model);
            BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
            long size = attrs.size();
            long lastModified = attrs.lastModifiedTime().toMillis();
            GeneratorState.Entry old = previous.models().get(model);
            if (sameGenerator && old != null && old.size() == size && old.lastModified() == lastModified
                    && outputsExist(old)) {
                upToDate.add(model);
                next.put(model, old);
                continue;
            }
            compiled.add(model);
            Diagnostics decoding = new Diagnostics();
            SourceFile source = SourceFile.decode(displayName(file), Files.readAllBytes(file), decoding);
            sourceFiles.put(model, source);
            if (decoding.hasErrors()) {
                diagnostics.addAll(decoding.sorted());
                continue;
            }
            String packageName = packageOf(model, source, diagnostics);
            if (packageName == null) {
                continue;
            }
            Compilation result;
            try {
                result = Compiler.compile(source, Compiler.Options.of(packageName)
                        .withGradientTests(settings.generateTests()).withCheckpoint(settings.checkpoint())
                        .withPlanDims(settings.planDims())
                        .withGradientTest(settings.testTolerance(), settings.testStep()));
            } catch (RuntimeException e) {
                throw new IllegalStateException(source.name() + ": " + e.getMessage(), e); // a compiler bug
            }
            diagnostics.addAll(result.diagnostics().sorted());
            if (result.ok()) {
                List<GeneratedSource> sources;
                try {
                    sources = result.sources();
                } catch (CheckpointException e) {
                    diagnostics.add(Diagnostic.error(source.spanAt(0, 0), e.getMessage()));
                    continue;
                } catch (ModelTooLargeException e) {
                    diagnostics.add(e.diagnostic());
                    continue;
                }
                generated.put(model, sources);
                next.put(model, new GeneratorState.Entry(size, lastModified, outputsOf(sources)));
            }
        }
        reportClashes(next, sourceFiles, diagnostics);

        Outcome failed = new Outcome(compiled, upToDate, List.of(), List.of(), List.copyOf(diagnostics));
        if (!failed.ok()) {
            return failed;
        }
        List<Path> written = new ArrayList<>();
        for (List<GeneratedSource> sources : generated.values()) {
            for (GeneratedSource s : sources) {
                Path target = (s.test() ? settings.testOutputDirectory() : settings.outputDirectory())
                        .resolve(s.relativePath());
                if (OutputFiles.writeIfChanged(target, s.text())) {
                    written.add(target);
                }
            }
        }
        List<Path> deleted = deleteStale(previous, next);
        OutputFiles.writeAtomically(settings.stateFile(), new GeneratorState(stamp, next).text());
        return new Outcome(compiled, upToDate, written, deleted, List.copyOf(diagnostics));
    }

    /** The stamp recorded in the state: the caller's, plus the options that change every output. */
    private String fullStamp() {
        String stamp = settings.stamp() + " package=" + (settings.packageName() == null ? "(directories)"
                : settings.packageName()) + " tests=" + settings.generateTests()
                + (settings.generateTests() ? " tolerance=" + settings.testTolerance() + " step=" + settings.testStep()
                : "") + " checkpoint=" + settings.checkpoint() + " plan-dims=" + settings.planDims();
        return stamp.replaceAll("[\\t\\r\\n]", " ");
    }

    /** Every {@code .model} file under root, relative and '/'-separated, in path order. */
    static List<String> scan(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.getFileName().toString().endsWith(EXTENSION) && Files.isRegularFile(p))
                    .map(p -> slashes(root.relativize(p)))
                    .sorted()
                    .toList();
        }
    }

    private boolean outputsExist(GeneratorState.Entry entry) {
        return entry.outputs().stream().allMatch(o -> Files.isRegularFile(
                o.resolve(settings.outputDirectory(), settings.testOutputDirectory())));
    }

    private String displayName(Path file) {
        Path base = settings.baseDirectory().toAbsolutePath().normalize();
        Path abs = file.toAbsolutePath().normalize();
        return abs.startsWith(base) ? slashes(base.relativize(abs)) : abs.toString();
    }

    /** The file's text, or null if it is not valid UTF-8. */
    /** The package of a model: the override, or its directory; null (and a diagnostic) if not a Java name. */
    private String packageOf(String model, SourceFile source, List<Diagnostic> diagnostics) {
        if (settings.packageName() != null) {
            return settings.packageName();
        }
        int slash = model.lastIndexOf('/');
        String name = slash < 0 ? "" : model.substring(0, slash).replace('/', '.');
        if (!name.isEmpty() && !SourceVersion.isName(name)) {
            diagnostics.add(Diagnostic.error(source.spanAt(0, 0), "directory '" + model.substring(0, slash)
                    + "' is not a Java package name (the package of a model comes from its directory under "
                    + slashes(settings.sourceDirectory()) + "; rename it, or set packageName)"));
            return null;
        }
        return name;
    }

    /** Two models that would write the same file: an error on each later one. */
    private void reportClashes(Map<String, GeneratorState.Entry> next, Map<String, SourceFile> sources,
            List<Diagnostic> diagnostics) {
        Map<String, String> owner = new HashMap<>();
        for (Map.Entry<String, GeneratorState.Entry> e : next.entrySet()) {
            for (GeneratorState.Output o : e.getValue().outputs()) {
                String first = owner.putIfAbsent(o.encode(), e.getKey());
                if (first != null) {
                    String model = sources.containsKey(e.getKey()) ? e.getKey() : first;
                    SourceFile source = sources.get(model);
                    if (source == null) {
                        continue; // both up to date: cannot clash, they did not clash before
                    }
                    String other = model.equals(first) ? e.getKey() : first;
                    diagnostics.add(Diagnostic.error(source.spanAt(0, 0), "generates " + o.relativePath()
                            + ", which " + other + " generates too (rename one of the models)"));
                }
            }
        }
    }

    private static List<GeneratorState.Output> outputsOf(List<GeneratedSource> sources) {
        return sources.stream().map(s -> new GeneratorState.Output(s.test(), s.relativePath())).toList();
    }

    /** Deletes the outputs the previous run recorded that this run does not produce; returns them. */
    private List<Path> deleteStale(GeneratorState previous, Map<String, GeneratorState.Entry> next)
            throws IOException {
        List<GeneratorState.Output> keep = next.values().stream().flatMap(e -> e.outputs().stream()).toList();
        List<Path> deleted = new ArrayList<>();
        for (GeneratorState.Entry entry : previous.models().values()) {
            for (GeneratorState.Output o : entry.outputs()) {
                if (keep.contains(o)) {
                    continue;
                }
                Path file = o.resolve(settings.outputDirectory(), settings.testOutputDirectory());
                if (OutputFiles.delete(file, o.test() ? settings.testOutputDirectory() : settings.outputDirectory())) {
                    deleted.add(file);
                }
            }
        }
        return deleted;
    }

    private static String slashes(Path path) {
        return path.toString().replace('\\', '/');
    }
}
