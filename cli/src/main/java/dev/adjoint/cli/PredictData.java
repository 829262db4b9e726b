package dev.adjoint.cli;

import dev.adjoint.runtime.Dim;
import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.ElementType;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.InputSpec;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.io.CsvData;
import dev.adjoint.runtime.io.CsvFormatException;
import dev.adjoint.runtime.io.CsvOptions;
import dev.adjoint.runtime.io.Standardization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows {@code adjoint predict} runs the model on: CSV columns bound to the inputs the outputs need
 * ({@code --features INPUT=COLS}, once per input; one input takes every column by default), each input
 * {@code [B, ...]} taking the product of its other dims as columns, read in the input's element type, and
 * standardized as the params file records ({@code adjoint train --standardize}). Columns count from 1.
 *
 * @param rows the number of data rows
 * @param columns each input's columns (0-based), in the model's order
 * @param values each input's values for every row, {@code [rows, ...]}
 * @param rowDim the dim every input's first axis is (the rows)
 * @param describe {@code digits.csv.gz: 1797 rows; x <- columns 1-64 (standardized)}
 */
record PredictData(int rows, Map<InputSpec, int[]> columns, Map<InputSpec, Tensor> values, String rowDim,
        String describe) {

    /** Reads {@code csv} for the inputs {@code needed}, with the {@code --features} bindings given. */
    static PredictData load(Path csv, String model, List<InputSpec> needed, List<String> features, boolean header,
            Standardization standardization) throws TrainException {
        if (needed.isEmpty()) {
            throw TrainException.usage("model " + model + "'s outputs need no input: there is nothing to read"
                    + " from --data");
        }
        String rowDim = null;
        for (InputSpec s : needed) {
            if (s.rank() < 1 || !(s.dims().get(0) instanceof Dim.Named b) || rowDim != null && !b.name().equals(rowDim)) {
                throw TrainException.usage("input " + s.name() + " : " + s.declared() + " cannot take CSV rows: the"
                        + " inputs the outputs need must all have the same dim first (one row per CSV row)"
                        + (rowDim == null ? "" : ", " + rowDim));
            }
            rowDim = b.name();
        }
        Map<String, int[]> given = new LinkedHashMap<>();
        for (String f : features) {
            TrainData.Binding b = TrainData.parseBinding("--features", f);
            InputSpec s = find(model, needed, b.input());
            if (given.put(s.name(), b.columns()) != null) {
                throw TrainException.usage("--features " + b.input() + " is given twice");
            }
        }
        String file = csv.toString();
        if (!Files.isRegularFile(csv)) {
            throw TrainException.at(file, Files.isDirectory(csv) ? "is a directory, not a CSV file" : "no such file");
        }
        int width = TrainData.firstRowWidth(csv, header);
        if (width == 0) {
            read(csv, needed.get(0), new int[] {0}, header);   // reports the empty file
        }
        Map<InputSpec, int[]> columns = new LinkedHashMap<>();
        for (InputSpec s : needed) {
            if (!given.containsKey(s.name()) && needed.size() > 1) {
                throw TrainException.usage("model " + model + "'s outputs need the inputs " + names(needed)
                        + ": give the columns of each with --features INPUT=COLS (input " + s.name() + " has none)");
            }
            int[] cols = given.get(s.name());
            boolean explicit = cols != null;
            if (cols == null) {
                cols = java.util.stream.IntStream.range(0, width).toArray();
            }
            int per = perRow(s, cols.length);
            if (per != cols.length) {
                throw TrainException.at(file, (explicit ? "--features selects " + cols.length + " columns ("
                        + TrainData.ranges(cols) + ")" : "the file has " + width + " columns") + ", but input "
                        + s.name() + " : " + s.declared() + " takes " + per + " per row"
                        + (explicit ? "" : "; choose them with --features " + s.name() + "=COLS (say, "
                        + s.name() + "=1-" + per + ")"));
            }
            for (int c : cols) {
                if (c >= width) {
                    throw TrainException.at(file, "column " + (c + 1) + " (--features " + s.name() + ") is past the "
                            + width + " columns of the file");
                }
            }
            columns.put(s, cols);
        }
        Map<InputSpec, Tensor> values = new LinkedHashMap<>();
        int rows = -1;
        List<String> bound = new ArrayList<>();
        for (Map.Entry<InputSpec, int[]> e : columns.entrySet()) {
            InputSpec s = e.getKey();
            CsvData data = read(csv, s, e.getValue(), header);
            boolean scaled = standardization != null && standardization.input().equals(s.name());
            if (scaled) {
                if (standardization.featureCount() != e.getValue().length) {
                    throw TrainException.at(file, "the params were trained on " + standardization.featureCount()
                            + " standardized columns of input " + s.name() + ", but " + e.getValue().length
                            + " are bound to it here");
                }
                data = standardization.apply(data);
            }
            rows = data.rows();
            values.put(s, shaped(file, s, data));
            bound.add(s.name() + " <- column" + (e.getValue().length == 1 ? " " : "s ")
                    + TrainData.ranges(e.getValue()) + (scaled ? " (standardized)" : ""));
        }
        String describe = csv.getFileName() + ": " + rows + " rows; " + String.join(", ", bound);
        return new PredictData(rows, columns, values, rowDim, describe);
    }

    /** The rows {@code [from, to)} of every input, as the model takes them. */
    Map<String, Tensor> batch(int from, int to) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        values.forEach((s, t) -> {
            int[] shape = t.shape();
            int per = t.size() / Math.max(shape[0], 1);
            shape[0] = to - from;
            if (t instanceof FloatTensor f) {
                out.put(s.name(), FloatTensor.wrap(Arrays.copyOfRange(f.data(), from * per, to * per), shape));
            } else if (t instanceof DoubleTensor d) {
                out.put(s.name(), DoubleTensor.wrap(Arrays.copyOfRange(d.data(), from * per, to * per), shape));
            } else {
                out.put(s.name(), IntTensor.wrap(Arrays.copyOfRange(((IntTensor) t).data(), from * per, to * per),
                        shape));
            }
        });
        return out;
    }

    private static InputSpec find(String model, List<InputSpec> needed, String name) throws TrainException {
        for (InputSpec s : needed) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        throw TrainException.usage("--features " + name + ": the outputs of model " + model + " need no input "
                + name + " (they need " + names(needed) + ")");
    }

    /** Values per row: the product of the dims after the first ({@code given} for a dim of its own). */
    private static int perRow(InputSpec s, int given) throws TrainException {
        if (s.rank() == 1) {
            return 1;
        }
        int per = 1;
        for (int d = 1; d < s.rank(); d++) {
            if (s.dims().get(d) instanceof Dim.Fixed f) {
                per *= f.size();
            } else if (s.rank() == 2) {
                return given;
            } else {
                throw TrainException.usage("input " + s.name() + " : " + s.declared() + " cannot take CSV columns:"
                        + " beyond its first dim, only a 2-D input may have a dim of its own");
            }
        }
        return per;
    }

    private static CsvData read(Path csv, InputSpec s, int[] cols, boolean header) throws TrainException {
        CsvOptions options = CsvOptions.defaults().withHeader(header).withoutTargets().withFeatureColumns(cols)
                .withFeatureType(s.elementType() == ElementType.F32 ? ElementType.F32 : ElementType.F64);
        try {
            return CsvData.read(csv, options);
        } catch (CsvFormatException e) {
            throw TrainException.at(e.source() + ":" + e.line() + (e.column() > 0 ? ":" + e.column() : ""),
                    e.problem() + (e.line() == 1 && !header && e.problem().contains("not")
                            ? "; if the first line is a header, add --header" : ""));
        } catch (IOException | IllegalArgumentException e) {
            throw TrainException.at(csv.toString(), "cannot read: " + e.getMessage());
        }
    }

    /** The input's values {@code [rows, ...]} in its element type; an i32 input's cells must be whole numbers. */
    private static Tensor shaped(String file, InputSpec s, CsvData data) throws TrainException {
        int[] shape = new int[s.rank()];
        shape[0] = data.rows();
        int per = data.featureCount();
        for (int d = 1; d < s.rank(); d++) {
            shape[d] = s.dims().get(d) instanceof Dim.Fixed f ? f.size() : per;
        }
        Tensor x = data.features();
        if (s.elementType() == ElementType.F32) {
            return FloatTensor.wrap(((FloatTensor) x).data(), shape);
        }
        double[] v = ((DoubleTensor) x).data();
        if (s.elementType() == ElementType.F64) {
            return DoubleTensor.wrap(v, shape);
        }
        int[] ints = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            if (v[i] != Math.rint(v[i]) || Math.abs(v[i]) > Integer.MAX_VALUE) {
                throw TrainException.at(file, "row " + (i / per + 1) + " gives input " + s.name() + " : " + s.declared()
                        + " the value " + v[i] + ", which is not an integer");
            }
            ints[i] = (int) v[i];
        }
        return IntTensor.wrap(ints, shape);
    }

    private static String names(List<InputSpec> inputs) {
        return String.join(", ", inputs.stream().map(InputSpec::name).toList());
    }
}
