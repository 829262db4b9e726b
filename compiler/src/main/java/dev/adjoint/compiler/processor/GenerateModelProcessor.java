package dev.adjoint.compiler.processor;

import com.google.auto.service.AutoService;
import dev.adjoint.compiler.Compilation;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.ModelTooLargeException;
import dev.adjoint.compiler.GeneratedSource;
import dev.adjoint.compiler.diag.Diagnostic;
import dev.adjoint.compiler.diag.Diagnostics;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.plan.CheckpointException;
import dev.adjoint.compiler.plan.CheckpointPolicy;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic.Kind;

/**
 * Adjoint's annotation processor: for every {@code @dev.adjoint.runtime.GenerateModel} it compiles the model
 * (a {@code file} found by {@link ModelResources}, or inline {@code source}) through {@link Compiler}, the
 * facade {@code adjoint compile} uses, and writes the classes with the annotated type as originating element.
 *
 * <p>Every problem is a javac error on the annotation (or on the offending value), with the model's
 * {@code file:line:col} in its text; all annotations are processed, so one build shows every error. Nothing is
 * thrown out of {@link #process}.
 */
@AutoService(Processor.class)
public final class GenerateModelProcessor extends AbstractProcessor {
    static final String ANNOTATION = "dev.adjoint.runtime.GenerateModel";
    static final String CONTAINER = ANNOTATION + ".List";
    private static final String JUNIT_TEST = "org.junit.jupiter.api.Test";

    /** Classes written so far in this compilation (over all rounds). */
    private final Set<String> written = new HashSet<>();
    /** Finds repeated annotations in javac's trees; null with another compiler. */
    private RepeatedAnnotations repeated;

    @Override
    public synchronized void init(ProcessingEnvironment env) {
        super.init(env);
        repeated = RepeatedAnnotations.of(env);
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        return Set.of(ANNOTATION, CONTAINER);
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        Set<Element> annotated = new LinkedHashSet<>();
        for (TypeElement a : annotations) {
            annotated.addAll(round.getElementsAnnotatedWith(a));
        }
        for (Element e : annotated) {
            try {
                if (e instanceof TypeElement type) {
                    requests(type).forEach(this::processOne);
                }
            } catch (RuntimeException | Error t) {
                processingEnv.getMessager().printMessage(Kind.ERROR,
                        "Adjoint: internal error while processing @GenerateModel: " + t, e);
            }
        }
        return true; // the annotations are Adjoint's alone: claimed, so -Xlint:processing has nothing to say
    }

    /** The {@code @GenerateModel} annotations on a type, the repeated ones unpacked from their container. */
    private List<ModelRequest> requests(TypeElement type) {
        List<ModelRequest> out = new ArrayList<>();
        for (AnnotationMirror m : type.getAnnotationMirrors()) {
            String name = ((TypeElement) m.getAnnotationType().asElement()).getQualifiedName().toString();
            if (name.equals(ANNOTATION)) {
                out.add(ModelRequest.read(type, m, -1, processingEnv.getElementUtils()));
            } else if (name.equals(CONTAINER)) {
                m.getElementValues().forEach((k, v) -> {
                    if (k.getSimpleName().contentEquals("value") && v.getValue() instanceof List<?> list) {
                        for (int i = 0; i < list.size(); i++) {
                            AnnotationMirror item = (AnnotationMirror) ((AnnotationValue) list.get(i)).getValue();
                            out.add(ModelRequest.read(type, item, i, processingEnv.getElementUtils()));
                        }
                    }
                });
            }
        }
        return out;
    }

    private void processOne(ModelRequest r) {
        try {
            SourceFile source = source(r);
            if (source == null) {
                return; // reported
            }
            String pkg = r.packageName().isEmpty()
                    ? processingEnv.getElementUtils().getPackageOf(r.type()).getQualifiedName().toString()
                    : r.packageName();
            if (!r.packageName().isEmpty() && !SourceVersion.isName(pkg)) {
                error("@GenerateModel: packageName '" + pkg + "' is not a valid Java package name", r,
                        "packageName");
                return;
            }
            if (r.gradientTest() && processingEnv.getElementUtils().getTypeElement(JUNIT_TEST) == null) {
                error("@GenerateModel: gradientTest = true generates a JUnit 5 test, but " + JUNIT_TEST
                        + " is not on the class path of this compilation; put the annotation on a type in test"
                        + " sources", r, "gradientTest");
                return;
            }
            if (!(r.gradientTolerance() >= 0) || Double.isInfinite(r.gradientTolerance())) {
                error("@GenerateModel: gradientTolerance " + r.gradientTolerance() + " must be a finite number >= 0",
                        r, "gradientTolerance");
                return;
            }
            if (!(r.gradientStep() > 0 && r.gradientStep() <= 0.1)) {
                error("@GenerateModel: gradientStep " + r.gradientStep() + " must be above 0 and at most 0.1", r,
                        "gradientStep");
                return;
            }
            Compiler.Options options = Compiler.Options.of(pkg).withGradientTests(r.gradientTest())
                    .withGradientTest(r.gradientTolerance(), r.gradientStep());
            try {
                options = options.withCheckpoint(CheckpointPolicy.parse(r.checkpoint()));
            } catch (IllegalArgumentException e) {
                error("@GenerateModel: " + e.getMessage().replace("--checkpoint ", "checkpoint "), r, "checkpoint");
                return;
            }
            try {
                options = options.withPlanDims(CheckpointPolicy.parseDims(r.planDims()));
            } catch (IllegalArgumentException e) {
                error("@GenerateModel: " + e.getMessage().replace("--plan-dims ", "planDims "), r, "planDims");
                return;
            }
            Compilation result = Compiler.compile(source, options);
            String at = r.file().isEmpty() ? "source" : "file";
            report(result.diagnostics(), r, at);
            if (result.ok()) {
                List<GeneratedSource> sources;
                try {
                    sources = result.sources();
                } catch (CheckpointException e) {
                    error("@GenerateModel: " + e.getMessage(), r, "checkpoint");
                    return;
                }
                write(sources, r);
            }
        } catch (ModelTooLargeException e) {
            Diagnostics d = new Diagnostics();
            d.add(e.diagnostic());
            report(d, r, r.file().isEmpty() ? "source" : "file");
        } catch (RuntimeException | Error t) {
            error("Adjoint: internal compiler error while generating " + describe(r) + ": " + t, r, null);
        }
    }

