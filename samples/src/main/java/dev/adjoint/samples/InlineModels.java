package dev.adjoint.samples;

import dev.adjoint.runtime.GenerateModel;

/**
 * A model written inline in Java: while javac compiles this class, Adjoint's annotation processor (named in
 * {@code annotationProcessorPaths} of samples/pom.xml) generates {@code dev.adjoint.samples.LineFit} from the
 * text below. The models in {@code samples/models/} go through the Maven plugin instead.
 */
@GenerateModel(source = """
        // Least squares for a line y = w x + b.
        model LineFit {
          dim B

          input x : f64[B]
          input y : f64[B]
          param w : f64[] = zeros
          param b : f64[] = zeros

          output pred = w * x + b
          loss   mse  = mean((pred - y)^2)
        }
        """)
final class InlineModels {
    private InlineModels() {
    }
}
