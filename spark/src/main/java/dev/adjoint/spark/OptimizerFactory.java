package dev.adjoint.spark;

import dev.adjoint.runtime.Tensor;
import dev.adjoint.runtime.optim.Optimizer;
import java.io.Serializable;
import java.util.Map;

/**
 * Builds an optimizer for a model's parameters on an executor, for training with local steps
 * ({@link SparkTrainer.Builder#localSteps}); a lambda, serialized with the tasks:
 *
 * <pre>{@code
 * .localSteps(params -> Adam.builder(params).learningRate(1e-2).build())
 * }</pre>
 */
@FunctionalInterface
public interface OptimizerFactory extends Serializable {

  /** A new optimizer for {@code parameters} (the executor's model instance's). */
  Optimizer create(Map<String, Tensor> parameters);
}
