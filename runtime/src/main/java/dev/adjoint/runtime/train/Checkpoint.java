package dev.adjoint.runtime.train;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.io.AtomicFiles;
import dev.adjoint.runtime.io.Safetensors;
import dev.adjoint.runtime.optim.Optimizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything needed to continue a training run exactly: the model's parameters, the optimizer's
 * {@link dev.adjoint.runtime.optim.Optimizer#state() state} and how far the run got, in one
 * safetensors file written atomically (so it is always whole and consistent).
 *
 * <p>The file holds the parameters as {@code param.NAME} ({@code param.W1}, {@code param.W[0]}),
 * the model's buffers (the running statistics of {@code batch_norm}) as {@code buffer.NAME}, the
 * optimizer state as {@code optimizer.NAME} ({@code optimizer.exp_avg.W1},
 * {@code optimizer.step}), a caller's extra tensors as {@code extra.NAME}, and in its metadata
 * {@code checkpoint.epochs}, {@code checkpoint.steps} and the model's
 * {@link AdjointModel#trainingStep() training step} ({@code checkpoint.training_step}, which
 * seeds the dropout masks) next to the caller's entries. The data order needs no state: a
 * {@link CsvBatchSource}'s batches in an epoch depend only on its seed and the epoch's number, and
 * learning-rate schedules are functions of the step.
 *
 * <pre>{@code
 * Trainer.builder(model, opt).data(train).epochs(30)
 *     .listener(Checkpoint.everyEpoch(Path.of("run.ckpt"), model, opt))
 *     .build().fit();
 * // later, in another process, after building model, opt and train the same way:
 * Checkpoint c = Checkpoint.read(Path.of("run.ckpt"));
 * c.restore(model, opt);
 * Trainer.builder(model, opt).data(train).epochs(30)
 *     .resumeAfter(c.epochs(), c.steps())
 *     .build().fit();   // the same params, bit for bit, as a run that never stopped
 * }</pre>
 */
public final class Checkpoint {
  /** Name prefix of the parameters. */
  public static final String PARAM = "param.";
  /** Name prefix of the model's buffers. */
  public static final String BUFFER = "buffer.";
  /** Name prefix of the optimizer state. */
  public static final String OPTIMIZER = "optimizer.";
  /** Name prefix of a caller's extra tensors. */
  public static final String EXTRA = "extra.";
  private static final String EPOCHS = "checkpoint.epochs";
  private static final String STEPS = "checkpoint.steps";
  private static final String TRAINING_STEP = "checkpoint.training_step";

  private final Map<String, Tensor> params;
  private final Map<String, Tensor> buffers;
  private final Map<String, Tensor> optimizer;
  private final Map<String, Tensor> extra;
  private final Map<String, String> metadata;
  private final int epochs;
  private final long steps;
  private final long trainingStep;

  private Checkpoint(Map<String, Tensor> params, Map<String, Tensor> buffers,
      Map<String, Tensor> optimizer, Map<String, Tensor> extra, Map<String, String> metadata,
      int epochs, long steps, long trainingStep) {
    this.params = Collections.unmodifiableMap(params);
    this.buffers = Collections.unmodifiableMap(buffers);
    this.optimizer = Collections.unmodifiableMap(optimizer);
    this.extra = Collections.unmodifiableMap(extra);
    this.metadata = Collections.unmodifiableMap(metadata);
    this.epochs = epochs;
    this.steps = steps;
    this.trainingStep = trainingStep;
  }

  /**
   * The bytes of a checkpoint after {@code epochs} whole epochs and {@code steps} steps.
   *
   * @param extra more tensors to keep (names without the prefix), such as a loss history
   * @param metadata more metadata entries; they may not use the {@code checkpoint.} keys
   * @throws UnsupportedOperationException if the optimizer cannot export its state
   */
  public static byte[] toBytes(AdjointModel model, Optimizer optimizer,
      int epochs, long steps, Map<String, Tensor> extra, Map<String, String> metadata) {
    Map<String, Tensor> tensors = new LinkedHashMap<>();
    model.parameters().forEach((name, t) -> tensors.put(PARAM + name, t));
    model.buffers().forEach((name, t) -> tensors.put(BUFFER + name, t));
    optimizer.state().forEach((name, t) -> tensors.put(OPTIMIZER + name, t));
    extra.forEach((name, t) -> tensors.put(EXTRA + name, t));
    Map<String, String> meta = new LinkedHashMap<>();
    meta.put(EPOCHS, Integer.toString(epochs));
    meta.put(STEPS, Long.toString(steps));
    meta.put(TRAINING_STEP, Long.toString(model.trainingStep()));
    for (Map.Entry<String, String> e : metadata.entrySet()) {
      if (meta.containsKey(e.getKey())) {
        throw new IllegalArgumentException("metadata key " + e.getKey() + " is the checkpoint's own");
      }
      meta.put(e.getKey(), e.getValue());
    }
    return Safetensors.toBytes(tensors, meta);
  }

  /** Writes {@link #toBytes} to {@code file} atomically (a temporary file renamed over it). */
  public static void write(Path file, AdjointModel model, Optimizer optimizer,
      int epochs, long steps, Map<String, Tensor> extra, Map<String, String> metadata)
      throws IOException {
    AtomicFiles.write(file, toBytes(model, optimizer, epochs, steps, extra, metadata));
  }

  /**
   * A listener that writes a checkpoint to {@code file} after every epoch (after its held-out
   * evaluation), with no extra tensors or metadata. An {@link IOException} ends training as an
   * {@link java.io.UncheckedIOException}.
   */
  public static TrainingListener everyEpoch(Path file, AdjointModel model,
      Optimizer optimizer) {
    Objects.requireNonNull(file, "file");
    return new TrainingListener() {
      @Override
      public void onEpoch(EpochReport e) {
        try {
          write(file, model, optimizer, e.epoch(), e.steps(), Map.of(), Map.of());
        } catch (IOException ex) {
          throw new java.io.UncheckedIOException(ex);
        }
      }
    };
  }

  /**
   * Reads a checkpoint.
   *
   * @throws IOException if the file cannot be read, is not safetensors, or is not a checkpoint
   *     (no {@code checkpoint.epochs} and {@code checkpoint.steps}, or a tensor without a known
   *     prefix); the message starts with the file
   */
  public static Checkpoint read(Path file) throws IOException {
    Safetensors.Contents contents = Safetensors.readContents(file);
    Map<String, String> meta = new LinkedHashMap<>(contents.metadata());
    String epochText = meta.remove(EPOCHS);
    String stepText = meta.remove(STEPS);
    String trainingStepText = meta.remove(TRAINING_STEP);
    if (epochText == null || stepText == null) {
      throw new IOException(file + ": not a training checkpoint (its metadata has no " + EPOCHS
          + " and " + STEPS + ")");
    }
    int epochs;
    long steps;
    long trainingStep;
    try {
      epochs = Integer.parseInt(epochText);
      steps = Long.parseLong(stepText);
      trainingStep = trainingStepText == null ? steps : Long.parseLong(trainingStepText);
    } catch (NumberFormatException e) {
      throw new IOException(file + ": " + EPOCHS + " '" + epochText + "' and " + STEPS + " '"
          + stepText + "' must be whole numbers");
    }
    if (epochs < 0 || steps < 0) {
      throw new IOException(file + ": negative " + EPOCHS + " or " + STEPS);
    }
    Map<String, Tensor> params = new LinkedHashMap<>();
    Map<String, Tensor> buffers = new LinkedHashMap<>();
    Map<String, Tensor> optimizer = new LinkedHashMap<>();
    Map<String, Tensor> extra = new LinkedHashMap<>();
    for (Map.Entry<String, Tensor> e : contents.tensors().entrySet()) {
      String name = e.getKey();
      if (name.startsWith(PARAM)) {
        params.put(name.substring(PARAM.length()), e.getValue());
      } else if (name.startsWith(BUFFER)) {
        buffers.put(name.substring(BUFFER.length()), e.getValue());
      } else if (name.startsWith(OPTIMIZER)) {
        optimizer.put(name.substring(OPTIMIZER.length()), e.getValue());
      } else if (name.startsWith(EXTRA)) {
        extra.put(name.substring(EXTRA.length()), e.getValue());
      } else {
        throw new IOException(file + ": tensor " + name + " is not a parameter (" + PARAM
            + "…), buffer (" + BUFFER + "…), optimizer state (" + OPTIMIZER + "…) or extra ("
            + EXTRA + "…)");
      }
    }
    return new Checkpoint(params, buffers, optimizer, extra, meta, epochs, steps, trainingStep);
  }

  /** The whole epochs run before the checkpoint was taken. */
  public int epochs() {
    return epochs;
  }

  /** The steps run before the checkpoint was taken. */
  public long steps() {
    return steps;
  }

  /** The parameters by model name. */
  public Map<String, Tensor> params() {
    return params;
  }

  /** The model's buffers by name (the running statistics of {@code batch_norm}). */
  public Map<String, Tensor> buffers() {
    return buffers;
  }

  /** The model's training step when the checkpoint was taken ({@link AdjointModel#trainingStep()}). */
  public long trainingStep() {
    return trainingStep;
  }

  /** The optimizer state, as {@link dev.adjoint.runtime.optim.Optimizer#state()} gave it. */
  public Map<String, Tensor> optimizerState() {
    return optimizer;
  }

  /** The extra tensors, by the names given to {@link #toBytes}. */
  public Map<String, Tensor> extra() {
    return extra;
  }

  /** The caller's metadata entries (without the checkpoint's own). */
  public Map<String, String> metadata() {
    return metadata;
  }

  /**
   * Copies the parameters and buffers into {@code model}, sets its training step, and copies the
   * state into {@code optimizer} (built with the same kind and hyperparameters as the one saved,
   * over {@code model.parameters()}).
   *
   * @throws IllegalArgumentException listing every parameter that is missing, unexpected or of
   *     another type or shape, or what the optimizer finds wrong with its state; nothing is changed
   *     then
   */
  public void restore(AdjointModel model, Optimizer optimizer) {
    List<String> problems = new ArrayList<>();
    Map<String, Tensor> own = model.parameters();
    for (Map.Entry<String, Tensor> p : own.entrySet()) {
      Tensor t = params.get(p.getKey());
      if (t == null) {
        problems.add("missing param " + p.getKey() + " : " + p.getValue().typeString());
      } else if (!t.typeString().equals(p.getValue().typeString())) {
        problems.add("param " + p.getKey() + " is " + t.typeString() + ", but model "
            + model.name() + " has " + p.getValue().typeString());
      }
    }
    for (String name : params.keySet()) {
      if (!own.containsKey(name)) {
        problems.add("param " + name + " is not a param of model " + model.name());
      }
    }
    for (Map.Entry<String, Tensor> b : model.buffers().entrySet()) {
      Tensor t = buffers.get(b.getKey());
      if (t == null) {
        problems.add("missing buffer " + b.getKey() + " : " + b.getValue().typeString());
      } else if (!t.typeString().equals(b.getValue().typeString())) {
        problems.add("buffer " + b.getKey() + " is " + t.typeString() + ", but model "
            + model.name() + " has " + b.getValue().typeString());
      }
    }
    for (String name : buffers.keySet()) {
      if (!model.buffers().containsKey(name)) {
        problems.add("buffer " + name + " is not a buffer of model " + model.name());
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("the checkpoint does not fit model " + model.name() + ": "
          + String.join("; ", problems));
    }
    optimizer.loadState(this.optimizer);
    params.forEach(model::setParameter);
    buffers.forEach(model::setBuffer);
    model.setTrainingStep(trainingStep);
  }
}
