package dev.adjoint.runtime.train;

/**
 * One optimizer step, given to {@link TrainingListener#onStep}.
 *
 * <p>{@code gradientNorms} is aligned with {@link TrainingPlan#parameters()} and is a reused array:
 * copy it to keep it. Norms are L2 norms of each parameter's gradient, and {@code globalNorm} the L2
 * norm of all of them together, all measured <em>before</em> clipping; a parameter without a
 * gradient counts as 0.
 *
 * @param step the global step, counting from 1
 * @param epoch the epoch, counting from 1
 * @param loss the training loss of this step's batch, before the update
 * @param learningRate the learning rate this step's update used
 * @param gradientNorms each parameter's gradient norm (reused array)
 * @param globalNorm the norm of all parameter gradients together
 */
public record StepReport(long step, int epoch, double loss, double learningRate,
    double[] gradientNorms, double globalNorm) {}
