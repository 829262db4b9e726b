package dev.adjoint.compiler.processor;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;

/** Runs a processor with a Filer that records every created source file and its originating elements. */
final class RecordingFiler {
    private RecordingFiler() {
    }

    /** What was created: {@code name <- originating, ...}. */
    static final class Log {
        private final List<String> created = new ArrayList<>();

        List<String> created() {
            return List.copyOf(created);
        }
    }

    static Processor wrap(Processor processor, Log log) {
        return new AbstractProcessor() {
            @Override
            public synchronized void init(ProcessingEnvironment env) {
                super.init(env);
                processor.init(proxy(ProcessingEnvironment.class, env, (method, args) ->
                        method.getName().equals("getFiler") ? proxy(Filer.class, env.getFiler(), (m, a) -> {
                            if (m.getName().equals("createSourceFile")) {
                                List<String> origins = new ArrayList<>();
                                for (Element e : (Element[]) a[1]) {
                                    origins.add(((TypeElement) e).getQualifiedName().toString());
                                }
                                log.created.add(a[0] + " <- " + String.join(", ", origins));
                            }
                            return null;
                        }) : null));
            }

            @Override
            public Set<String> getSupportedAnnotationTypes() {
                return processor.getSupportedAnnotationTypes();
            }

            @Override
            public SourceVersion getSupportedSourceVersion() {
                return processor.getSupportedSourceVersion();
            }

            @Override
            public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
                return processor.process(annotations, round);
            }
        };
    }

    /** Calls of the hook before delegating; a non-null hook result replaces the delegate's. */
    interface Hook {
        Object before(java.lang.reflect.Method method, Object[] args);
    }

    private static <T> T proxy(Class<T> type, T delegate, Hook hook) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, method, args) -> {
            Object replaced = hook.before(method, args);
            if (replaced != null) {
                return replaced;
            }
            try {
                return method.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }));
    }
}