    /** The model source the annotation names, or null after reporting why there is none. */
    private SourceFile source(ModelRequest r) {
        boolean hasFile = !r.file().isEmpty();
        boolean hasSource = !r.source().isEmpty();
        if (hasFile == hasSource) {
            error(hasFile ? "@GenerateModel: give either file or source, not both"
                    : "@GenerateModel: give the model as file = \"name.model\" or as source = \"\"\"...\"\"\"", r, null);
            return null;
        }
        if (hasSource) {
            return new SourceFile(inlineName(r.type()), r.source());
        }
        String pkg = processingEnv.getElementUtils().getPackageOf(r.type()).getQualifiedName().toString();
        String name = ModelResources.resolve(r.file(), pkg);
        ModelResources.Found found = ModelResources.find(processingEnv.getFiler(), name);
        if (found == null) {
            error("@GenerateModel: model file '" + r.file() + "' not found: looked for " + name
                    + " in the class output (resources), the source path and the class path", r, "file");
            return null;
        }
        Diagnostics decoding = new Diagnostics();
        SourceFile decoded = SourceFile.decode(found.name(), found.bytes(), decoding);
        if (decoding.hasErrors()) {
            report(decoding, r, "file");
            return null;
        }
        return decoded;
    }

    /** How diagnostics name an inline model: {@code com/acme/Models.java (inline model in @GenerateModel)}. */
    static String inlineName(TypeElement type) {
        Element top = type;
        while (top.getEnclosingElement() instanceof TypeElement outer) {
            top = outer;
        }
        String qualified = ((TypeElement) top).getQualifiedName().toString();
        return qualified.replace('.', '/') + ".java (inline model in @GenerateModel)";
    }

    private static String describe(ModelRequest r) {
        return r.file().isEmpty() ? "the inline model" : "model file '" + r.file() + "'";
    }

    /** Each model diagnostic as a javac message on the annotation value, {@code file:line:col} in its text. */
    private void report(Diagnostics diagnostics, ModelRequest r, String at) {
        for (Diagnostic d : diagnostics.sorted()) {
            Kind kind = switch (d.severity()) {
                case ERROR -> Kind.ERROR;
                case WARNING -> Kind.WARNING;
                case NOTE -> Kind.NOTE;
            };
            message(kind, d.format().stripTrailing(), r, at);
        }
        if (diagnostics.truncated()) {
            message(Kind.NOTE, "too many errors in " + describe(r) + "; only the first " + Diagnostics.MAX_ERRORS
                    + " are shown", r, at);
        }
    }

    /** Writes the generated classes; with gradientTest, a model class already compiled elsewhere is kept. */
    private void write(List<GeneratedSource> sources, ModelRequest r) {
        for (GeneratedSource s : sources) {
            if (r.gradientTest() && !s.test() && !written.contains(s.qualifiedName())
                    && processingEnv.getElementUtils().getTypeElement(s.qualifiedName()) != null) {
                continue; // e.g. compiled from main sources; only its gradient test is generated here
            }
            if (!written.add(s.qualifiedName())) {
                error("@GenerateModel: class " + s.qualifiedName() + " is generated twice in this compilation"
                        + " (by two @GenerateModel naming the same model?)", r, null);
                continue;
            }
            try (Writer out = processingEnv.getFiler().createSourceFile(s.qualifiedName(), r.type()).openWriter()) {
                out.write(s.text());
            } catch (IOException e) {
                error("@GenerateModel: cannot write " + s.qualifiedName() + ": " + e.getMessage(), r, null);
            }
        }
    }

    private void error(String message, ModelRequest r, String value) {
        message(Kind.ERROR, message, r, value);
    }

    /** A message at the annotation, or at its element {@code value} (e.g. "file") where that is written. */
    private void message(Kind kind, String message, ModelRequest r, String value) {
        if (r.repeatIndex() >= 0 && repeated != null
                && repeated.report(kind, message, r.type(), ANNOTATION, r.repeatIndex(), value)) {
            return;
        }
        AnnotationValue at = value == null ? null : r.value(value);
        if (at == null) {
            processingEnv.getMessager().printMessage(kind, message, r.type(), r.mirror());
        } else {
            processingEnv.getMessager().printMessage(kind, message, r.type(), r.mirror(), at);
        }
    }
}
