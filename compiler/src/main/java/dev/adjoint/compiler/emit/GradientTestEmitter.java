package dev.adjoint.compiler.emit;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeSpec;
import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.runtime.check.GradientCheck;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * Emits the gradient test of a model: a JUnit 5 class {@code FooGradientTest} that checks the gradient of
 * model class {@code Foo} against central finite differences with {@link GradientCheck} at a few seeded random
 * points, through the model's f64 twin {@code FooF64Twin} (the same model with f32 read as f64, emitted by
 * {@link JavaEmitter} under that class name), or through {@code Foo} itself when the model is all f64. The compiler writes in the constants it knows: the size of each
 * symbolic dim and the class count of each label input. The test depends only on adjoint-runtime and
 * junit-jupiter-api.
 */
public final class GradientTestEmitter {
    /** The seeds of the checked points, one test method each. */
    static final long[] SEEDS = {1, 2, 3};

    private static final ClassName TEST = ClassName.get("org.junit.jupiter.api", "Test");
    private static final ClassName ASSERTIONS = ClassName.get("org.junit.jupiter.api", "Assertions");
    private static final ClassName CHECK = ClassName.get(GradientCheck.class);
    private static final ClassName RESULT = CHECK.nestedClass("Result");
    private static final ClassName ERROR = CHECK.nestedClass("GradientError");
    private static final ParameterizedTypeName STRING_INT_MAP =
            ParameterizedTypeName.get(Map.class, String.class, Integer.class);

    private GradientTestEmitter() {
    }

    /** The class name of the f64 twin of {@code m}'s class: {@code FooF64Twin}. */
    public static String twinClassName(ModelGraph m) {
        return JavaEmitter.className(m.name()) + "F64Twin";
    }

    /** The class name of the gradient test of {@code m}'s class: {@code FooGradientTest}. */
    public static String testClassName(ModelGraph m) {
        return JavaEmitter.className(m.name()) + "GradientTest";
    }

    /**
     * Whether checking {@code m} needs its f64 twin: true if anything in it is f32. An all-f64 model is its own
     * twin, and its test checks the model class itself.
     */
    public static boolean needsTwin(ModelGraph m) {
        return m.nodes().stream().anyMatch(n -> n.dtype() == DType.F32);
    }

    /**
     * The gradient test of a model with a loss.
     *
     * @param checked the graph whose class the test runs: the model's f64 twin, or the model itself when it
     *     needs no twin; its names are the model's own
     * @param checkedClass the simple name of that class ({@link #twinClassName} or the model's class name)
     * @throws IllegalArgumentException if the model has no loss, or {@code checked} is not all-f64
     */
    public static JavaFile emit(ModelGraph checked, String packageName, String checkedClass) {
        return emit(checked, packageName, checkedClass, GradientCheck.DEFAULT_TOLERANCE, GradientCheck.STEP);
    }

