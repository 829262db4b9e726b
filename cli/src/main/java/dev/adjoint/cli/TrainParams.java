package dev.adjoint.cli;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.ModelState;
import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.io.Printable;
import dev.adjoint.runtime.io.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A model's parameters in safetensors files: {@code --init-from} and {@code adjoint predict} check a file against
 * the model before copying anything in, and the trained parameters are written under their model names
 * ({@code W1}, {@code W[0]}) in declaration order, followed by the running statistics of each {@code batch_norm}
 * ({@code g1.running_mean}, {@code g1.running_var}), so {@code safetensors.torch.load_file} reads them as they
 * are.
 */
public final class TrainParams {
    private TrainParams() {
    }

    /**
     * Copies the tensors of {@code file} into the model's parameters and buffers (the running statistics of
     * {@code batch_norm}). Every problem is reported (one line each): a parameter or buffer the file lacks, a tensor
     * the model has no parameter or buffer for, a tensor of another type or shape. Nothing is copied unless all of
     * them fit.
     *
     * @return the file's metadata (the standardization {@code adjoint train --standardize} used, for one)
     */
    public static Map<String, String> load(Path file, AdjointModel model) throws TrainException {
        String name = file.toString();
        if (!Files.isRegularFile(file)) {
            throw TrainException.at(name, Files.isDirectory(file) ? "is a directory, not a .safetensors file"
                    : "no such file");
        }
        Safetensors.Contents contents;
        try {
            contents = Safetensors.readContents(file);
        } catch (IOException | IllegalArgumentException e) {
            String m = e.getMessage() == null ? e.toString() : e.getMessage();
            throw TrainException.at(name, m.startsWith(name + ": ") ? m.substring(name.length() + 2) : m);
        }
        List<String> problems = ModelState.problems(model, contents.tensors());
        if (!problems.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (String p : problems) {
                sb.append(sb.length() > 0 ? System.lineSeparator() : "").append(name).append(": error: ").append(p);
            }
            throw new TrainException(sb.toString());
        }
        ModelState.load(model, contents.tensors());
        return contents.metadata();
    }

    /**
     * The file's bytes: every parameter in declaration order, then the buffers (the running statistics of
     * {@code batch_norm}), and the metadata in the given order.
     */
    public static byte[] bytes(AdjointModel model, Map<String, String> metadata) {
        return Safetensors.toBytes(ModelState.of(model), metadata);
    }

    /** The number of scalars in the parameters. */
    public static long count(AdjointModel model) {
        long n = 0;
        for (Tensor t : model.parameters().values()) {
            n += t.size();
        }
        return n;
    }
}
