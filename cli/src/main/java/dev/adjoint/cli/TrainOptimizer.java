package dev.adjoint.cli;

import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.optim.Adam;
import dev.adjoint.runtime.optim.AdamW;
import dev.adjoint.runtime.optim.LearningRateSchedule;
import dev.adjoint.runtime.optim.Optimizer;
import dev.adjoint.runtime.optim.Sgd;
import java.util.Locale;
import java.util.Map;

/** The optimizer and learning-rate schedule of {@code adjoint train} (and of adjoint-spark's entry point), from its options. */
public final class TrainOptimizer {
    private TrainOptimizer() {
    }

    /**
     * The optimizer. {@code momentum} and {@code weightDecay} are null when not given: SGD then uses momentum
     * 0.9, SGD and Adam no weight decay, AdamW 0.01 (PyTorch's default).
     */
    public static Optimizer build(String kind, Map<String, Tensor> params, double lr, Double momentum, boolean nesterov,
            Double weightDecay) throws TrainException {
        if (!(lr > 0 && Double.isFinite(lr))) {
            throw TrainException.usage("--lr " + lr + ": the learning rate must be a finite number above 0");
        }
        if (weightDecay != null && !(weightDecay >= 0 && Double.isFinite(weightDecay))) {
            throw TrainException.usage("--weight-decay " + weightDecay + ": must be a finite number >= 0");
        }
        String k = kind.toLowerCase(Locale.ROOT);
        if (!k.equals("sgd") && (momentum != null || nesterov)) {
            throw TrainException.usage((nesterov ? "--nesterov" : "--momentum") + " applies to --optimizer sgd only"
                    + " (Adam's momentum is built in)");
        }
        switch (k) {
            case "sgd" -> {
                double m = momentum == null ? 0.9 : momentum;
                if (!(m >= 0 && m < 1)) {
                    throw TrainException.usage("--momentum " + m + ": must be in [0, 1)");
                }
                if (nesterov && m == 0) {
                    throw TrainException.usage("--nesterov needs a --momentum above 0");
                }
                return Sgd.builder(params).learningRate(lr).momentum(m).nesterov(nesterov)
                        .weightDecay(weightDecay == null ? 0 : weightDecay).build();
            }
            case "adam" -> {
                return Adam.builder(params).learningRate(lr).weightDecay(weightDecay == null ? 0 : weightDecay)
                        .build();
            }
            case "adamw" -> {
                return AdamW.builder(params).learningRate(lr).weightDecay(weightDecay == null ? 0.01 : weightDecay)
                        .build();
            }
            default -> throw TrainException.usage("--optimizer " + kind + ": expected sgd, adam or adamw");
        }
    }

    /**
     * The schedule for {@code --schedule constant|cosine|step:EVERY:GAMMA} over {@code totalSteps}, with a linear
     * warm-up over the first {@code warmup} steps (0: none). Cosine decays to 0 at the last step.
     */
    public static LearningRateSchedule schedule(String spec, double lr, long totalSteps, int warmup) throws TrainException {
        String s = spec.toLowerCase(Locale.ROOT).strip();
        LearningRateSchedule schedule;
        if (s.equals("constant")) {
            schedule = LearningRateSchedule.constant(lr);
        } else if (s.equals("cosine")) {
            schedule = LearningRateSchedule.cosine(lr, (int) Math.min(totalSteps, Integer.MAX_VALUE), 0);
        } else if (s.startsWith("step:")) {
            String[] parts = s.split(":", -1);
            int every;
            double gamma;
            try {
                if (parts.length != 3) {
                    throw new NumberFormatException();
                }
                every = Integer.parseInt(parts[1]);
                gamma = Double.parseDouble(parts[2]);
            } catch (NumberFormatException e) {
                throw TrainException.usage("--schedule " + spec + ": expected step:EVERY:GAMMA, such as step:1000:0.5");
            }
            if (every < 1 || !(gamma > 0 && gamma <= 1)) {
                throw TrainException.usage("--schedule " + spec + ": EVERY must be >= 1 and GAMMA in (0, 1]");
            }
            schedule = LearningRateSchedule.step(lr, every, gamma);
        } else {
            throw TrainException.usage("--schedule " + spec + ": expected constant, cosine or step:EVERY:GAMMA");
        }
        if (warmup < 0) {
            throw TrainException.usage("--warmup " + warmup + ": must be >= 0");
        }
        return warmup > 0 ? schedule.withLinearWarmup(warmup) : schedule;
    }
}
