package dev.adjoint.compiler.processor;

import dev.adjoint.runtime.check.GradientCheck;
import java.util.HashMap;
import java.util.Map;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/**
 * One {@code @GenerateModel} on one type, as the processor reads it: the values, and where each was written
 * (an explicitly written value, for pointing errors at it; null when the element was left at its default).
 * {@code repeatIndex} is the annotation's place among repeated ones on the type, or -1 when it is not repeated.
 */
record ModelRequest(TypeElement type, AnnotationMirror mirror, int repeatIndex, String file, String source,
        String packageName, boolean gradientTest, String checkpoint, String planDims, double gradientTolerance,
        double gradientStep,
        Map<String, AnnotationValue> written) {

    /** Reads the values of {@code mirror} (a {@code GenerateModel}) on {@code type}. */
    static ModelRequest read(TypeElement type, AnnotationMirror mirror, int repeatIndex, Elements elements) {
        Map<String, AnnotationValue> written = new HashMap<>();
        mirror.getElementValues().forEach((k, v) -> written.put(k.getSimpleName().toString(), v));
        Map<String, Object> values = new HashMap<>();
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e
                : elements.getElementValuesWithDefaults(mirror).entrySet()) {
            values.put(e.getKey().getSimpleName().toString(), e.getValue().getValue());
        }
        return new ModelRequest(type, mirror, repeatIndex, string(values.get("file")), string(values.get("source")),
                string(values.get("packageName")), Boolean.TRUE.equals(values.get("gradientTest")),
                values.get("checkpoint") instanceof String c ? c : "none", string(values.get("planDims")),
                number(values.get("gradientTolerance"), GradientCheck.DEFAULT_TOLERANCE),
                number(values.get("gradientStep"), GradientCheck.STEP), written);
    }

    private static double number(Object value, double otherwise) {
        return value instanceof Number n ? n.doubleValue() : otherwise;
    }

    private static String string(Object value) {
        return value instanceof String s ? s : "";
    }

    /** The written value of element {@code name}, or null (errors then point at the whole annotation). */
    AnnotationValue value(String name) {
        return written.get(name);
    }
}
