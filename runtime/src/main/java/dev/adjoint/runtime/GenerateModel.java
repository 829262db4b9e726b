package dev.adjoint.runtime;

import java.lang.annotation.Documented;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Generates model classes while javac compiles the annotated type: Adjoint's annotation processor
 * ({@code adjoint-compiler} on the annotation processor path) compiles the model and writes one
 * class per model, exactly as {@code adjoint compile} would.
 *
 * <p>Give exactly one of {@link #file} and {@link #source}:
 *
 * <pre>{@code
 * @GenerateModel(file = "digits.model")   // com/acme/digits.model in resources or sources
 * @GenerateModel(source = """
 *     model Square {
 *       input grad x : f64[3]
 *       loss l = sum(x ^ 2)
 *     }
 *     """)
 * final class Models {}
 * }</pre>
 *
 * <p>Errors in a model fail the compilation: each is reported on the annotation with {@code
 * file:line:col} in its text. For an inline {@link #source}, the line and column count from the
 * first line of the text block.
 *
 * <p>The annotation is kept in source only; generated code does not depend on it.
 */
@Documented
@Retention(RetentionPolicy.SOURCE)
@Target(java.lang.annotation.ElementType.TYPE)
@Repeatable(GenerateModel.List.class)
public @interface GenerateModel {

  /**
   * A {@code .model} file, searched in the class output (resources already copied there, e.g.
   * {@code src/main/resources}), then the source path ({@code src/main/java}), then the class
   * path. Relative to the annotated type's package, unless it starts with {@code /}, which makes
   * it relative to the root ({@code "/models/digits.model"}).
   */
  String file() default "";

  /** The model text itself, typically a text block. */
  String source() default "";

  /** The package of the generated classes; by default the annotated type's package. */
  String packageName() default "";

  /**
   * Also generate, for every model with a loss, a JUnit 5 test {@code FooGradientTest} that checks
   * the gradient against central finite differences with {@link
   * dev.adjoint.runtime.check.GradientCheck}, through the model's f64 twin {@code FooF64Twin} (the
   * model with f32 read as f64; an all-f64 model is checked through its own class). The
   * compilation needs junit-jupiter-api on its class path, so use it on a type in test sources;
   * there, a model class already compiled from main sources is not generated again.
   */
  boolean gradientTest() default false;

  /**
   * Which forward values the generated gradient keeps and which it recomputes in the backward pass:
   * {@code "none"} (keep all), {@code "sqrt"}, or {@code "budget:SIZE"} (such as {@code
   * "budget:64MB"}, for {@link #planDims}), as {@code adjoint compile --checkpoint}. Gradients are
   * the same under every policy.
   */
  String checkpoint() default "none";

  /** The dims memory is planned for ({@code "B=64"}), as {@code adjoint compile --plan-dims}. */
  String planDims() default "";

  /**
   * The largest relative error the generated gradient test accepts (with {@link #gradientTest});
   * by default {@link dev.adjoint.runtime.check.GradientCheck#DEFAULT_TOLERANCE}, 1e-5. Raise it
   * for a model whose gradients finite differences cannot resolve that well; the test's failure
   * message shows the accuracy the differences achieved.
   */
  double gradientTolerance() default 1e-5;

  /**
   * The step of the generated gradient test's central differences, relative to {@code max(1,
   * |x|)}, in (0, 0.1] (with {@link #gradientTest}); by default {@link
   * dev.adjoint.runtime.check.GradientCheck#STEP}, 6e-6.
   */
  double gradientStep() default 6e-6;

  /** Holds several {@link GenerateModel} annotations on one type. */
  @Documented
  @Retention(RetentionPolicy.SOURCE)
  @Target(java.lang.annotation.ElementType.TYPE)
  @interface List {
    /** The annotations. */
    GenerateModel[] value();
  }
}
