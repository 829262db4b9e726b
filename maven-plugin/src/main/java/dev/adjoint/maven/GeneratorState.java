package dev.adjoint.maven;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the last successful run generated, kept in a small text file between builds: the stamp of the
 * generator and its options, and per model its size, its last-modified time and the files it produced.
 * A missing, unreadable or foreign file reads as an empty state (everything is regenerated).
 */
record GeneratorState(String stamp, Map<String, Entry> models) {
    private static final String HEADER = "adjoint-maven-plugin state 1";

    /** One model: its size and modification time when it was compiled, and its outputs. */
    record Entry(long size, long lastModified, List<Output> outputs) {
    }

    /** A generated file, relative to the main or the test output directory. */
    record Output(boolean test, String relativePath) {
        Path resolve(Path mainRoot, Path testRoot) {
            return (test ? testRoot : mainRoot).resolve(relativePath);
        }

        String encode() {
            return (test ? "test:" : "main:") + relativePath;
        }

        static Output decode(String text) {
            if (text.startsWith("test:")) {
                return new Output(true, text.substring(5));
            }
            if (text.startsWith("main:")) {
                return new Output(false, text.substring(5));
            }
            throw new IllegalArgumentException(text);
        }
    }

    GeneratorState {
        models = Map.copyOf(models);
    }

    static GeneratorState empty() {
        return new GeneratorState("", Map.of());
    }

    /** Reads a state file; anything it cannot make sense of reads as {@link #empty()}. */
    static GeneratorState read(Path file) {
        if (!Files.isRegularFile(file)) {
            return empty();
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.size() < 2 || !lines.get(0).equals(HEADER) || !lines.get(1).startsWith("stamp\t")) {
                return empty();
            }
            Map<String, Entry> models = new TreeMap<>();
            for (String line : lines.subList(2, lines.size())) {
                String[] f = line.split("\t", -1);
                if (f.length < 4 || !f[0].equals("model")) {
                    return empty();
                }
                List<Output> outputs = new ArrayList<>();
                for (int i = 4; i < f.length; i++) {
                    outputs.add(Output.decode(f[i]));
                }
                models.put(f[1], new Entry(Long.parseLong(f[2]), Long.parseLong(f[3]), List.copyOf(outputs)));
            }
            return new GeneratorState(lines.get(1).substring(6), models);
        } catch (IOException | RuntimeException e) {
            return empty();
        }
    }

    /** The file's text: header, stamp, then one line per model in path order. */
    String text() {
        StringBuilder out = new StringBuilder(HEADER).append('\n');
        out.append("stamp\t").append(stamp).append('\n');
        for (Map.Entry<String, Entry> e : new TreeMap<>(models).entrySet()) {
            out.append("model\t").append(e.getKey()).append('\t').append(e.getValue().size()).append('\t')
                    .append(e.getValue().lastModified());
            for (Output o : e.getValue().outputs()) {
                out.append('\t').append(o.encode());
            }
            out.append('\n');
        }
        return out.toString();
    }
}
