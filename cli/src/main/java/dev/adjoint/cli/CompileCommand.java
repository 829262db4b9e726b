package dev.adjoint.cli;

import dev.adjoint.compiler.Compilation;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.GeneratedSource;
import dev.adjoint.compiler.ModelTooLargeException;
import dev.adjoint.compiler.diag.Diagnostics;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.lang.model.SourceVersion;
import dev.adjoint.compiler.plan.CheckpointException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code adjoint compile FILE.model... [-d DIR] [--package P]}: one Java source file per model. */
@Command(name = "compile",
        mixinStandardHelpOptions = true,
        description = {"Compiles model files into Java sources: one class per model, with forward and gradient"
                + " methods, to be compiled against adjoint-runtime.",
                "Every file is checked first; if any has errors, they are all printed and nothing is written. The"
                + " sources are written all or nothing: if one cannot be written, none is."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:sources written", "1:a model has errors (printed on standard error), or writing failed",
                "2:bad command-line usage"})
final class CompileCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE.model", description = "the model files")
    List<Path> files;

    @Option(names = "-d", paramLabel = "DIR", defaultValue = ".",
            description = "output directory; sources go to DIR/<package path>/ (default: the current directory)")
    Path dir;

    @Option(names = "--package", paramLabel = "P", defaultValue = "",
            description = "Java package of the generated classes (default: none)")
    String packageName;

    @Option(names = "--tests", paramLabel = "DIR",
            description = "also write, for every model with a loss, a JUnit 5 test FooGradientTest that checks its"
                    + " gradient against finite differences, and the f64 twin FooF64Twin it checks, to"
                    + " DIR/<package path>/ (they need adjoint-runtime and junit-jupiter-api)")
    Path testsDir;

    @CommandLine.Mixin
    CheckpointPolicyOptions checkpointing;

    @Option(names = "--test-tolerance", paramLabel = "T", defaultValue = "1e-5",
            description = "the largest relative error the --tests gradient tests accept (default: ${DEFAULT-VALUE})")
    double testTolerance;

    @Option(names = "--test-step", paramLabel = "H", defaultValue = "6e-6",
            description = "the --tests gradient tests' central-difference step, relative to max(1, |x|) (default:"
                    + " ${DEFAULT-VALUE})")
    double testStep;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!packageName.isEmpty() && !SourceVersion.isName(packageName)) {
            err.println("adjoint compile: '" + packageName + "' is not a valid Java package name");
            return 2;
        }
        if (!(testTolerance >= 0) || Double.isInfinite(testTolerance)) {
            err.println("adjoint compile: --test-tolerance " + testTolerance + ": must be a finite number >= 0");
            return 2;
        }
        if (!(testStep > 0 && testStep <= 0.1)) {
            err.println("adjoint compile: --test-step " + testStep + ": must be above 0 and at most 0.1");
            return 2;
        }
        Compiler.Options options;
        try {
            options = checkpointing.apply(Compiler.Options.of(packageName).withGradientTests(testsDir != null)
                    .withGradientTest(testTolerance, testStep));
        } catch (IllegalArgumentException e) {
            err.println("adjoint compile: " + e.getMessage());
            return 2;
        }
        List<GeneratedSource> generated = new ArrayList<>();
        boolean failed = false;
        for (Path file : files) {
            Compilation result = ModelFiles.compile(file, options, err);
            if (result == null) {
                failed = true;
                continue;
            }
            try {
                generated.addAll(result.sources());
            } catch (CheckpointException e) {
                err.println(file + ": error: " + e.getMessage());
                return 2;
            } catch (ModelTooLargeException e) {
                Diagnostics d = new Diagnostics();
                d.add(e.diagnostic());
                err.print(d.format());
                failed = true;
            }
        }
        if (failed) {
            err.flush();
            return 1;
        }
        Map<Path, byte[]> sources = new LinkedHashMap<>();
        Path target = packageDir(dir);
        for (GeneratedSource g : generated) {
            Path path = (g.test() ? packageDir(testsDir) : target).resolve(g.simpleName() + ".java");
            if (sources.containsKey(path)) {
                err.println("adjoint compile: two models would both be written to " + path);
                return 1;
            }
            sources.put(path, g.text().getBytes(StandardCharsets.UTF_8));
        }
        try {
            WriteAll.write(sources); // every file or none
        } catch (IOException e) {
            err.println("adjoint compile: cannot write " + IoErrors.reason(e) + "; nothing was written");
            return 1;
        }
        for (Path p : sources.keySet()) {
            out.println(p);
        }
        out.flush();
        return 0;
    }

    private Path packageDir(Path root) {
        return packageName.isEmpty() ? root : root.resolve(packageName.replace('.', '/'));
    }
}
