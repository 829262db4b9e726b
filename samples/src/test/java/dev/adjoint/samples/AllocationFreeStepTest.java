package dev.adjoint.samples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.IntTensor;
import dev.adjoint.runtime.MemoryReport;
import dev.adjoint.runtime.StepResult;
import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.io.CsvData;
import dev.adjoint.runtime.io.CsvOptions;
import dev.adjoint.runtime.optim.Adam;
import dev.adjoint.runtime.optim.LearningRateSchedule;
import dev.adjoint.runtime.train.CsvBatchSource;
import dev.adjoint.runtime.train.GradientHealth;
import dev.adjoint.runtime.train.Trainer;
import dev.adjoint.samples.models.DigitsBn;
import dev.adjoint.samples.models.DigitsMlp;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A training step of a generated model allocates nothing once its buffers exist: measured with the thread's
 * allocation counter over 1,000 steps of the plugin-generated digits MLP, alone and inside the {@link Trainer}.
 *
 * <p>"Once warm" means once the JIT has compiled the step: code still interpreted, or compiled before escape analysis
 * removed its temporaries, allocates. On a loaded machine the JIT may take longer than the warm-up, so a measurement
 * that is not zero is repeated after more warm-up, up to {@link #ROUNDS} times. A step that really allocates does so
 * in every round (1,000 steps of it allocate at least 1,000 objects each time), so the test still fails.
 */
class AllocationFreeStepTest {
    private static com.sun.management.ThreadMXBean bean;
    private static final int ROUNDS = 5;

    /** Bytes allocated by {@code calls} calls of {@code body} after warm-up: the first round that allocates none. */
    private static long allocatedOnceWarm(Runnable body, int calls) {
        long allocated = -1;
        for (int round = 0; round < ROUNDS && allocated != 0; round++) {
            for (int i = 0; i < 2_000; i++) {
                body.run();                                 // warm-up: the JIT compiles the step
            }
            long before = bean.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < calls; i++) {
                body.run();
            }
            allocated = bean.getCurrentThreadAllocatedBytes() - before;
        }
        return allocated;
    }

    @BeforeAll
    static void allocationCounter() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "no com.sun.management.ThreadMXBean");
        bean = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(bean.isThreadAllocatedMemorySupported() && bean.isThreadAllocatedMemoryEnabled(),
                "thread allocation accounting unsupported");
    }

    private static Map<String, Tensor> batch(int rows, long seed) {
        Random r = new Random(seed);
        float[] x = new float[rows * 64];
        int[] y = new int[rows];
        for (int i = 0; i < x.length; i++) {
            x[i] = r.nextFloat();
        }
        for (int i = 0; i < rows; i++) {
            y[i] = r.nextInt(10);
        }
        return Map.of("x", FloatTensor.wrap(x, rows, 64), "y", IntTensor.wrap(y, rows));
    }

    @Test
    void aThousandStepsAllocateNoByte() {
        DigitsMlp model = new DigitsMlp(42);
        Map<String, Tensor> batch = batch(32, 1);
        StepResult first = model.step(batch);
        long allocated = allocatedOnceWarm(() -> model.step(batch), 1_000);
        assertEquals(0, allocated, "1,000 steps allocated " + allocated + " bytes");
        assertSame(first, model.step(batch), "the same result views every step");
    }

    @Test
    void aThousandPredictionsAllocateNoByte() {
        DigitsMlp model = new DigitsMlp(42);
        Map<String, Tensor> rows = Map.of("x", batch(32, 1).get("x"));   // no labels
        StepResult first = model.predictViews(rows);
        long allocated = allocatedOnceWarm(() -> model.predictViews(rows), 1_000);
        assertEquals(0, allocated, "1,000 predictions allocated " + allocated + " bytes");
        assertSame(first, model.predictViews(rows), "the same result views every call");
    }

    @Test
    void batchNormAndDropoutStepsAllocateNoByte() {
        DigitsBn model = new DigitsBn(42);
        Map<String, Tensor> batch = batch(32, 1);
        long allocated = allocatedOnceWarm(() -> {
            model.step(batch);
            model.evaluate(batch);
        }, 1_000);
        assertEquals(0, allocated, "1,000 training steps and evaluations allocated " + allocated + " bytes");
    }

    @Test
    void theBytesHeldAreThePlannedBytes() {
        DigitsMlp model = new DigitsMlp(42);
        model.step(batch(32, 1));
        MemoryReport m = model.memory();
        assertEquals(m.planned(Map.of("B", 32)), m.held(), m.formula());
        model.step(batch(7, 2));                            // a second binding of B: its own buffers
        MemoryReport both = model.memory();
        assertEquals(m.planned(Map.of("B", 32)) + m.planned(Map.of("B", 7)), both.held(), both.formula());
    }

    @Test
    void aThousandTrainerStepsAllocateNoMoreThanTheFirst() throws IOException {
        CsvData data = CsvData.read(Path.of("data/digits.csv.gz"), CsvOptions.defaults().withNumClasses(10));
        for (int i = 0; i < 3; i++) {
            allocatedByFit(data, 500);                      // warm up
        }
        long small = 0;
        long large = -1;
        for (int round = 0; round < ROUNDS && large != small; round++) {
            small = allocatedByFit(data, 500);
            large = allocatedByFit(data, 1_500);
        }
        // the fixed costs (the trainer, the epoch reports, the health table) are the same; the 1,000 more steps
        // (each a generated step, global-norm clipping, an Adam update and a batch) add nothing
        assertEquals(0, large - small, "1,000 more steps allocated " + (large - small) + " more bytes");
    }

    private static long allocatedByFit(CsvData data, int steps) {
        DigitsMlp model = new DigitsMlp(42);
        Trainer trainer = Trainer.builder(model, Adam.builder(model.parameters()).build())
                .data(CsvBatchSource.shuffled(data, "x", "y", 32, 1))
                .stepsPerEpoch(steps)
                .schedule(LearningRateSchedule.cosine(1e-3, steps, 0))
                .clipGlobalNorm(1.0)
                .health(GradientHealth.Options.defaults().withMaxSamples(64))   // its samples, bounded
                .build();
        long before = bean.getCurrentThreadAllocatedBytes();
        trainer.fit();
        return bean.getCurrentThreadAllocatedBytes() - before;
    }
}
