package dev.adjoint.runtime.optim;

/**
 * A learning rate as a function of the 0-based step index: {@code at(0)} is the rate for the
 * first step. Use it with {@link Optimizer#steps()}, which is the index of the next step:
 *
 * <pre>{@code
 * opt.setLearningRate(schedule.at(opt.steps()));
 * opt.step(gradients);
 * }</pre>
 *
 * <p>Schedules are pure functions of the step, so they need no state and can be evaluated in any
 * order. The factories follow PyTorch's {@code lr_scheduler} closed forms, where step {@code t}
 * means "after {@code t} calls of {@code scheduler.step()}".
 */
@FunctionalInterface
public interface LearningRateSchedule {

  /**
   * The learning rate for step {@code step}.
   *
   * @throws IllegalArgumentException if {@code step} is negative (the factories' schedules)
   */
  double at(int step);

  /** The same rate at every step. */
  static LearningRateSchedule constant(double lr) {
    Checks.nonNegative("learning rate", lr);
    return step -> {
      checkStep(step);
      return lr;
    };
  }

  /**
   * {@code base * gamma^(step / everySteps)} with integer division: the rate is multiplied by
   * {@code gamma} every {@code everySteps} steps, as PyTorch's {@code StepLR}.
   */
  static LearningRateSchedule step(double base, int everySteps, double gamma) {
    Checks.nonNegative("learning rate", base);
    Checks.positive("everySteps", everySteps);
    Checks.nonNegative("gamma", gamma);
    return step -> {
      checkStep(step);
      return base * Math.pow(gamma, step / everySteps);
    };
  }

  /**
   * Cosine annealing from {@code base} at step 0 to {@code minLr} at step {@code totalSteps}:
   * {@code minLr + (base - minLr) * (1 + cos(pi * step / totalSteps)) / 2}, the closed form of
   * PyTorch's {@code CosineAnnealingLR} with {@code T_max = totalSteps}. After {@code totalSteps}
   * the rate stays at {@code minLr} (PyTorch's closed form would rise again, with period
   * {@code 2 * totalSteps}).
   */
  static LearningRateSchedule cosine(double base, int totalSteps, double minLr) {
    Checks.nonNegative("learning rate", base);
    Checks.positive("totalSteps", totalSteps);
    Checks.nonNegative("minimum learning rate", minLr);
    return step -> {
      checkStep(step);
      if (step >= totalSteps) {
        return minLr;
      }
      return minLr + (base - minLr) * (1 + Math.cos(Math.PI * step / totalSteps)) / 2;
    };
  }

  /**
   * This schedule multiplied by a linear warm-up factor {@code min(1, (step + 1) / warmupSteps)}: the
   * rate climbs from {@code at(0) / warmupSteps} at step 0 to the full rate at step
   * {@code warmupSteps - 1}, and is this schedule's from then on. The step is not shifted, so a
   * cosine schedule keeps its {@code totalSteps}; the first step never gets a rate of 0.
   */
  default LearningRateSchedule withLinearWarmup(int warmupSteps) {
    Checks.positive("warmupSteps", warmupSteps);
    return step -> {
      double lr = at(step);
      return step < warmupSteps ? lr * (step + 1) / warmupSteps : lr;
    };
  }

  private static void checkStep(int step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
  }
}
