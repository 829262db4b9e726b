package dev.adjoint.compiler.emit;

import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.adjoint.compiler.diag.Span;
import dev.adjoint.compiler.ir.DType;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Graph;
import dev.adjoint.compiler.ir.InitSpec;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ops.ConstantOp;
import dev.adjoint.compiler.ops.InputOp;
import dev.adjoint.compiler.ops.ParamOp;
import dev.adjoint.compiler.opt.Simplify;
import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.DimBindings;
import dev.adjoint.runtime.ForwardResult;
import dev.adjoint.runtime.GradientResult;
import dev.adjoint.runtime.InputSpec;
import dev.adjoint.runtime.ParameterSet;
import dev.adjoint.runtime.Tensor;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.Modifier;

/**
 * Emits one Java class per model, implementing {@link AdjointModel}, from the model's final graph: the forward
 * pass (what the outputs and the loss need) and, for a graph with gradients, the backward pass (the rest of
 * what the gradients need), one statement (or one simple loop) per graph node in schedule order, split into
 * private chunk methods so no method approaches the JVM's size limits.
 *
 * <p>Any identifier the language accepts works as a model, param, input or value name: a type the generated
 * code refers to is written fully qualified where a field, parameter or local of the class has its simple
 * name, and the nested workspace class is renamed when the model is called {@code Workspace}.
 */
public final class JavaEmitter {
    /** Nodes per chunk method: keeps every method far below 8000 bytes of bytecode. */
    static final int CHUNK = 24;
    /** Locals and parameters of the generated methods (besides the typed entry points' input parameters). */
    private static final List<String> LOCALS = List.of("w", "inputs", "dims", "out", "grads", "seed", "name",
            "value", "i");

    private final Graph g;
    private final String packageName;
    private final ClassName self;
    private final ClassName workspace;
    /** Fields of the model class; never a name that a generated method uses for a local or parameter. */
    private final Names fieldNames = new Names(fieldReserved());
    /** Methods of the model class: parameter accessors and chunk methods. */
    private final Names methodNames = new Names("name", "inputs", "parameters", "setParameter",
            "initParameters", "hasLoss", "forward", "gradient", "bind", "outputs", "runForward", "runBackward",
            "equals", "hashCode", "toString", "getClass", "notify", "notifyAll", "wait", "clone", "finalize");
    /** Every simple name a field, parameter or local of the class may have: types with these names are qualified. */
    private final Set<String> variableNames = new TreeSet<>(LOCALS);
    private final Map<Graph.Param, String> paramFields = new LinkedHashMap<>();
    private final Map<Graph.Input, String> specFields = new LinkedHashMap<>();
    private final Set<Node> inlined = Collections.newSetFromMap(new IdentityHashMap<>());
    private final TypeSpec.Builder type;
    private final TypeSpec.Builder ws;
    private ValueNames names;
    private Lowering lowering;

    private static String[] fieldReserved() {
        List<String> r = new ArrayList<>(LOCALS);
        r.add("params");
        return r.toArray(new String[0]);
    }

    private JavaEmitter(Graph g, String packageName, String className) {
        this.g = g;
        this.packageName = packageName;
        this.self = ClassName.get(packageName, className);
        this.workspace = self.nestedClass(className.equals("Workspace") ? "Buffers" : "Workspace");
        this.type = TypeSpec.classBuilder(self).addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addSuperinterface(AdjointModel.class)
                .addAnnotation(AnnotationSpec.builder(ClassName.get("javax.annotation.processing", "Generated"))
                        .addMember("value", "$S", "dev.adjoint").build());
        this.ws = TypeSpec.classBuilder(workspace).addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The buffers of one call, allocated per call for now (workspace reuse is a later"
                        + " optimizer issue).\n");
    }

    /** The Java file for the model's final graph {@code g}. */
    public static JavaFile emit(Graph g, String packageName) {
        return emit(g, packageName, className(g.model()));
    }

    /**
     * The Java file for {@code g}, with the class called {@code className} instead of {@link #className} (the
     * f64 twin a generated gradient test checks, for example). {@link AdjointModel#name()} stays the model's.
     */
    public static JavaFile emit(Graph g, String packageName, String className) {
        return new JavaEmitter(g, packageName, className).build();
    }

    /** The simple name of the class emitted for the model {@code model}: its name, made a valid Java identifier. */
    public static String className(String model) {
        return Names.sanitize(model);
    }

