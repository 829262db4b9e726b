package dev.adjoint.compiler.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.Compilation;
import dev.adjoint.compiler.CompiledModel;
import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.FloatTensor;
import dev.adjoint.runtime.GradientResult;
import dev.adjoint.runtime.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Any identifier the language accepts works as a model, param, input or value name, in particular every simple
 * class name the generated code refers to ({@code Math}, {@code List}, {@code MatMul}, {@code Workspace}...): for
 * each, a model of that name with an input of that name, a model with a param of that name and a model with a
 * value of that name are generated, compiled together with javac and run.
 */
class NameCollisionTest {
    /** java.lang types the generated code uses without an import, and the names of its own nested types. */
    private static final Set<String> ALWAYS = Set.of("Math", "Float", "Double", "Integer", "String", "Override",
            "UnsupportedOperationException", "Object", "Workspace", "Buffers");

    /** Every simple class name in the generated class of every sample model, plus {@link #ALWAYS}. */
    private static Set<String> namesTheGeneratedCodeUses() throws IOException {
        Set<String> names = new TreeSet<>(ALWAYS);
        Pattern imported = Pattern.compile("(?m)^import (?:static )?[\\w.]*\\.([A-Z]\\w*)(?:\\.\\w+)?;");
        try (var files = Files.list(Path.of("../samples/models"))) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Compilation c = Compiler.compile(new SourceFile(p.getFileName().toString(), Files.readString(p)),
                        Compiler.Options.of("p"));
                assertTrue(c.ok(), () -> c.diagnostics().format());
                for (CompiledModel m : c.models()) {
                    Matcher matcher = imported.matcher(m.javaSource());
                    while (matcher.find()) {
                        names.add(matcher.group(1));
                    }
                }
            }
        }
        return names;
    }

    private static String models(String n) {
        return """
                model %1$s {
                  dim B
                  input %1$s : f32[B, 3]
                  param p : f32[3] = ones
                  h = layer_norm(%1$s * p, p, p)
                  output o = softmax(h, axis=-1)
                  loss l = sum(h * h)
                }
                model P_%1$s {
                  dim B
                  input x : f32[B, 3]
                  param %1$s : f32[3] = ones
                  output y = tanh(x @ transpose(reshape(concat([%1$s, %1$s], axis=0), [2, 3]), [1, 0]))
                  loss l = sum(y * y)
                }
                model V_%1$s {
                  dim B
                  input x : f32[B, 3]
                  param p : f32[3, 3] = glorot_uniform
                  %1$s = relu(x @ p)
                  output %1$s = %1$s[:, 1:]
                  loss = max(sum(%1$s, axis=1), axis=0) + logsumexp(%1$s)
                }
                """.formatted(n);
    }

    @Test
    void everyNameTheGeneratedCodeUsesWorksForModelsParamsInputsAndValues() throws IOException {
        Set<String> names = namesTheGeneratedCodeUses();
        assertTrue(names.contains("MatMul") && names.contains("Initializer") && names.contains("List"), names.toString());
        Map<String, String> units = new LinkedHashMap<>();
        Map<String, CompiledModel> models = new LinkedHashMap<>();
        int k = 0;
        for (String n : names) {
            Compilation whole = Compiler.compile(new SourceFile(n + ".model", models(n)), Compiler.Options.of("p"));
            assertTrue(whole.ok(), () -> n + ":\n" + whole.diagnostics().format());
            for (CompiledModel m : whole.models()) {
                // each class in a package of its own: a class named Override would shadow java.lang.Override
                // for the other classes of its package (see docs/language-notes.md)
                String pkg = "gen.names.n" + k++;
                CompiledModel own = Compiler.compile(new SourceFile(n + ".model", models(n)), Compiler.Options.of(pkg))
                        .model(m.name());
                units.put(own.qualifiedClassName(), own.javaSource());
                models.put(own.qualifiedClassName(), own);
            }
        }
        Map<String, byte[]> classes;
        try {
            classes = new InMemoryCompiler("-Xlint:all", "-Werror").compile(units, InMemoryCompiler.runtimeClassPath());
        } catch (InMemoryCompiler.CompilationException e) {
            throw new AssertionError(e.getMessage(), e);
        }
        ClassLoader loader = InMemoryCompiler.loader(classes, getClass().getClassLoader());
        for (String qualified : models.keySet()) {
            AdjointModel model;
            try {
                model = (AdjointModel) loader.loadClass(qualified).getConstructor(long.class).newInstance(1L);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(qualified, e);
            }
            String input = model.inputs().get(0).name();
            Map<String, Tensor> in = Map.of(input, FloatTensor.wrap(new float[] {0.1f, 0.2f, 0.3f, -0.4f, 0.5f, 0.6f},
                    2, 3));
            GradientResult r = model.gradient(in);
            assertTrue(Double.isFinite(r.loss()), qualified);
            assertEquals(model.parameters().keySet(), r.gradients().keySet(), qualified);
        }
    }
}
