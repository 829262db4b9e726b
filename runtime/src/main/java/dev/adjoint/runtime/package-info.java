/**
 * The Adjoint runtime: what generated model classes call. It depends on nothing but the JDK.
 *
 * <h2>Pieces</h2>
 *
 * <ul>
 *   <li>Values: {@link dev.adjoint.runtime.Tensor} ({@link dev.adjoint.runtime.FloatTensor},
 *       {@link dev.adjoint.runtime.DoubleTensor}, {@link dev.adjoint.runtime.IntTensor}) and
 *       {@link dev.adjoint.runtime.Shapes}.
 *   <li>Parameters: {@link dev.adjoint.runtime.Initializer} drawing from
 *       {@link dev.adjoint.runtime.SeededRandom}, bit-identical on every machine;
 *       {@link dev.adjoint.runtime.ParameterSet}.
 *   <li>Kernels: {@link dev.adjoint.runtime.MatMul}, {@link dev.adjoint.runtime.Broadcast},
 *       {@link dev.adjoint.runtime.Reductions} and {@link dev.adjoint.runtime.ReductionGrads},
 *       {@link dev.adjoint.runtime.Softmax}, {@link dev.adjoint.runtime.CrossEntropy},
 *       {@link dev.adjoint.runtime.Transpose}, {@link dev.adjoint.runtime.Slices},
 *       {@link dev.adjoint.runtime.Concat}, {@link dev.adjoint.runtime.LayerNorm},
 *       {@link dev.adjoint.runtime.BatchNorm}, {@link dev.adjoint.runtime.Activations};
 *       {@link dev.adjoint.runtime.FastMath} ({@code exp}, {@code log}, {@code tanh}, {@code sigmoid}
 *       for fused loops) and {@link dev.adjoint.runtime.ArrayMath} (the same over arrays).
 *   <li>Which kernel implementation runs (the Vector API one or the scalar one) and on how many
 *       threads: {@link dev.adjoint.runtime.Kernels}.
 *   <li>Calls: {@link dev.adjoint.runtime.AdjointModel} with
 *       {@link dev.adjoint.runtime.ForwardResult} and {@link dev.adjoint.runtime.GradientResult};
 *       input checking with {@link dev.adjoint.runtime.InputSpec},
 *       {@link dev.adjoint.runtime.Dim} and {@link dev.adjoint.runtime.DimBindings}.
 * </ul>
 *
 * <h2>Kernel conventions</h2>
 *
 * <ul>
 *   <li>Kernels work on whole flat row-major arrays ({@code float[]} for {@code f32},
 *       {@code double[]} for {@code f64}; every kernel has both) and take shapes as {@code int[]}.
 *   <li>Axes are non-negative: the compiler resolves {@code axis=-1} before it emits a call.
 *   <li>The caller provides every output array. Outputs are overwritten, unless a method takes
 *       {@code accumulate} and it is true, in which case results are added to the output. Outputs
 *       must not share storage with inputs.
 *   <li>Kernels validate array lengths against shapes and throw {@link java.lang.IllegalArgumentException}
 *       with the operation's name; they allocate nothing on success.
 *   <li>Float kernels do transcendental math in double and round once, except
 *       {@link dev.adjoint.runtime.FastMath} and {@link dev.adjoint.runtime.ArrayMath}, which compute
 *       in the element type within documented error bounds; scalar accumulations (row sums,
 *       statistics, dot products of softmax backward) run in double. Matrix products accumulate in
 *       the element type, like BLAS, as one chain of fused multiply-adds in ascending {@code k} per
 *       entry, so they are bit-identical across kernel implementations and thread counts.
 *   <li>Reshape is free: a row-major tensor's data is the same under any shape of the same size.
 * </ul>
 *
 * <h2>One source per kernel: the twins</h2>
 *
 * <p>Kernels that exist for {@code float[]} and {@code double[]} (and some for {@code int[]}) are
 * written once, for {@code float}, in {@code runtime/src/main/templates/} (same package layout). In
 * {@code generate-sources}, Maven runs {@code runtime/src/build/GenerateTwins.java} as a single-file
 * Java program (exec-maven-plugin; it needs nothing but the JDK and works offline), which writes the
 * sources to {@code target/generated-sources/twins}: a region between the comment lines
 * {@code // twin: double} and {@code // end twin} is written as it is and again with
 * {@code float → double}, {@code Float → Double}, {@code f32 → f64}, {@code F32 → F64} and float
 * literals made double; {@code // twin file: double int} twins a whole file under the substituted
 * name ({@code FloatTensor} gives {@code DoubleTensor} and {@code IntTensor}). The generated files
 * are not in git; edit the template. Code whose {@code f64} form is not a substitution (the
 * polynomials of {@link dev.adjoint.runtime.FastMath}) is written out for both types.
 */
package dev.adjoint.runtime;