    private JavaFile build() {
        type.addJavadoc("Generated by Adjoint from model $L$L.\n", g.model(),
                g.span() == null ? "" : " (" + g.span().file().name() + ":" + g.span().line() + ")");
        addRewrites();
        nameParams();
        names = new ValueNames(g, paramFields, "w");
        lowering = new Lowering(names);
        BitSet forwardSet = needed(g.forwardRoots());
        findInlinedConstants(needed(g.roots()), g.roots());
        declareStorage();
        type.addMethod(bindMethod().build());
        type.addMethod(MethodSpec.methodBuilder("runForward").addModifiers(Modifier.PRIVATE)
                .addParameter(workspace, "w").addCode(chunks("forward", steps(forwardSet))).build());
        type.addMethod(forwardMap());
        addTypedEntry("forward", ForwardResult.class);
        if (g.hasLoss()) {
            BitSet backward = needed(g.roots());
            backward.andNot(forwardSet);
            type.addMethod(MethodSpec.methodBuilder("runBackward").addModifiers(Modifier.PRIVATE)
                    .addParameter(workspace, "w").addCode(chunks("backward", steps(backward))).build());
            type.addMethod(gradientMap());
            addTypedEntry("gradient", GradientResult.class);
        } else {
            type.addMethod(MethodSpec.methodBuilder("gradient").addAnnotation(Override.class)
                    .addModifiers(Modifier.PUBLIC).returns(GradientResult.class).addParameter(inputMap(), "inputs")
                    .addStatement("throw new $T($S)", UnsupportedOperationException.class,
                            "model " + g.model() + " has no loss, so it has no gradient")
                    .build());
        }
        type.addType(ws.build());
        type.alwaysQualify(variableNames.toArray(new String[0]));
        return JavaFile.builder(packageName, type.build()).skipJavaLangImports(true).indent("    ").build();
    }

    /**
     * The optimizer's audit trail in the class comment: every rewrite that fired, with how many times, and which of
     * them keep values finite where the formula as written would not. ASCII only (javac on JDK 17 reads sources in
     * the platform's encoding).
     */
    private void addRewrites() {
        if (g.rewrites().isEmpty()) {
            return;
        }
        List<String> all = new ArrayList<>();
        List<String> stability = new ArrayList<>();
        g.rewrites().forEach((rule, n) -> {
            all.add(rule + " (" + n + ")");
            if (Simplify.STABILITY.contains(rule) || rule.startsWith("mask-through-")) {
                stability.add(rule);
            }
        });
        type.addJavadoc("\n$L", wrap("<p>Rewrites by the optimizer (rule (times)): " + String.join(", ", all) + "."));
        if (!stability.isEmpty()) {
            type.addJavadoc("$L", wrap("Of these, " + String.join(", ", stability) + " keep values finite where the"
                    + " formula as written would not (NaN-safe masks, stable logarithms)."));
        }
    }

