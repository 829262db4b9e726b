package dev.adjoint.cli;

import dev.adjoint.runtime.Dim;
import dev.adjoint.runtime.ElementType;
import dev.adjoint.runtime.InputSpec;
import dev.adjoint.runtime.io.CsvData;
import dev.adjoint.runtime.io.CsvFormatException;
import dev.adjoint.runtime.io.CsvOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The training data of {@code adjoint train}: a CSV file bound to the model's inputs (feature columns to one
 * float input {@code [B, F]}, the label column to one i32 input {@code [B]}), read, checked and split into
 * training rows and held-out rows (the last ones). Columns count from 1 here, as in error messages.
 */
public record TrainData(String featureInput, String labelInput, CsvData train, CsvData heldOut, String describe) {

    /** {@code INPUT} or {@code INPUT=COLS} of {@code --features} / {@code --label}; columns 0-based, or null. */
    public record Binding(String input, int[] columns) {
    }

    /** Parses {@code INPUT[=COLS]}, COLS being {@code 3}, {@code 1-64} or {@code 1-10,12,15-20} (1-based). */
    public static Binding parseBinding(String option, String text) throws TrainException {
        int eq = text.indexOf('=');
        String input = (eq < 0 ? text : text.substring(0, eq)).strip();
        if (input.isEmpty()) {
            throw TrainException.usage(option + " " + text + ": expected INPUT or INPUT=COLUMNS");
        }
        if (eq < 0) {
            return new Binding(input, null);
        }
        List<Integer> cols = new ArrayList<>();
        for (String part : text.substring(eq + 1).split(",", -1)) {
            String p = part.strip();
            int dash = p.indexOf('-', 1);
            try {
                int from = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).strip());
                int to = dash < 0 ? from : Integer.parseInt(p.substring(dash + 1).strip());
                if (from < 1 || to < from) {
                    throw TrainException.usage(option + " " + text + ": '" + p + "' is not a column range (columns"
                            + " count from 1; a range is FIRST-LAST)");
                }
                for (int c = from; c <= to; c++) {
                    if (cols.contains(c - 1)) {
                        throw TrainException.usage(option + " " + text + ": column " + c + " is given twice");
                    }
                    cols.add(c - 1);
                }
            } catch (NumberFormatException e) {
                throw TrainException.usage(option + " " + text + ": '" + p + "' is not a column number or range"
                        + " such as 3 or 1-64");
            }
        }
        return new Binding(input, cols.stream().mapToInt(Integer::intValue).toArray());
    }

    /**
     * Reads {@code csv} for a model with the given inputs.
     *
     * @param classes   the class count of each label input ({@code ModelGraph.labelClassCounts}); labels are checked against it
     * @param features  {@code --features}, or null for the model's single float input and all columns but the label
     * @param label     {@code --label}, or null for the model's single i32 input and the last column
     * @param heldOut   {@code --held-out}: a fraction ({@code 0.2}) or a row count ({@code 360}); {@code 0} for none
     */
    static TrainData load(Path csv, String modelName, List<InputSpec> inputs, Map<String, Integer> classes,
            String features, String label, boolean header, String heldOut) throws TrainException {
        Binding fb = features == null ? null : parseBinding("--features", features);
        Binding lb = label == null ? null : parseBinding("--label", label);
        InputSpec y = pick(modelName, inputs, lb, "--label", false);
        InputSpec x = pick(modelName, inputs, fb, "--features", true);
        for (InputSpec s : inputs) {
            if (s != x && s != y) {
                throw TrainException.usage("model " + modelName + " has an input " + s.name() + " : " + s.declared()
                        + " that adjoint train cannot feed: it binds feature columns to one f32/f64 input [B, F]"
                        + " (--features) and the label column to one i32 input [B] (--label)");
            }
        }
        checkShapes(x, y);
        if (lb != null && lb.columns() != null && lb.columns().length != 1) {
            throw TrainException.usage("--label " + label + ": give one column");
        }
        String file = csv.toString();
        if (!Files.isRegularFile(csv)) {
            throw TrainException.at(file, Files.isDirectory(csv) ? "is a directory, not a CSV file" : "no such file");
        }
        int width = firstRowWidth(csv, header);
        int labelColumn = lb != null && lb.columns() != null ? lb.columns()[0] : width - 1;
        int[] featureColumns = fb != null && fb.columns() != null ? fb.columns() : allBut(width, labelColumn);
        if (width > 0) {
            checkColumns(file, width, x, y, featureColumns, labelColumn, fb != null && fb.columns() != null);
        }
        CsvOptions options = CsvOptions.defaults().withHeader(header)
                .withFeatureType(x.elementType() == ElementType.F64 ? ElementType.F64 : ElementType.F32)
                .withLabelColumn(Math.max(labelColumn, 0))
                .withFeatureColumns(featureColumns);
        Integer n = classes.get(y.name());
        if (n != null) {
            options = options.withNumClasses(n);
        }
        CsvData data;
        try {
            data = CsvData.read(csv, options);
        } catch (CsvFormatException e) {
            throw TrainException.at(e.source() + ":" + e.line() + (e.column() > 0 ? ":" + e.column() : ""),
                    e.problem() + (e.problem().startsWith("label") && n != null
                            ? " (model input " + y.name() + " has " + n + " classes)" : "")
                    + (e.line() == 1 && !header && e.problem().contains("not") ? "; if the first line is a header,"
                            + " add --header" : ""));
        } catch (IOException | IllegalArgumentException e) {
            throw TrainException.at(file, "cannot read: " + e.getMessage());
        }
        int held = heldOutRows(heldOut, data.rows());
        CsvData.Split split = data.split(held);
        String describe = String.format(Locale.ROOT, "%s: %d rows, %d for training, %d held out (the last);"
                + " %s <- columns %s, %s <- column %d", csv.getFileName(), data.rows(), split.train().rows(), held,
                x.name(), ranges(featureColumns), y.name(), labelColumn + 1);
        return new TrainData(x.name(), y.name(), split.train(), held == 0 ? null : split.heldOut(), describe);
    }

    /** The input a binding names, or the model's only input of the kind; a clear error otherwise. */
    private static InputSpec pick(String model, List<InputSpec> inputs, Binding b, String option, boolean features)
            throws TrainException {
        if (b != null) {
            for (InputSpec s : inputs) {
                if (s.name().equals(b.input())) {
                    return s;
                }
            }
            throw TrainException.usage(option + ": model " + model + " has no input " + b.input()
                    + (inputs.isEmpty() ? " (it has no inputs)" : " (its inputs: " + names(inputs) + ")"));
        }
        List<InputSpec> kind = new ArrayList<>();
        for (InputSpec s : inputs) {
            if ((s.elementType() == ElementType.I32) != features) {
                kind.add(s);
            }
        }
        String what = features ? "f32/f64 input for the features" : "i32 input for the labels";
        if (kind.size() == 1) {
            return kind.get(0);
        }
        if (kind.isEmpty()) {
            throw TrainException.usage("model " + model + " has no " + what
                    + (inputs.isEmpty() ? " (it has no inputs: train it without --data)"
                    : features ? "" : ": adjoint train reads the label column into an i32 input [B] (f32 targets,"
                    + " as in regression, are not supported yet)"));
        }
        throw TrainException.usage("model " + model + " has several candidates for the " + what + " ("
                + names(kind) + "): choose one with " + option + " INPUT");
    }

    private static void checkShapes(InputSpec x, InputSpec y) throws TrainException {
        if (x == y) {
            throw TrainException.usage("--features and --label both name input " + x.name());
        }
        if (x.elementType() == ElementType.I32 || x.rank() != 2 || !(x.dims().get(0) instanceof Dim.Named batch)) {
            throw TrainException.usage("input " + x.name() + " : " + x.declared() + " cannot take feature columns:"
                    + " it must be f32[B, F] or f64[B, F] with a dim B for the rows");
        }
        if (y.elementType() != ElementType.I32 || y.rank() != 1 || !y.dims().get(0).equals(batch)) {
            throw TrainException.usage("input " + y.name() + " : " + y.declared() + " cannot take the label column:"
                    + " it must be i32[" + batch.name() + "], one label per row of " + x.name());
        }
    }

    private static void checkColumns(String file, int width, InputSpec x, InputSpec y, int[] featureColumns,
            int labelColumn, boolean explicit) throws TrainException {
        if (labelColumn >= width) {
            throw TrainException.at(file, "label column " + (labelColumn + 1) + " (--label) is past the " + width
                    + " columns of the file");
        }
        for (int c : featureColumns) {
            if (c >= width) {
                throw TrainException.at(file, "feature column " + (c + 1) + " (--features) is past the " + width
                        + " columns of the file");
            }
            if (c == labelColumn) {
                throw TrainException.at(file, "column " + (c + 1) + " is both a feature and the label of "
                        + y.name());
            }
        }
        if (x.dims().get(1) instanceof Dim.Fixed f && f.size() != featureColumns.length) {
            throw TrainException.at(file, (explicit ? "--features selects " : "the file has ") + featureColumns.length
                    + " feature columns (" + ranges(featureColumns) + (explicit ? ")" : ", every column but the label "
                    + (labelColumn + 1) + ")") + ", but input " + x.name() + " : " + x.declared() + " takes "
                    + f.size() + " per row" + (explicit ? "" : "; choose them with --features " + x.name() + "=COLS"));
        }
    }

    /** The number of cells of the first data row, or 0 for a file without one (reading reports that). */
    private static int firstRowWidth(Path csv, boolean header) throws TrainException {
        boolean gzip = csv.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
        try (InputStream raw = Files.newInputStream(csv);
                InputStream in = gzip ? new GZIPInputStream(raw) : raw;
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            boolean first = true;
            while ((line = r.readLine()) != null) {
                boolean skip = first && header;
                first = false;
                if (!skip && !line.isBlank()) {
                    return line.split(",", -1).length;
                }
            }
            return 0;
        } catch (IOException e) {
            throw TrainException.at(csv.toString(), "cannot read: " + e.getMessage());
        }
    }

    /** Held-out rows for {@code --held-out}: a fraction below 1 (rounded up) or a row count. */
    public static int heldOutRows(String spec, int rows) throws TrainException {
        double v;
        try {
            v = Double.parseDouble(spec);
        } catch (NumberFormatException e) {
            throw TrainException.usage("--held-out " + spec + ": expected a fraction such as 0.2 or a row count");
        }
        boolean fraction = spec.contains(".") || spec.toLowerCase(Locale.ROOT).contains("e");
        int held;
        if (fraction) {
            if (!(v >= 0 && v < 1)) {
                throw TrainException.usage("--held-out " + spec + ": a fraction must be in [0, 1)");
            }
            held = (int) Math.ceil(v * rows - 1e-9);
        } else {
            if (v < 0 || v != Math.rint(v)) {
                throw TrainException.usage("--held-out " + spec + ": a row count must be a whole number >= 0");
            }
            held = (int) Math.min(v, Integer.MAX_VALUE);
        }
        if (held >= rows) {
            throw TrainException.usage("--held-out " + spec + ": holding out " + held + " of " + rows
                    + " rows leaves none for training");
        }
        return held;
    }

    private static int[] allBut(int width, int label) {
        int[] cols = new int[Math.max(width - 1, 0)];
        for (int c = 0, j = 0; c < width && j < cols.length; c++) {
            if (c != label) {
                cols[j++] = c;
            }
        }
        return cols;
    }

    /** 1-based column ranges: {@code 1-64}, {@code 1-3,7}. */
    public static String ranges(int[] cols) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < cols.length; ) {
            int j = i;
            while (j + 1 < cols.length && cols[j + 1] == cols[j] + 1) {
                j++;
            }
            sb.append(sb.length() > 0 ? "," : "").append(cols[i] + 1);
            if (j > i) {
                sb.append('-').append(cols[j] + 1);
            }
            i = j + 1;
        }
        return sb.toString();
    }

    private static String names(List<InputSpec> inputs) {
        return String.join(", ", inputs.stream().map(InputSpec::name).toList());
    }
}
