package dev.adjoint.cli;

import dev.adjoint.compiler.Compiler;
import dev.adjoint.runtime.ForwardResult;
import dev.adjoint.runtime.GradientResult;
import dev.adjoint.runtime.Mode;
import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.io.Utf8;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code adjoint grad FILE.model --values V.json}: compile in-process, run, print the JSON result. */
@Command(name = "grad",
        mixinStandardHelpOptions = true,
        description = {"Compiles a model in-process, runs its forward and gradient methods on the values in"
                + " V.json, and prints {\"loss\", \"outputs\", \"gradients\"} as JSON on standard output (only"
                + " \"outputs\" for a model without a loss). Values are those of a training step: batch_norm uses"
                + " the statistics of the batch, dropout the masks of training step 0 of --seed.",
                "V.json: {\"dims\": {\"B\": 2}, \"inputs\": {\"x\": [[...]], \"y\": [3, 7]}, \"params\": {\"W1\":"
                + " [[...]]}}; dims may be omitted where the inputs determine them, and a param not given is"
                + " initialized from its initializer with --seed."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:printed", "1:the model has errors, or the values do not fit the model",
                "2:bad command-line usage"})
final class GradCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE.model", description = "the model file")
    Path file;

    @Option(names = "--values", required = true, paramLabel = "V.json", description = "inputs, params and dims")
    Path values;

    @Option(names = "--model", paramLabel = "NAME", description = "the model, when the file has several")
    String modelName;

    @Option(names = "--seed", defaultValue = "0", paramLabel = "N",
            description = "seed for params not given in V.json (default: 0)")
    long seed;

    @CommandLine.Mixin
    CheckpointPolicyOptions checkpointing;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        String text;
        try {
            text = Utf8.decode(Files.readAllBytes(values));
        } catch (Utf8.MalformedException e) {
            err.println(values + ":" + e.line() + ":" + e.column() + ": error: " + e.problem());
            return 1;
        } catch (IOException e) {
            err.println(values + ": error: cannot read: " + IoErrors.why(e));
            return 1;
        } catch (OutOfMemoryError e) {
            err.println(values + ": error: too large to read in this much memory (" + Bytes.heap() + ")");
            return 1;
        }
        Compiler.Options options;
        try {
            options = checkpointing.apply(Compiler.Options.defaults());
        } catch (IllegalArgumentException e) {
            err.println("adjoint grad: " + e.getMessage());
            return 2;
        }
        int[] exit = {0};
        Compiled c = Compiled.load(file, modelName, seed, options, err, exit);
        if (c == null) {
            return exit[0];
        }
        String json;
        try {
            ValuesFile.Values v;
            try {
                v = ValuesFile.read(values.toString(), text, c.model);
            } catch (OutOfMemoryError e) {
                err.println(values + ": error: too large to read in this much memory (" + Bytes.heap() + ")");
                return 1;
            }
            for (Map.Entry<String, Tensor> p : v.params().entrySet()) {
                c.model.setParameter(p.getKey(), p.getValue());
            }
            if (c.model.hasLoss()) {
                GradientResult g = c.model.gradient(v.inputs());
                json = TensorJson.result(g.loss(), g.outputs(), g.gradients());
            } else {
                ForwardResult f = c.model.forward(v.inputs(), Mode.TRAINING);   // as a training step computes them
                json = TensorJson.result(null, f.outputs(), null);
            }
        } catch (ValuesFile.ValuesException e) {
            err.println(e.getMessage());
            return 1;
        } catch (IllegalArgumentException e) {
            err.println("adjoint grad: " + e.getMessage());
            return 1;
        } catch (OutOfMemoryError e) {
            err.println("adjoint grad: " + c.outOfMemory());
            return 1;
        }
        out.print(json);
        out.flush();
        return 0;
    }
}
