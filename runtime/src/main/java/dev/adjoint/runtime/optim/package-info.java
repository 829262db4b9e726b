/**
 * Optimizers that train a generated model's parameters in place.
 *
 * <ul>
 *   <li>{@link dev.adjoint.runtime.optim.Optimizer}: {@link dev.adjoint.runtime.optim.Sgd} (with
 *       momentum and Nesterov), {@link dev.adjoint.runtime.optim.Adam},
 *       {@link dev.adjoint.runtime.optim.AdamW}; each built with a builder of named options whose
 *       defaults are PyTorch's.
 *   <li>{@link dev.adjoint.runtime.optim.GradientClipping}: global-norm clipping.
 *   <li>{@link dev.adjoint.runtime.optim.LearningRateSchedule}: constant, step, cosine, warm-up.
 * </ul>
 *
 * <p>Parameters are {@code f32} or {@code f64} tensors, updated through their {@code data()} arrays.
 * Optimizer state lives in {@code double[]} arrays allocated once, at construction, whatever the
 * parameter type; element math runs in double and an {@code f32} parameter is rounded once per
 * step. A step allocates nothing.
 */
package dev.adjoint.runtime.optim;
