package dev.adjoint.cli;

import dev.adjoint.runtime.Dim;
import dev.adjoint.runtime.ElementType;
import dev.adjoint.runtime.InputSpec;
import dev.adjoint.runtime.io.CsvData;
import dev.adjoint.runtime.io.CsvFormatException;
import dev.adjoint.runtime.io.CsvOptions;
import dev.adjoint.runtime.io.SplitMethod;
import dev.adjoint.runtime.io.Standardization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * The training data of {@code adjoint train}: a CSV file bound to the model's inputs (feature columns to one
 * float input {@code [B, F]}; the target columns to one more input: integer labels to an i32 input {@code [B]},
 * float targets to an f32/f64 input {@code [B]} or {@code [B, k]}), read, checked, split into training rows and
 * held-out rows, and optionally standardized. Columns count from 1 here, as in error messages.
 *
 * @param target          what the target columns hold
 * @param standardization the statistics the features were standardized with ({@code --standardize}), or null
 */
public record TrainData(String featureInput, String labelInput, CsvOptions.Target target, CsvData train,
        CsvData heldOut, String describe, Standardization standardization) {

    /** The most columns a row can have: a CSV line holds at most 16 MB, a cell and its comma two bytes. */
    static final int MAX_COLUMNS = 8 << 20;

    /** {@code INPUT} or {@code INPUT=COLS} of {@code --features} / {@code --label}; columns 0-based, or null. */
    public record Binding(String input, int[] columns) {
    }

    /** The options of {@code adjoint train} that shape the data. */
    record Options(String features, String label, boolean header, String heldOut, String split, long seed,
            boolean standardize) {
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
        java.util.BitSet given = new java.util.BitSet();
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
                if (to > MAX_COLUMNS) {
                    throw TrainException.usage(option + " " + text + ": column " + to + " is past the widest row a"
                            + " CSV line of 16 MB can hold (" + MAX_COLUMNS + " columns)");
                }
                for (int c = from; c <= to; c++) {
                    if (given.get(c - 1)) {
                        throw TrainException.usage(option + " " + text + ": column " + c + " is given twice");
                    }
                    given.set(c - 1);
                    cols.add(c - 1);
                }
            } catch (NumberFormatException e) {
                throw TrainException.usage(option + " " + text + ": '" + p + "' is not a column number or range"
                        + " such as 3 or 1-64");
            }
        }
        return new Binding(input, cols.stream().mapToInt(Integer::intValue).toArray());
    }

    /** The split method of {@code --split}, or the default: stratified for integer labels, random otherwise. */
    static SplitMethod splitMethod(String split, CsvOptions.Target target) throws TrainException {
        if (split == null) {
            return target == CsvOptions.Target.LABEL ? SplitMethod.STRATIFIED : SplitMethod.RANDOM;
        }
        SplitMethod m = switch (split.strip().toLowerCase(Locale.ROOT)) {
            case "last" -> SplitMethod.LAST;
            case "random" -> SplitMethod.RANDOM;
            case "stratified" -> SplitMethod.STRATIFIED;
            default -> throw TrainException.usage("--split " + split + ": expected last, random or stratified");
        };
        if (m == SplitMethod.STRATIFIED && target != CsvOptions.Target.LABEL) {
            throw TrainException.usage("--split stratified keeps each class's share of the rows, so it needs"
                    + " integer labels; the targets here are float values: use --split random or last");
        }
        return m;
    }

    /**
     * Reads {@code csv} for a model with the given inputs.
     *
     * @param classes the class count of each label input ({@code ModelGraph.labelClassCounts}); labels are checked
     *                against it
     */
    static TrainData load(Path csv, String modelName, List<InputSpec> inputs, Map<String, Integer> classes,
            Options o) throws TrainException {
        Binding fb = o.features() == null ? null : parseBinding("--features", o.features());
        Binding lb = o.label() == null ? null : parseBinding("--label", o.label());
        InputSpec y = pickTarget(modelName, inputs, lb, fb);
        InputSpec x = pickFeatures(modelName, inputs, fb, y);
        for (InputSpec s : inputs) {
            if (s != x && s != y) {
                throw TrainException.usage("model " + modelName + " has an input " + s.name() + " : " + s.declared()
                        + " that adjoint train cannot feed: it binds feature columns to one f32/f64 input [B, F]"
                        + " (--features) and the target columns to one more input (--label)");
            }
        }
        CsvOptions.Target target = checkShapes(x, y);
        SplitMethod method = splitMethod(o.split(), target);
        int targetWidth = targetWidth(y, target, lb);
        String file = csv.toString();
        if (!Files.isRegularFile(csv)) {
            throw TrainException.at(file, Files.isDirectory(csv) ? "is a directory, not a CSV file" : "no such file");
        }
        int width = firstRowWidth(csv, o.header());
        int[] targetColumns = lb != null && lb.columns() != null ? lb.columns() : lastColumns(width, targetWidth);
        int[] featureColumns = fb != null && fb.columns() != null ? fb.columns() : allBut(width, targetColumns);
        if (width > 0) {
            checkColumns(file, width, x, y, featureColumns, targetColumns, fb != null && fb.columns() != null);
        }
        CsvOptions options = CsvOptions.defaults().withHeader(o.header())
                .withFeatureType(x.elementType() == ElementType.F64 ? ElementType.F64 : ElementType.F32)
                .withFeatureColumns(featureColumns);
        int[] safeTargets = Arrays.stream(targetColumns).map(c -> Math.max(c, 0)).toArray();
        options = switch (target) {
            case LABEL -> options.withLabelColumn(safeTargets[0]);
            case VALUE -> options.withTargetColumn(safeTargets[0]);
            default -> options.withTargetColumns(safeTargets);
        };
        Integer n = target == CsvOptions.Target.LABEL ? classes.get(y.name()) : null;
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
                    + (e.line() == 1 && !o.header() && e.problem().contains("not") ? "; if the first line is a header,"
                            + " add --header" : ""));
        } catch (IOException | IllegalArgumentException e) {
            throw cannotRead(file, e);
        }
        int held = heldOutRows(o.heldOut(), data.rows());
        CsvData.Split split = data.split(held, method, o.seed());
        CsvData train = split.train();
        CsvData heldOut = split.heldOut();
        Standardization standardization = null;
        if (o.standardize()) {
            standardization = Standardization.fit(x.name(), train);
            train = standardization.apply(train);
            heldOut = standardization.apply(heldOut);
        }
        String how = switch (method) {
            case LAST -> "the last";
            case RANDOM -> "random, seed " + o.seed();
            default -> "stratified by " + y.name() + ", seed " + o.seed();
        };
        String describe = String.format(Locale.ROOT, "%s: %d rows, %d for training, %d held out (%s);"
                + " %s <- columns %s%s, %s <- column%s %s", csv.getFileName(), data.rows(), train.rows(), held, how,
                x.name(), ranges(featureColumns), o.standardize() ? " (standardized)" : "", y.name(),
                targetColumns.length == 1 ? "" : "s", ranges(targetColumns));
        return new TrainData(x.name(), y.name(), target, train, held == 0 ? null : heldOut, describe,
                standardization);
    }

    /** The input a binding names; else the model's only i32 input, or, with --features, its only other input. */
    private static InputSpec pickTarget(String model, List<InputSpec> inputs, Binding lb, Binding fb)
            throws TrainException {
        if (lb != null) {
            return named(model, inputs, lb, "--label");
        }
        List<InputSpec> labels = new ArrayList<>();
        for (InputSpec s : inputs) {
            if (s.elementType() == ElementType.I32) {
                labels.add(s);
            }
        }
        if (labels.size() == 1) {
            return labels.get(0);
        }
        if (labels.size() > 1) {
            throw TrainException.usage("model " + model + " has several candidates for the i32 input for the labels ("
                    + names(labels) + "): choose one with --label INPUT");
        }
        if (fb != null && inputs.size() == 2) {
            for (InputSpec s : inputs) {
                if (!s.name().equals(fb.input())) {
                    return s;
                }
            }
        }
        throw TrainException.usage("model " + model + " has no i32 input for the labels"
                + (inputs.isEmpty() ? " (it has no inputs: train it without --data)"
                : "; for regression, name the input of the targets with --label INPUT[=COLS] (an f32/f64 input [B] or"
                + " [B, k]; its inputs: " + names(inputs) + ")"));
    }

    /** The input a binding names, or the model's only float input other than the target's. */
    private static InputSpec pickFeatures(String model, List<InputSpec> inputs, Binding fb, InputSpec y)
            throws TrainException {
        if (fb != null) {
            return named(model, inputs, fb, "--features");
        }
        List<InputSpec> kind = new ArrayList<>();
        for (InputSpec s : inputs) {
            if (s.elementType() != ElementType.I32 && s != y) {
                kind.add(s);
            }
        }
        if (kind.size() == 1) {
            return kind.get(0);
        }
        if (kind.isEmpty()) {
            throw TrainException.usage("model " + model + " has no f32/f64 input for the features");
        }
        throw TrainException.usage("model " + model + " has several candidates for the f32/f64 input for the"
                + " features (" + names(kind) + "): choose one with --features INPUT");
    }

    private static InputSpec named(String model, List<InputSpec> inputs, Binding b, String option)
            throws TrainException {
        for (InputSpec s : inputs) {
            if (s.name().equals(b.input())) {
                return s;
            }
        }
        throw TrainException.usage(option + ": model " + model + " has no input " + b.input()
                + (inputs.isEmpty() ? " (it has no inputs)" : " (its inputs: " + names(inputs) + ")"));
    }

    /** Checks the two inputs' declarations; returns what the target columns hold. */
    private static CsvOptions.Target checkShapes(InputSpec x, InputSpec y) throws TrainException {
        if (x == y) {
            throw TrainException.usage("--features and --label both name input " + x.name());
        }
        if (x.elementType() == ElementType.I32 || x.rank() != 2 || !(x.dims().get(0) instanceof Dim.Named batch)) {
            throw TrainException.usage("input " + x.name() + " : " + x.declared() + " cannot take feature columns:"
                    + " it must be f32[B, F] or f64[B, F] with a dim B for the rows");
        }
        boolean rows = y.rank() >= 1 && y.dims().get(0).equals(batch);
        if (y.elementType() == ElementType.I32) {
            if (y.rank() != 1 || !rows) {
                throw TrainException.usage("input " + y.name() + " : " + y.declared() + " cannot take the label"
                        + " column: labels go to i32[" + batch.name() + "], one per row of " + x.name());
            }
            return CsvOptions.Target.LABEL;
        }
        if (!rows || y.rank() > 2) {
            throw TrainException.usage("input " + y.name() + " : " + y.declared() + " cannot take target columns:"
                    + " it must be i32[" + batch.name() + "] (labels), or " + x.declared().substring(0, 3) + "["
                    + batch.name() + "] or " + x.declared().substring(0, 3) + "[" + batch.name() + ", k] (targets),"
                    + " with a row per row of " + x.name());
        }
        if (y.elementType() != x.elementType()) {
            throw TrainException.usage("input " + y.name() + " : " + y.declared() + " and input " + x.name() + " : "
                    + x.declared() + " have different element types; the CSV file is read as one type");
        }
        return y.rank() == 1 ? CsvOptions.Target.VALUE : CsvOptions.Target.VALUES;
    }

    /** The number of target columns the input takes: 1, or its k (from --label's columns when k is a dim). */
    private static int targetWidth(InputSpec y, CsvOptions.Target target, Binding lb) throws TrainException {
        int given = lb != null && lb.columns() != null ? lb.columns().length : -1;
        int width = target == CsvOptions.Target.VALUES && y.dims().get(1) instanceof Dim.Fixed f ? f.size()
                : target == CsvOptions.Target.VALUES ? Math.max(given, 1) : 1;
        if (given >= 0 && given != width) {
            throw TrainException.usage("--label " + lb.input() + "=" + ranges(lb.columns()) + ": " + given
                    + " columns, but input " + y.name() + " : " + y.declared() + " takes " + width + " per row");
        }
        return width;
    }

    private static void checkColumns(String file, int width, InputSpec x, InputSpec y, int[] featureColumns,
            int[] targetColumns, boolean explicit) throws TrainException {
        String what = y.elementType() == ElementType.I32 ? "label" : "target";
        for (int c : targetColumns) {
            if (c >= width || c < 0) {
                throw TrainException.at(file, what + " column " + (c + 1) + " (--label) is past the " + width
                        + " columns of the file");
            }
        }
        for (int c : featureColumns) {
            if (c >= width) {
                throw TrainException.at(file, "feature column " + (c + 1) + " (--features) is past the " + width
                        + " columns of the file");
            }
            if (Arrays.stream(targetColumns).anyMatch(t -> t == c)) {
                throw TrainException.at(file, "column " + (c + 1) + " is both a feature and the " + what + " of "
                        + y.name());
            }
        }
        if (x.dims().get(1) instanceof Dim.Fixed f && f.size() != featureColumns.length) {
            String but = targetColumns.length == 1 ? "the " + what + " " + (targetColumns[0] + 1)
                    : "the targets " + ranges(targetColumns);
            throw TrainException.at(file, (explicit ? "--features selects " : "the file has ") + featureColumns.length
                    + " feature columns (" + ranges(featureColumns) + (explicit ? ")" : ", every column but " + but
                    + ")") + ", but input " + x.name() + " : " + x.declared() + " takes "
                    + f.size() + " per row" + (explicit ? "" : "; choose them with --features " + x.name() + "=COLS"));
        }
    }

    /** The number of cells of the first data row, or 0 for a file without one (reading reports that). */
    static int firstRowWidth(Path csv, boolean header) throws TrainException {
        try {
            return CsvData.firstRowWidth(csv, header);
        } catch (CsvFormatException e) {
            throw at(e);
        } catch (IOException e) {
            throw cannotRead(csv.toString(), e);
        }
    }

    /** {@code file:line[:col]: error: problem} for a problem in the file's content. */
    private static TrainException at(CsvFormatException e) {
        return TrainException.at(e.source() + ":" + e.line() + (e.column() > 0 ? ":" + e.column() : ""), e.problem());
    }

    /** {@code file: error: why}, without repeating the file name that the runtime's message starts with. */
    private static TrainException cannotRead(String file, Exception e) {
        String m = e.getMessage() == null ? e.toString() : e.getMessage();
        return TrainException.at(file, m.startsWith(file + ": ") ? m.substring(file.length() + 2) : "cannot read: " + m);
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

    private static int[] allBut(int width, int[] targets) {
        return IntStream.range(0, width).filter(c -> Arrays.stream(targets).noneMatch(t -> t == c)).toArray();
    }

    /** The last {@code k} of {@code width} columns (for a file without rows: {@code -1} and below). */
    private static int[] lastColumns(int width, int k) {
        return IntStream.range(width - k, width).toArray();
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
