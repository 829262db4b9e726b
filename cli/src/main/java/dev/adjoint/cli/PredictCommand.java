package dev.adjoint.cli;

import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.Shape;
import dev.adjoint.compiler.ops.LogSoftmaxOp;
import dev.adjoint.compiler.ops.SoftmaxOp;
import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.StepResult;
import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.io.AtomicFiles;
import dev.adjoint.runtime.io.Standardization;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code adjoint predict FILE.model --params P.safetensors --data X.csv}: the model's outputs for every row, in
 * evaluation mode, from the inputs they need alone.
 */
@Command(name = "predict",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Compiles a model in-process, loads its params (and the running statistics of batch_norm)"
                + " from a safetensors file written by adjoint train, and runs it in evaluation mode (batch_norm"
                + " with its running statistics, no dropout) on every row of a CSV file. Only the inputs the"
                + " outputs depend on are read: no labels.",
                "",
                "Writes one CSV row per input row: the values of each output [B, ...] (flattened), and for an"
                + " output [B, classes] (a softmax, or the classes of the model's labels) the index of its largest"
                + " value. The standardization recorded by adjoint train --standardize is applied to its input.",
                ""},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:predicted and written", "1:the model, the params, the data or an option value is wrong",
                "2:bad command-line usage"})
final class PredictCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "FILE.model", description = "the model file")
    Path file;

    @Option(names = "--params", required = true, paramLabel = "P.safetensors", description = "the trained params:"
            + " MODEL.safetensors as adjoint train writes it (every param and running statistic of the model)")
    Path params;

    @Option(names = "--data", required = true, paramLabel = "X.csv", description = "the rows: a CSV file of"
            + " numbers, or gzip-compressed .csv.gz")
    Path data;

    @Option(names = "--features", paramLabel = "INPUT=COLS", description = "an input the outputs need and its"
            + " columns: 1-64, or a list such as 1-10,12; once per input (default, for a model whose outputs"
            + " need one input: every column)")
    List<String> features = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE.csv", description = "where to write the predictions (default:"
            + " standard output)")
    Path out;

    @Option(names = "--model", paramLabel = "NAME", description = "the model, when the file has several")
    String modelName;

    @Option(names = "--header", description = "the first line of the CSV file is a header; the output then"
            + " starts with one too, naming its columns (probs[0], …, argmax(probs))")
    boolean header;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = "256", description = "rows per call of the"
            + " model (default: ${DEFAULT-VALUE}); in evaluation mode it does not change the results")
    int batchSize;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** One output written: its name, whether it is per row, and whether its argmax is written too. */
    private record Column(String name, boolean argmax) {
    }

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter stderr = spec.commandLine().getErr();
        try {
            return predict(stdout, stderr);
        } catch (TrainException e) {
            String m = e.getMessage();
            stderr.println(m.startsWith("adjoint train: ") ? "adjoint predict: " + m.substring(15) : m);
            return 1;
        } finally {
            stdout.flush();
            stderr.flush();
        }
    }

    private int predict(PrintWriter stdout, PrintWriter stderr) throws TrainException {
        if (batchSize < 1) {
            throw TrainException.usage("--batch-size " + batchSize + ": must be >= 1");
        }
        int[] exit = {0};
        Compiled c = Compiled.load(file, modelName, 0, false, stderr, exit);
        if (c == null) {
            return exit[0];
        }
        AdjointModel model = c.model;
        Map<String, String> metadata = TrainParams.load(params, model);
        Standardization standardization;
        try {
            standardization = Standardization.fromMetadata(metadata);
        } catch (IllegalArgumentException e) {
            throw TrainException.at(params.toString(), "its standardization metadata is broken: " + e.getMessage());
        }
        PredictData rows = PredictData.load(data, model.name(), model.predictInputs(), features, header,
                standardization);
        List<Column> columns = columns(c, rows.rowDim(), stderr);
        StringBuilder csv = new StringBuilder();
        for (int from = 0; from < rows.rows(); from += batchSize) {
            int to = Math.min(rows.rows(), from + batchSize);
            StepResult r;
            try {
                r = model.predictViews(rows.batch(from, to));
            } catch (IllegalArgumentException e) {
                throw TrainException.usage("rows " + (from + 1) + "-" + to + ": " + e.getMessage());
            }
            if (from == 0 && header) {
                csv.append(headerLine(columns, r, to - from)).append('\n');
            }
            append(csv, columns, r, to - from);
        }
        List<String> written = new ArrayList<>();
        columns.forEach(col -> written.add(col.name() + (col.argmax() ? ", argmax(" + col.name() + ")" : "")));
        stderr.println("adjoint predict: " + model.name() + " in evaluation mode on " + rows.describe()
                + "; writing " + String.join(", ", written));
        if (out == null) {
            stdout.print(csv);
            return 0;
        }
        try {
            if (out.getParent() != null) {
                Files.createDirectories(out.getParent());
            }
            AtomicFiles.writeString(out, csv.toString());
        } catch (IOException e) {
            throw TrainException.at(out.toString(), "cannot write: " + e);
        }
        stdout.println("wrote " + out + " (" + rows.rows() + " rows)");
        return 0;
    }

    /**
     * The outputs written: those whose first dim is the rows' dim, each with its argmax when it is an output
     * {@code [B, classes]}: a softmax (or log-softmax) over its classes, or as many classes as the model's labels.
     */
    private static List<Column> columns(Compiled c, String rowDim, PrintWriter stderr) throws TrainException {
        List<Column> out = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Graph.Output o : c.graph.outputs()) {
            Shape s = o.node().shape();
            boolean perRow = s.rank() >= 1 && s.dim(0).coefficient() == 1 && s.dim(0).symbols().equals(List.of(rowDim));
            if (!perRow) {
                skipped.add(o.name() + " : " + o.node().type());
                continue;
            }
            boolean classes = s.rank() == 2 && s.dim(1).isFixed() && s.dim(1).size() >= 2
                    && (o.node().op() instanceof SoftmaxOp sm && sm.axis() == 1
                    || o.node().op() instanceof LogSoftmaxOp lsm && lsm.axis() == 1
                    || c.graph.labelClassCounts().containsValue((int) s.dim(1).size()));
            out.add(new Column(o.name(), classes));
        }
        if (!skipped.isEmpty()) {
            stderr.println("adjoint predict: warning: not written, as they have no row per input row: "
                    + String.join(", ", skipped));
        }
        if (out.isEmpty()) {
            throw TrainException.usage("model " + c.graph.name() + " has no output with a row per input row [" + rowDim
                    + ", ...]" + (c.graph.outputs().isEmpty() ? " (it has no outputs)" : ""));
        }
        return out;
    }

    private static String headerLine(List<Column> columns, StepResult r, int n) {
        List<String> names = new ArrayList<>();
        for (Column col : columns) {
            Tensor t = r.output(col.name());
            int per = t.size() / Math.max(n, 1);
            if (t.rank() == 1) {
                names.add(col.name());
            } else {
                for (int j = 0; j < per; j++) {
                    names.add(col.name() + "[" + j + "]");
                }
            }
            if (col.argmax()) {
                names.add("argmax(" + col.name() + ")");
            }
        }
        return String.join(",", names);
    }

    /** One line per row: each output's values, then its argmax (ties to the first; NaN never wins). */
    private static void append(StringBuilder csv, List<Column> columns, StepResult r, int n) {
        for (int row = 0; row < n; row++) {
            boolean first = true;
            for (Column col : columns) {
                Tensor t = r.output(col.name());
                int per = t.size() / n;
                int best = 0;
                double bestValue = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < per; j++) {
                    int k = row * per + j;
                    csv.append(first ? "" : ",").append(format(t, k));
                    first = false;
                    double v = t.getAsDouble(k);
                    if (v > bestValue) {
                        bestValue = v;
                        best = j;
                    }
                }
                if (col.argmax()) {
                    csv.append(',').append(best);
                }
            }
            csv.append('\n');
        }
    }

    private static String format(Tensor t, int k) {
        if (t instanceof IntTensor i) {
            return Integer.toString(i.data()[k]);
        }
        if (t instanceof dev.adjoint.runtime.FloatTensor f) {
            return Float.toString(f.data()[k]);
        }
        return Double.toString(t.getAsDouble(k));
    }
}