    /**
     * As {@link #emit(ModelGraph, String, String)}, with the test's tolerance (largest accepted relative error)
     * and the first central difference's step (relative to {@code max(1, |x|)}) written in as constants.
     */
    public static JavaFile emit(ModelGraph checked, String packageName, String checkedClass, double tolerance,
            double step) {
        if (!checked.hasLoss()) {
            throw new IllegalArgumentException("model " + checked.name() + " has no loss, so it has no gradient test");
        }
        if (needsTwin(checked)) {
            throw new IllegalArgumentException("model " + checked.name() + " has f32 values: test its f64 twin");
        }
        ClassName checkedType = ClassName.get(packageName, checkedClass);
        String where = checked.span() == null ? ""
                : " (" + checked.span().file().name() + ":" + checked.span().line() + ")";
        CodeBlock through = checkedClass.equals(JavaEmitter.className(checked.name()))
                ? CodeBlock.of("{@link $T} itself (the model is f64 already).\n", checkedType)
                : CodeBlock.of("its f64 twin {@link $T} (f32 read as f64, so that the comparison measures the"
                        + " gradient code,\nnot float rounding).\n", checkedType);
        TypeSpec.Builder type = TypeSpec.classBuilder(testClassName(checked))
                .addAnnotation(AnnotationSpec.builder(ClassName.get("javax.annotation.processing", "Generated"))
                        .addMember("value", "$S", "dev.adjoint").build())
                .addJavadoc("Generated by Adjoint: checks the gradient of model $L$L\nagainst central finite"
                        + " differences at seeded random points, through\n$L", checked.name(), where, through)
                .addField(constant("DIMS", "Sizes of the symbolic dims at the checked points.",
                        dimSizes(checked)))
                .addField(constant("CLASS_COUNTS", "Label inputs: their labels are drawn in [0, count).",
                        checked.labelClassCounts()))
                .addField(FieldSpec.builder(double.class, "TOLERANCE", Modifier.PRIVATE, Modifier.STATIC,
                                Modifier.FINAL)
                        .addJavadoc("Largest accepted relative error of a checked gradient element.\n")
                        .initializer("$L", tolerance).build())
                .addField(FieldSpec.builder(double.class, "STEP", Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                        .addJavadoc("Step of the central differences, relative to max(1, |x|).\n")
                        .initializer("$L", step).build());
        for (long seed : SEEDS) {
            type.addMethod(MethodSpec.methodBuilder("gradientMatchesFiniteDifferencesAtSeed" + seed)
                    .addAnnotation(TEST).addStatement("check($LL)", seed).build());
        }
        type.addMethod(checkMethod(checked, checkedType));
        type.addMethod(MethodSpec.methodBuilder("assertWithinTolerance")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addParameter(RESULT, "result").addParameter(String.class, "name")
                .beginControlFlow("if (result.unchecked().contains(name))")
                .addComment("a model with more gradients than the check's budget: a seeded sample is checked")
                .addStatement("return")
                .endControlFlow()
                .addStatement("$T g = result.gradient(name)", ERROR)
                .addStatement("$T.assertTrue(g.within(TOLERANCE),\n() -> \"gradient of \" + g.describe()"
                        + " + \" at the point of seed \" + result.seed()\n+ \": above the tolerance \" + TOLERANCE)",
                        ASSERTIONS)
                .build());
        return JavaFile.builder(packageName, type.build()).skipJavaLangImports(true).indent("    ")
                .addStaticImport(ASSERTIONS, "assertAll", "assertTrue").build();
    }

    /** Draws the point, checks that the loss is finite there, then asserts every gradient (all reported). */
    private static MethodSpec checkMethod(ModelGraph checked, ClassName checkedType) {
        List<String> wrt = new ArrayList<>();
        checked.params().forEach(p -> wrt.add(p.name()));
        checked.inputs().stream().filter(Graph.Input::grad).forEach(in -> wrt.add(in.name()));
        CodeBlock.Builder asserts = CodeBlock.builder();
        for (int i = 0; i < wrt.size(); i++) {
            asserts.add(i == 0 ? "" : ",\n").add("() -> assertWithinTolerance(result, $S)", wrt.get(i));
        }
        return MethodSpec.methodBuilder("check").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .addParameter(long.class, "seed")
                .addStatement("$T result = $T.run(new $T(seed),\n$T.seeded(seed).withDims(DIMS)"
                        + ".withClassCounts(CLASS_COUNTS).withStep(STEP))", RESULT, CHECK, checkedType,
                        CHECK.nestedClass("Options"))
                .addStatement("$T.assertTrue(result.lossFinite(), () -> \"the loss is \" + result.loss()"
                        + " + \" at the point of seed \" + seed)", ASSERTIONS)
                .addCode(wrt.isEmpty() ? CodeBlock.of("// no param and no input grad: no gradient to compare\n")
                        : CodeBlock.builder().addStatement("$T.assertAll(\n$L)", ASSERTIONS, asserts.build())
                                .build())
                .build();
    }

    private static FieldSpec constant(String name, String doc, Map<String, Integer> values) {
        CodeBlock.Builder init = CodeBlock.builder();
        if (values.size() <= 10) {
            init.add("$T.of(", Map.class);
            String sep = "";
            for (Map.Entry<String, Integer> e : values.entrySet()) {
                init.add("$L$S, $L", sep, e.getKey(), e.getValue());
                sep = ", ";
            }
            init.add(")");
        } else {
            init.add("$T.ofEntries(", Map.class);
            String sep = "";
            for (Map.Entry<String, Integer> e : values.entrySet()) {
                init.add("$L\n$>$>$T.entry($S, $L)$<$<", sep, Map.class, e.getKey(), e.getValue());
                sep = ",";
            }
            init.add(")");
        }
        return FieldSpec.builder(STRING_INT_MAP, name, Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc(doc + "\n").initializer(init.build()).build();
    }

    /** Every symbolic dim of the model, at {@link GradientCheck#DEFAULT_DIM}, in declaration order. */
    private static Map<String, Integer> dimSizes(ModelGraph m) {
        Map<String, Integer> sizes = new LinkedHashMap<>();
        m.dims().forEach(d -> sizes.put(d, GradientCheck.DEFAULT_DIM));
        return sizes;
    }
}
