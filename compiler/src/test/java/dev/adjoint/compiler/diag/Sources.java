package dev.adjoint.compiler.diag;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.adjoint.compiler.FrontEnd;
import dev.adjoint.compiler.elab.ModelGraph;
import java.util.List;

/** Front-end test fixtures: analyze a model source, pick out its errors, assert where they are and what they say. */
public final class Sources {
    /** The file name every test source gets, as it appears in formatted diagnostics. */
    public static final String FILE = "t.model";

    private Sources() {
    }

    public static FrontEnd.Result analyze(String text) {
        return FrontEnd.analyze(new SourceFile(FILE, text));
    }

    /** The models of a source that must have no errors. */
    public static List<ModelGraph> models(String text) {
        FrontEnd.Result r = analyze(text);
        if (!r.ok()) {
            fail("expected no errors, got:\n" + r.diagnostics().format());
        }
        return r.models();
    }

    /** The only model of a source that must have no errors. */
    public static ModelGraph model(String text) {
        List<ModelGraph> models = models(text);
        assertEquals(1, models.size());
        return models.get(0);
    }

    /** Every error of a source, in order of position. */
    public static List<Diagnostic> errors(String text) {
        FrontEnd.Result r = analyze(text);
        assertTrue(r.models().isEmpty(), "a model with errors must produce no graph");
        return r.diagnostics().sorted();
    }

    /** The single error of a source. */
    public static Diagnostic onlyError(String text) {
        FrontEnd.Result r = analyze(text);
        List<Diagnostic> all = r.diagnostics().sorted();
        assertEquals(1, all.size(), () -> "expected exactly one error, got:\n" + r.diagnostics().format());
        return all.get(0);
    }

    /** Asserts an error's 1-based line and column, and that its message contains every one of {@code words}. */
    public static void assertError(Diagnostic d, int line, int column, String... words) {
        assertTrue(d.isError(), d::header);
        assertEquals(FILE + ":" + line + ":" + column, d.span().where(), d::header);
        for (String w : words) {
            assertTrue(d.message().contains(w), () -> "'" + w + "' is not in: " + d.header());
        }
    }

    /** The check-style detail of the last value bound to {@code name}, e.g. {@code ": f32[B, 32]"}. */
    public static String detail(ModelGraph m, String name) {
        String found = null;
        for (ModelGraph.Binding b : m.bindings()) {
            if (b.name().equals(name)) {
                found = b.detail();
            }
        }
        if (found == null) {
            fail("no value named " + name + " in model " + m.name());
        }
        return found;
    }

    /** The type of the last value bound to {@code name}, as written: {@code f32[B, 32]}. */
    public static String type(ModelGraph m, String name) {
        String d = detail(m, name);
        assertTrue(d.startsWith(": "), () -> name + " is not a tensor: " + d);
        return d.substring(2);
    }
}
