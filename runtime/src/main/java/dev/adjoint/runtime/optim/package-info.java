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
 * Optimizer state lives in arrays of the parameter's precision allocated once, at construction; the
 * update of a parameter is one fused loop in that precision ({@code float} for {@code f32}, as
 * PyTorch updates a {@code float32} tensor), which the JIT vectorizes. The loops are written once,
 * for {@code f32}, and their {@code f64} twins generated (see {@link dev.adjoint.runtime}). A step
 * allocates nothing (a gradient of the other precision is converted into a buffer made on first use).
 */
package dev.adjoint.runtime.optim;
