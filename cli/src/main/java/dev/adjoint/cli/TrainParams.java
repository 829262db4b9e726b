package dev.adjoint.cli;

import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.io.Printable;
import dev.adjoint.runtime.io.Safetensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A model's parameters in safetensors files: {@code --init-from} checks a file against the model before
 * copying anything in, and the trained parameters are written under their model names ({@code W1},
 * {@code W[0]}) in declaration order, so {@code safetensors.torch.load_file} reads them as they are.
 */
public final class TrainParams {
    private TrainParams() {
    }

    /**
     * Copies the tensors of {@code file} into the model's parameters. Every problem is reported (one line each):
     * a parameter the file lacks, a tensor the model has no parameter for, a tensor of another type or shape.
     * Nothing is copied unless all of them fit.
     */
    public static void load(Path file, AdjointModel model) throws TrainException {
        String name = file.toString();
        if (!Files.isRegularFile(file)) {
            throw TrainException.at(name, Files.isDirectory(file) ? "is a directory, not a .safetensors file"
                    : "no such file");
        }
        Map<String, Tensor> tensors;
        try {
            tensors = Safetensors.read(file);
        } catch (IOException | IllegalArgumentException e) {
            String m = e.getMessage() == null ? e.toString() : e.getMessage();
            throw TrainException.at(name, m.startsWith(name + ": ") ? m.substring(name.length() + 2) : m);
        }
        Map<String, Tensor> params = model.parameters();
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, Tensor> p : params.entrySet()) {
            Tensor t = tensors.get(p.getKey());
            if (t == null) {
                problems.add("missing tensor " + p.getKey() + " for param " + p.getKey() + " : "
                        + p.getValue().typeString());
            } else if (!t.typeString().equals(p.getValue().typeString())) {
                problems.add("tensor " + p.getKey() + " is " + t.typeString() + ", but param " + p.getKey() + " is "
                        + p.getValue().typeString());
            }
        }
        for (String t : tensors.keySet()) {
            if (!params.containsKey(t)) {
                problems.add("tensor " + Printable.escape(t) + " is not a param of model " + model.name() + " (its params: "
                        + String.join(", ", params.keySet()) + ")");
            }
        }
        if (!problems.isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (String p : problems) {
                sb.append(sb.length() > 0 ? System.lineSeparator() : "").append(name).append(": error: ").append(p);
            }
            throw new TrainException(sb.toString());
        }
        for (Map.Entry<String, Tensor> t : tensors.entrySet()) {
            model.setParameter(t.getKey(), t.getValue());
        }
    }

    /** The file's bytes: every parameter in declaration order, and the metadata in the given order. */
    public static byte[] bytes(AdjointModel model, Map<String, String> metadata) {
        return Safetensors.toBytes(model.parameters(), metadata);
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