    /** {@code text} in lines of at most 100 characters, each ending with a newline. */
    private static String wrap(String text) {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > 100) {
                out.append(line).append('\n');
                line.setLength(0);
            }
            line.append(line.length() > 0 ? " " : "").append(word);
        }
        return out.append(line).append('\n').toString();
    }

    private static TypeName inputMap() {
        return ParameterizedTypeName.get(ClassName.get(Map.class), ClassName.get(String.class),
                ClassName.get(Tensor.class));
    }

    private void nameParams() {
        for (Graph.Param p : g.params()) {
            paramFields.put(p, fieldNames.allocate(p.name()));
        }
        for (Graph.Input in : g.inputs()) {
            specFields.put(in, fieldNames.allocate("SPEC_" + in.name()));
        }
        variableNames.addAll(paramFields.values());
        variableNames.addAll(specFields.values());
    }

    private CodeBlock ref(Node n) {
        return names.ref(n);
    }

    // ---- storage, parameters, inputs -----------------------------------------------------------------------

    private void declareStorage() {
        type.addField(FieldSpec.builder(ParameterSet.class, "params", Modifier.PRIVATE, Modifier.FINAL)
                .initializer("new $T()", ParameterSet.class).build());
        variableNames.add("params");
        for (Graph.Input in : g.inputs()) {
            type.addField(FieldSpec.builder(InputSpec.class, specFields.get(in), Modifier.PUBLIC, Modifier.STATIC,
                    Modifier.FINAL).initializer("$T.parse($S, $S)", InputSpec.class, in.name(),
                            in.node().type().toString()).build());
        }
        List<CodeBlock> register = new ArrayList<>();
        List<CodeBlock> init = new ArrayList<>();
        for (Graph.Param p : g.params()) {
            String f = paramFields.get(p);
            DType t = p.node().dtype();
            type.addField(JavaCode.array(t), f, Modifier.PRIVATE);
            CodeBlock shape = fixedShape(p.node());
            register.add(CodeBlock.of("$N = params.add($S, $T.zeros($L)).data();\n", f, p.name(), tensorClass(t),
                    shape));
            init.add(CodeBlock.of("$L.fill($N, seed, $S$L);\n", initializer(p), f, p.name(),
                    shape.isEmpty() ? "" : CodeBlock.of(", $L", shape)));
            MethodSpec.Builder accessor = MethodSpec.methodBuilder(methodNames.allocate(p.name()))
                    .addModifiers(Modifier.PUBLIC).returns(tensorClass(t))
                    .addJavadoc("The live parameter $L : $L.\n", p.name(), p.node().type())
                    .addStatement("return ($T) params.get($S)", tensorClass(t), p.name());
            type.addMethod(accessor.build());
        }
        type.addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC).addParameter(long.class, "seed")
                .addCode(chunks("register", register, List.of(), List.of()))
                .addStatement("initParameters(seed)").build());
        type.addMethod(MethodSpec.methodBuilder("initParameters").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).addParameter(long.class, "seed")
                .addCode(chunks("init", init, List.of(long.class), List.of("seed"))).build());
        type.addMethod(MethodSpec.methodBuilder("name").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(String.class).addStatement("return $S", g.model()).build());
        List<CodeBlock> specs = new ArrayList<>();
        for (Graph.Input in : g.inputs()) {
            specs.add(CodeBlock.of("$N", specFields.get(in)));
        }
        type.addMethod(MethodSpec.methodBuilder("inputs").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(ParameterizedTypeName.get(List.class, InputSpec.class))
                .addStatement("return $T.of($L)", List.class, CodeBlock.join(specs, ", ")).build());
        type.addMethod(MethodSpec.methodBuilder("parameters").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(inputMap()).addStatement("return params.view()").build());
        type.addMethod(MethodSpec.methodBuilder("setParameter").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).addParameter(String.class, "name").addParameter(Tensor.class, "value")
                .addStatement("params.set(name, value)").build());
        type.addMethod(MethodSpec.methodBuilder("hasLoss").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(boolean.class).addStatement("return $L", g.hasLoss()).build());
        for (String f : names.dimFields().values()) {
            ws.addField(int.class, f);
        }
    }

    private static ClassName tensorClass(DType t) {
        return switch (t) {
            case F32 -> JavaCode.rt("FloatTensor");
            case F64 -> JavaCode.rt("DoubleTensor");
            case I32 -> JavaCode.rt("IntTensor");
            case BOOL -> throw JavaCode.unsupported("a bool tensor at the API boundary");
        };
    }

    private CodeBlock fixedShape(Node n) {
        List<CodeBlock> parts = new ArrayList<>();
        for (Dim d : n.shape().dims()) {
            parts.add(CodeBlock.of("$L", d.size()));
        }
        return CodeBlock.join(parts, ", ");
    }

    private static CodeBlock initializer(Graph.Param p) {
        ClassName init = JavaCode.rt("Initializer");
        List<Double> a = p.init().args();
        InitSpec.Kind kind = p.init().kind();
        return switch (kind) {
            case ZEROS -> CodeBlock.of("$T.zeros()", init);
            case ONES -> CodeBlock.of("$T.ones()", init);
            case CONSTANT -> CodeBlock.of("$T.constant($L)", init, JavaCode.literal(a.get(0), DType.F64));
            case UNIFORM -> CodeBlock.of("$T.uniform($L, $L)", init, JavaCode.literal(a.get(0), DType.F64),
                    JavaCode.literal(a.get(1), DType.F64));
            case NORMAL -> CodeBlock.of("$T.normal($L, $L)", init, JavaCode.literal(a.get(0), DType.F64),
                    JavaCode.literal(a.get(1), DType.F64));
            case GLOROT_UNIFORM -> CodeBlock.of("$T.glorotUniform()", init);
            case HE_NORMAL -> CodeBlock.of("$T.heNormal()", init);
        };
    }

    /** Checks every input against its declaration (binding the dims) into a fresh workspace. */
    private MethodSpec.Builder bindMethod() {
        MethodSpec.Builder b = MethodSpec.methodBuilder("bind").addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(workspace).addParameter(inputMap(), "inputs")
                .addStatement("$T dims = new $T()", DimBindings.class, DimBindings.class)
                .addStatement("$T w = new $T()", workspace, workspace);
        for (Graph.Input in : g.inputs()) {
            ws.addField(JavaCode.array(in.node().dtype()), names.workspaceField(in.node()));
            String check = switch (in.node().dtype()) {
                case F32 -> "checkF32";
                case F64 -> "checkF64";
                case I32 -> "checkI32";
                case BOOL -> throw JavaCode.unsupported("bool input");
            };
            b.addStatement("$L = dims.$N($N, inputs.get($S)).data()", ref(in.node()), check, specFields.get(in),
                    in.name());
        }
        Set<String> bound = new LinkedHashSet<>();
        for (Graph.Input in : g.inputs()) {
            for (Dim d : in.node().shape().dims()) {
                bound.addAll(d.symbols());
            }
        }
        for (String d : bound) {
            b.addStatement("w.$N = dims.size($S)", names.dimFields().get(d), d);
        }
        return b.addStatement("return w");
    }

    private void addTypedEntry(String method, Class<?> result) {
        MethodSpec.Builder b = MethodSpec.methodBuilder(method).addModifiers(Modifier.PUBLIC).returns(result)
                .addJavadoc("$L with the inputs as typed arguments, in declaration order.\n", method);
        Names locals = new Names("inputs");
        b.addStatement("$T inputs = new $T<>()", inputMap(), LinkedHashMap.class);
        for (Graph.Input in : g.inputs()) {
            String p = locals.allocate(in.name());
            variableNames.add(p);
            b.addParameter(tensorClass(in.node().dtype()), p);
            b.addStatement("inputs.put($S, $N)", in.name(), p);
        }
        b.addStatement("return $N(inputs)", method);
        type.addMethod(b.build());
    }

    private MethodSpec forwardMap() {
        MethodSpec.Builder b = MethodSpec.methodBuilder("forward").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(ForwardResult.class).addParameter(inputMap(), "inputs")
                .addStatement("$T w = bind(inputs)", workspace)
                .addStatement("runForward(w)");
        b.addStatement("return new $T($L, outputs(w))", ForwardResult.class, g.hasLoss()
                ? CodeBlock.of("$T.of($L[0])", OptionalDouble.class, ref(g.loss().node()))
                : CodeBlock.of("$T.empty()", OptionalDouble.class));
        type.addMethod(outputsMethod());
        return b.build();
    }

    private MethodSpec outputsMethod() {
        List<CodeBlock> puts = new ArrayList<>();
        for (Graph.Output o : g.outputs()) {
            puts.add(CodeBlock.of("out.put($S, $L);\n", o.name(), fresh(o.node(), ref(o.node()))));
        }
        return MethodSpec.methodBuilder("outputs").addModifiers(Modifier.PRIVATE).returns(inputMap())
                .addParameter(workspace, "w")
                .addStatement("$T out = new $T<>()", inputMap(), LinkedHashMap.class)
                .addCode(chunks("output", puts, List.of(workspace, inputMap()), List.of("w", "out")))
                .addStatement("return out").build();
    }

    /** A tensor the caller owns: a copy of the buffer (buffers may alias inputs, params or each other). */
    private CodeBlock fresh(Node n, CodeBlock buffer) {
        return CodeBlock.of("$T.wrap($L.clone()$L)", tensorClass(n.dtype()), buffer,
                n.shape().isScalar() ? CodeBlock.of("") : CodeBlock.of(", $L", lowering.shapeList(n.shape())));
    }

    private MethodSpec gradientMap() {
        List<CodeBlock> puts = new ArrayList<>();
        for (Graph.Gradient d : g.gradients()) {
            Node x = d.wrt();
            CodeBlock value = d.adjoint() != null ? fresh(x, ref(d.adjoint()))
                    : CodeBlock.of("$T.zeros($L)  /* not on the loss path */", tensorClass(x.dtype()),
                            lowering.shapeList(x.shape()));
            puts.add(CodeBlock.of("grads.put($S, $L);\n", d.name(), value));
        }
        TypeName map = inputMap();
        return MethodSpec.methodBuilder("gradient").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .returns(GradientResult.class).addParameter(map, "inputs")
                .addStatement("$T w = bind(inputs)", workspace)
                .addStatement("runForward(w)")
                .addStatement("runBackward(w)")
                .addStatement("$T grads = new $T<>()", map, LinkedHashMap.class)
                .addCode(chunks("collect", puts, List.of(workspace, map), List.of("w", "grads")))
                .addStatement("return new $T($L[0], outputs(w), grads)", GradientResult.class, ref(g.loss().node()))
                .build();
    }

    // ---- steps and chunks ------------------------------------------------------------------------------------

    private BitSet needed(List<Node> roots) {
        BitSet seen = new BitSet();
        List<Node> stack = new ArrayList<>(roots);
        while (!stack.isEmpty()) {
            Node n = stack.remove(stack.size() - 1);
            if (!seen.get(n.id())) {
                seen.set(n.id());
                stack.addAll(n.inputs());
            }
        }
        return seen;
    }

    /** One commented step per node in the set, in schedule order; leaves are bound, not computed. */
    private List<CodeBlock> steps(BitSet ids) {
        BitSet lossPath = g.hasLoss() ? needed(List.of(g.loss().node())) : new BitSet();
        List<CodeBlock> out = new ArrayList<>();
        for (int id = ids.nextSetBit(0); id >= 0; id = ids.nextSetBit(id + 1)) {
            Node n = g.nodes().get(id);
            if (n.op() instanceof InputOp || n.op() instanceof ParamOp || inlined.contains(n)) {
                continue;
            }
            ws.addField(JavaCode.array(n.dtype()), names.workspaceField(n));
            Node adjointOf = g.adjointOf().get(n);
            CodeBlock.Builder step = CodeBlock.builder().add("// $L\n", comment(n, adjointOf));
            String rule = adjointOf != null ? rule(adjointOf, lossPath) : "";
            if (!rule.isEmpty()) {
                step.add("// $L\n", rule);
            }
            out.add(step.add(lowering.lower(n)).build());
        }
        return out;
    }

    /** Constants read only by elementwise steps are written there as literals, so they need no buffer. */
    private void findInlinedConstants(BitSet ids, List<Node> roots) {
        List<Node> all = g.nodes();
        for (int id = ids.nextSetBit(0); id >= 0; id = ids.nextSetBit(id + 1)) {
            if (all.get(id).op() instanceof ConstantOp) {
                inlined.add(all.get(id));
            }
        }
        for (int id = ids.nextSetBit(0); id >= 0; id = ids.nextSetBit(id + 1)) {
            Node n = all.get(id);
            if (!Lowering.isElementwise(n) || n.op().aliasedInput(n) >= 0) {
                n.inputs().forEach(inlined::remove);
            }
        }
        roots.forEach(inlined::remove);
    }

    /**
     * The local rule that gave the adjoint of {@code x}, when one op on the loss path uses it; with several uses
     * the adjoint is the sum of their contributions.
     */
    private String rule(Node x, BitSet lossPath) {
        int uses = 0;
        String rule = "";
        for (Node y : g.users(x)) {
            if (!lossPath.get(y.id()) || !y.dtype().isFloat()) {
                continue;
            }
            for (int i = 0; i < y.inputs().size(); i++) {
                if (y.input(i) == x) {
                    uses++;
                    rule = y.op().adjointRule(y, i);
                }
            }
        }
        return uses > 1 ? "sum of the contributions of its " + uses + " uses" : rule;
    }

    private String comment(Node n, Node adjointOf) {
        Span span = g.spans().get(adjointOf != null ? adjointOf : n);
        String where = span == null ? "" : span.file().name() + ":" + span.line() + ": ";
        List<String> args = new ArrayList<>();
        for (Node in : n.inputs()) {
            args.add(names.label(in));
        }
        String what = names.label(n) + " = " + n.op().name()
                + (n.op().attributes().isEmpty() ? "" : "[" + n.op().attributes() + "]")
                + "(" + String.join(", ", args) + ") : " + n.type();
        String of = adjointOf != null ? "  (adjoint of " + names.label(adjointOf) + ")" : "";
        return where + what + of;
    }

    private CodeBlock chunks(String prefix, List<CodeBlock> steps) {
        return chunks(prefix, steps, List.of(workspace), List.of("w"));
    }

    /** Splits straight-line steps into private methods of at most {@link #CHUNK} steps; returns the calls. */
    private CodeBlock chunks(String prefix, List<CodeBlock> steps, List<? extends Object> types, List<String> args) {
        CodeBlock.Builder calls = CodeBlock.builder();
        for (int start = 0, k = 0; start < steps.size(); start += CHUNK, k++) {
            String method = methodNames.allocate(prefix + k);
            MethodSpec.Builder b = MethodSpec.methodBuilder(method).addModifiers(Modifier.PRIVATE);
            for (int i = 0; i < types.size(); i++) {
                Object t = types.get(i);
                TypeName tn = t instanceof TypeName n ? n : TypeName.get((Class<?>) t);
                b.addParameter(tn, args.get(i));
            }
            for (CodeBlock s : steps.subList(start, Math.min(steps.size(), start + CHUNK))) {
                b.addCode(s);
            }
            type.addMethod(b.build());
            calls.addStatement("$N($L)", method, String.join(", ", args));
        }
        return calls.build();
    }
}
