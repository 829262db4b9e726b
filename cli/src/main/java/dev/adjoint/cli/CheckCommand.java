package dev.adjoint.cli;

import dev.adjoint.compiler.CheckReport;
import dev.adjoint.compiler.Compilation;
import dev.adjoint.compiler.CompiledModel;
import dev.adjoint.compiler.Compiler;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code adjoint check FILE.model}: parse and type-check, print every named value with its type and shape. */
@Command(name = "check",
        mixinStandardHelpOptions = true,
        description = {"Parses and type-checks a model file and prints every named value with its type and shape,"
                + " in source order.",
                "On a bad model, prints every error as file:line:col: error: message (with the source line and a"
                + " caret) and exits with status 1."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:the model is well-formed", "1:the model has errors (printed on standard error)",
                "2:bad command-line usage"})
final class CheckCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE.model", description = "the model file to check")
    Path file;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Compilation compiled = ModelFiles.compile(file, Compiler.Options.defaults(), err);
        if (compiled == null) {
            return 1;
        }
        out.print(CheckReport.format(compiled.models().stream().map(CompiledModel::front).toList()));
        out.flush();
        return 0;
    }
}
