package dev.adjoint.compiler.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * A seeded mutation fuzzer of the whole compiler (issue 15): the bundled sample models and the test models,
 * mutated at token and character level, and random models. Every accepted model must compile with javac and
 * load (and, when small, run); every refused one must have only positioned diagnostics; nothing may throw.
 *
 * <p>{@link #seededCorpus} runs {@value #INPUTS} inputs from a fixed seed in every build. The long run, behind
 * the {@code fuzz} profile (see the README), runs {@link #longRun} for {@code adjoint.fuzz.minutes} minutes from
 * {@code adjoint.fuzz.seed} (default: the time) and writes each finding to {@code target/fuzz-findings/}.
 */
class ModelFuzzTest {
    /** Inputs per ordinary run: about 15 s on a quiet 2-core machine. */
    static final int INPUTS = 300;

    private static Map<String, String> corpus() throws IOException {
        Map<String, String> models = new LinkedHashMap<>();
        for (Path dir : List.of(Path.of("../samples/models"), Path.of("src/test/resources/models"))) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path p : files.filter(f -> f.toString().endsWith(".model")).sorted().toList()) {
                    models.put(p.getFileName().toString().replace(".model", ""),
                            Files.readString(p, StandardCharsets.UTF_8));
                }
            }
        }
        return models;
    }

    /** Input {@code i} of the run started at {@code seed}: a mutant of a corpus model, or a random model. */
    private static String input(long seed, long i, List<String> sources, List<String> tokens) {
        SplittableRandom pick = new SplittableRandom(seed * 1_000_003 + i);
        if (pick.nextInt(4) == 0) {
            String random = RandomModels.model("R" + i, pick.nextLong());
            return pick.nextBoolean() ? random : new Mutator(pick.nextLong()).mutate(random, tokens);
        }
        return new Mutator(pick.nextLong()).mutate(sources.get(pick.nextInt(sources.size())), tokens);
    }

    private static List<String> tokens(Map<String, String> corpus) {
        List<String> out = new ArrayList<>();
        corpus.values().forEach(s -> Mutator.tokens(s).stream().filter(t -> !t.isBlank() && !t.startsWith("//"))
                .distinct().forEach(out::add));
        return out;
    }

    @Test
    void seededCorpus() throws IOException {
        FuzzOracle oracle = run(20_261_215L, INPUTS, null);
        System.out.println("fuzz: " + INPUTS + " inputs from seed 20261215: " + oracle.summary());
        assertTrue(oracle.findings().isEmpty(), () -> oracle.summary() + "\n" + oracle.findings());
    }

    @Test
    @EnabledIfSystemProperty(named = "adjoint.fuzz.minutes", matches = "[0-9.]+")
    void longRun() throws IOException {
        double minutes = Double.parseDouble(System.getProperty("adjoint.fuzz.minutes"));
        String given = System.getProperty("adjoint.fuzz.seed", "");
        long seed = given.isBlank() ? System.currentTimeMillis() : Long.parseLong(given.strip());
        Instant end = Instant.now().plus(Duration.ofMillis((long) (minutes * 60_000)));
        Path out = Path.of("target/fuzz-findings");
        long inputs = 0;
        FuzzOracle total = null;
        List<FuzzOracle.Finding> findings = new ArrayList<>();
        while (Instant.now().isBefore(end)) {
            FuzzOracle oracle = run(seed + inputs, 500, out);
            findings.addAll(oracle.findings());
            inputs += 500;
            total = oracle;
            System.out.println("fuzz: " + inputs + " inputs from seed " + seed + "; last 500: " + oracle.summary());
        }
        System.out.println("fuzz: " + inputs + " inputs in " + minutes + " minutes from seed " + seed + ", "
                + findings.size() + " findings" + (findings.isEmpty() ? "" : " (in " + out.toAbsolutePath() + ")"));
        FuzzOracle last = total;
        assertTrue(findings.isEmpty(), () -> findings.size() + " findings:\n" + findings
                + (last == null ? "" : "\n" + last.summary()));
    }

    /** Checks {@code count} inputs from {@code seed}; with {@code out}, writes each finding there. */
    private static FuzzOracle run(long seed, int count, Path out) throws IOException {
        Map<String, String> corpus = corpus();
        List<String> sources = List.copyOf(corpus.values());
        List<String> tokens = tokens(corpus);
        FuzzOracle oracle = new FuzzOracle();
        for (int i = 0; i < count; i++) {
            String name = "s" + seed + "_" + i;
            oracle.check(name, input(seed, i, sources, tokens));
        }
        oracle.flush();
        if (out != null && !oracle.findings().isEmpty()) {
            Files.createDirectories(out);
            for (FuzzOracle.Finding f : oracle.findings()) {
                Files.writeString(out.resolve(f.name() + ".model"), f.source(), StandardCharsets.UTF_8);
                Files.writeString(out.resolve(f.name() + ".txt"), f.problem(), StandardCharsets.UTF_8);
            }
        }
        return oracle;
    }
}
