package dev.adjoint.cli;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.DoubleTensor;
import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.io.Json;
import dev.adjoint.runtime.optim.Optimizer;
import dev.adjoint.runtime.train.Checkpoint;
import dev.adjoint.runtime.train.EpochReport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The checkpoint {@code adjoint train} keeps in its output directory ({@code checkpoint.safetensors}), written after
 * every epoch, from which {@code --resume DIR} continues the run. Besides the params and the optimizer state
 * ({@link Checkpoint}) it records how the run was started (the command line and its working directory), digests of
 * the model and data files (a resumed run must see the same ones), and the loss history for the charts.
 */
final class TrainCheckpoint {
    static final String FILE = "checkpoint.safetensors";
    private static final String ARGS = "train.args";
    private static final String CWD = "train.cwd";
    private static final String MODEL_DIGEST = "train.model.sha256";
    private static final String DATA_DIGEST = "train.data.sha256";
    private static final String OPTIMIZER = "train.optimizer";
    private static final String STEP_LOSS = "step_loss";
    private static final String EPOCHS = "epochs";
    /** Columns of the {@code epochs} tensor. */
    private static final int EPOCH_COLUMNS = 7;

    private TrainCheckpoint() {
    }

    /** How a run was started, for its checkpoints. */
    record Origin(List<String> args, Path cwd, String modelDigest, String dataDigest, String optimizer) {
    }

    /** What {@code --resume} reads back. */
    record Resumed(Checkpoint checkpoint, Origin origin, double[] stepLosses, List<EpochReport> epochs) {
    }

    /** The checkpoint's bytes after epoch {@code e}, with the losses the reporter has seen so far. */
    static byte[] bytes(AdjointModel model, Optimizer optimizer, EpochReport e, TrainReporter reporter, Origin o,
            Map<String, String> more) {
        Map<String, Tensor> extra = new LinkedHashMap<>();
        double[] steps = reporter.stepLosses();
        extra.put(STEP_LOSS, DoubleTensor.wrap(steps, steps.length));
        List<EpochReport> epochs = reporter.epochs();
        double[] table = new double[epochs.size() * EPOCH_COLUMNS];
        for (int i = 0; i < epochs.size(); i++) {
            EpochReport r = epochs.get(i);
            double[] row = {r.epoch(), r.steps(), r.trainLoss(), r.heldOutLoss(), r.heldOutAccuracy(), r.heldOutRmse(),
                r.elapsed().toNanos() / 1e9};
            System.arraycopy(row, 0, table, i * EPOCH_COLUMNS, EPOCH_COLUMNS);
        }
        extra.put(EPOCHS, DoubleTensor.wrap(table, epochs.size(), EPOCH_COLUMNS));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("model", model.name());
        meta.put(ARGS, jsonArray(o.args()));
        meta.put(CWD, o.cwd().toString());
        meta.put(MODEL_DIGEST, o.modelDigest());
        meta.put(DATA_DIGEST, o.dataDigest() == null ? "" : o.dataDigest());
        meta.put(OPTIMIZER, o.optimizer());
        meta.putAll(more);
        return Checkpoint.toBytes(model, optimizer, e.epoch(), e.steps(), extra, meta);
    }

    /** Reads {@code dir/checkpoint.safetensors}. */
    static Resumed read(Path dir) throws TrainException {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw TrainException.at(dir.toString(), Files.isDirectory(dir)
                    ? "no " + FILE + " here: --resume takes the output directory of a run of adjoint train (its --out)"
                    : "no such directory");
        }
        Checkpoint c;
        try {
            c = Checkpoint.read(file);
        } catch (IOException e) {
            throw TrainException.at(file.toString(), "cannot read: " + e.getMessage());
        }
        Map<String, String> meta = c.metadata();
        List<String> args = new ArrayList<>();
        try {
            if (!(Json.parse(meta.getOrDefault(ARGS, "")) instanceof List<?> list)) {
                throw new IllegalArgumentException("not a list");
            }
            for (Object a : list) {
                args.add((String) a);
            }
        } catch (RuntimeException | Json.SyntaxException e) {
            throw TrainException.at(file.toString(), "not a checkpoint of adjoint train: its metadata " + ARGS
                    + " is not the list of the run's arguments");
        }
        String data = meta.getOrDefault(DATA_DIGEST, "");
        Origin origin = new Origin(args, Path.of(meta.getOrDefault(CWD, ".")), meta.getOrDefault(MODEL_DIGEST, ""),
                data.isEmpty() ? null : data, meta.getOrDefault(OPTIMIZER, ""));
        Tensor steps = c.extra().get(STEP_LOSS);
        Tensor table = c.extra().get(EPOCHS);
        double[] stepLosses = steps instanceof DoubleTensor d ? d.data() : new double[0];
        List<EpochReport> epochs = new ArrayList<>();
        if (table instanceof DoubleTensor t && t.rank() == 2 && t.dim(1) == EPOCH_COLUMNS) {
            double[] x = t.data();
            for (int i = 0; i < t.dim(0); i++) {
                int o = i * EPOCH_COLUMNS;
                epochs.add(new EpochReport((int) x[o], x[o + 2], x[o + 3], x[o + 4], x[o + 5], (long) x[o + 1],
                        Duration.ofNanos((long) (x[o + 6] * 1e9))));
            }
        }
        return new Resumed(c, origin, stepLosses, epochs);
    }

    /** The SHA-256 of a file's bytes, in hex. */
    static String sha256(Path file) throws TrainException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                md.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw TrainException.at(file.toString(), "cannot read: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    private static String jsonArray(List<String> items) {
        StringBuilder sb = new StringBuilder("[");
        for (String s : items) {
            sb.append(sb.length() > 1 ? "," : "").append('"');
            for (int i = 0; i < s.length(); i++) {
                char ch = s.charAt(i);
                if (ch == '"' || ch == '\\') {
                    sb.append('\\').append(ch);
                } else if (ch < 0x20) {
                    sb.append(String.format("\\u%04x", (int) ch));
                } else {
                    sb.append(ch);
                }
            }
            sb.append('"');
        }
        return sb.append(']').toString();
    }
}
