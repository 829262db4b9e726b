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
import dev.adjoint.compiler.ir.Poly;
import dev.adjoint.compiler.ops.ConstantOp;
import dev.adjoint.compiler.opt.Simplify;
import dev.adjoint.compiler.pass.GraphStats;
import dev.adjoint.compiler.plan.ExecutionPlan;
import dev.adjoint.compiler.plan.ExecutionPlan.Step;
import dev.adjoint.compiler.plan.HeldBytes;
import dev.adjoint.compiler.plan.Planner;
import dev.adjoint.runtime.AdjointModel;
import dev.adjoint.runtime.DimBindings;
import dev.adjoint.runtime.ForwardResult;
import dev.adjoint.runtime.GradientResult;
import dev.adjoint.runtime.InputSpec;
import dev.adjoint.runtime.MemoryReport;
import dev.adjoint.runtime.ParameterSet;
import dev.adjoint.runtime.StepResult;
import dev.adjoint.runtime.Tensor;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import javax.lang.model.element.Modifier;

/**
 * Emits one Java class per model, implementing {@link AdjointModel}, from the model's final graph and its
 * {@link ExecutionPlan}: the forward pass (what the outputs and the loss need) and the backward pass (the rest
 * of what the gradients need), one commented step per stored value, split into private chunk methods so no method
 * approaches the JVM's size limits.
 *
 * <p>Every value lives in a {@code Workspace}: the buffers of the plan, allocated once per binding of the dims and
 * reused by every later call with those dims (a model keeps the workspaces of its last few bindings). A call
 * checks its inputs against the workspace's dims with a few comparisons and allocates nothing; a call with new
 * dims goes through {@link DimBindings} (with its error messages) and gets its workspace. {@code step} and
 * {@code evaluate} hand out views of the buffers; {@code forward} and {@code gradient} copy them.
 *
 * <p>Any identifier the language accepts works as a model, param, input or value name: a type the generated code
 * refers to is written fully qualified where a field, parameter or local of the class has its simple name, and
 * the nested workspace class is renamed when the model is called {@code Workspace}.
 */
public final class JavaEmitter {
    /** Steps per chunk method: keeps every method far below 8000 bytes of bytecode. */
    static final int CHUNK = 24;
    /** Workspaces a model keeps, one per recent binding of its dims. */
    static final int WORKSPACES = 4;
    /** Locals and parameters of the generated methods (besides the typed entry points' input parameters). */
    private static final List<String> LOCALS = List.of("w", "inputs", "dims", "out", "grads", "seed", "name",
            "value", "i", "r", "k", "inMode", "step");

    private final Graph g;
    private final ExecutionPlan plan;
    /** The backward pass's recomputed copies of forward values (checkpointing), held for the backward pass too. */
    private final Set<Node> copies;
    private final String packageName;
    private final ClassName self;
    private final ClassName workspace;
    /** Fields of the model class; never a name that a generated method uses for a local or parameter. */
    private final Names fieldNames = new Names(fieldReserved());
    /** Fields of the workspace. */
    private final Names wsNames = new Names("w", "bytes", "steps", "evaluation", "heldForBackward",
            "HELD_FOR_BACKWARD", "out", "grads", "sizes");  // the last three: locals of the workspace constructor
    /** Methods of the model class: parameter accessors and chunk methods. */
    private final Names methodNames = new Names("name", "inputs", "parameters", "setParameter",
            "initParameters", "hasLoss", "forward", "gradient", "step", "evaluate", "memory", "bind", "workspace",
            "fits", "predict", "predictViews", "predictInputs", "buffers", "setBuffer", "trainingStep",
            "setTrainingStep", "bindOutputs", "fitsOutputs", "workspaceOutputs",
            "runOutputs", "runForward", "runBackward", "equals", "hashCode", "toString", "getClass", "notify",
            "notifyAll", "wait", "clone", "finalize");
    /** Every simple name a field, parameter or local of the class may have: types with these names are qualified. */
    private final Set<String> variableNames = new TreeSet<>(LOCALS);
    private final Map<Graph.Param, String> paramFields = new LinkedHashMap<>();
    private final Map<Graph.Input, String> specFields = new LinkedHashMap<>();
    private final TypeSpec.Builder type;
    private final TypeSpec.Builder ws;
    private final List<CodeBlock> wsInit = new ArrayList<>();
    private ValueNames names;
    private Lowering lowering;
    /** The fields of the training-mode machinery, or null when no op depends on the mode. */
    private Lowering.TrainingFields training;
    /** The states of the model's ops (running statistics) in the order the steps compute them. */
    private final Map<String, dev.adjoint.compiler.ir.Op.State> states = new LinkedHashMap<>();
    /** Folds repeated steps into loops ({@link Repeats}); made once the model's fields are named. */
    private Repeats repeats;
    private boolean foldRepeats = true;
    /** The calls registering the parameters, which the constructor makes first. */
    private CodeBlock registerCalls;

    private static String[] fieldReserved() {
        List<String> r = new ArrayList<>(LOCALS);
        r.add("params");
        r.add("buffers");
        r.add("workspaces");
        return r.toArray(new String[0]);
    }

    private JavaEmitter(ExecutionPlan plan, Set<Node> copies, String packageName, String className) {
        this.g = plan.graph();
        this.plan = plan;
        this.copies = copies;
        this.packageName = packageName;
        this.self = ClassName.get(packageName, className);
        this.workspace = self.nestedClass(className.equals("Workspace") ? "Buffers" : "Workspace");
        this.type = TypeSpec.classBuilder(self).addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addSuperinterface(AdjointModel.class)
                .addAnnotation(AnnotationSpec.builder(ClassName.get("javax.annotation.processing", "Generated"))
                        .addMember("value", "$S", "dev.adjoint").build());
        this.ws = TypeSpec.classBuilder(workspace).addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL)
                .addJavadoc("The buffers of the calls with one binding of the dims, allocated once (see the plan"
                        + " in the class comment).\n");
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
        return emit(Planner.plan(g), packageName, className);
    }

    /** The Java file that runs {@code plan} (of its graph), with the class called {@code className}. */
    public static JavaFile emit(ExecutionPlan plan, String packageName, String className) {
        return emit(plan, Set.of(), packageName, className);
    }

    /**
     * The Java file that runs {@code plan}, whose backward pass recomputes {@code copies} (forward values dropped by
     * checkpointing: they count as held for the backward pass in what the class measures).
     */
    public static JavaFile emit(ExecutionPlan plan, Set<Node> copies, String packageName, String className) {
        return new JavaEmitter(plan, copies, packageName, className).build();
    }

    /** As {@link #emit(ExecutionPlan, Set, String, String)}, every step written out straight (for comparisons). */
    static JavaFile emitStraight(ExecutionPlan plan, Set<Node> copies, String packageName, String className) {
        JavaEmitter e = new JavaEmitter(plan, copies, packageName, className);
        e.foldRepeats = false;
        return e.build();
    }

    /** The simple name of the class emitted for the model {@code model}: its name, made a valid Java identifier. */
    public static String className(String model) {
        return Names.sanitize(model);
    }

    private JavaFile build() {
        type.addJavadoc("Generated by Adjoint from model $L$L.\n", g.model(),
                g.span() == null ? "" : " (" + g.span().file().name() + ":" + g.span().line() + ")");
        addRewrites();
        type.addJavadoc("\n$L", wrap("<p>Memory: the buffers of one call take " + plan.peakBytes() + " bytes ("
                + plan.buffers().size() + " buffers), allocated once per binding of the dims; parameters and"
                + " inputs are not counted."));
        nameParams();
        names = new ValueNames(g, plan, paramFields, "w", wsNames);
        training = trainingFields();
        lowering = new Lowering(plan, names, wsNames, fieldNames, training);
        declareStorage();
        BitSet lossPath = g.hasLoss() ? reachable(List.of(g.loss().node())) : new BitSet();
        Set<String> reserved = new TreeSet<>(variableNames);
        reserved.addAll(fieldNames.taken());
        repeats = new Repeats(g, plan, names, lowering, type, workspace, methodNames, fieldNames, wsNames, reserved,
                foldRepeats);
        type.addMethod(MethodSpec.methodBuilder("runOutputs").addModifiers(Modifier.PRIVATE)
                .addJavadoc("The steps the outputs need: all that prediction runs.\n")
                .addParameter(workspace, "w")
                .addCode(chunks("outputs", steps("outputs", plan.outputs(), lossPath))).build());
        type.addMethod(MethodSpec.methodBuilder("runForward").addModifiers(Modifier.PRIVATE)
                .addJavadoc("The forward pass: the outputs, then the rest of what the loss needs.\n")
                .addParameter(workspace, "w").addStatement("runOutputs(w)")
                .addCode(chunks("forward", steps("forward", plan.lossOnly(), lossPath))).build());
        if (g.hasLoss()) {
            type.addMethod(MethodSpec.methodBuilder("runBackward").addModifiers(Modifier.PRIVATE)
                    .addParameter(workspace, "w")
                    .addCode(chunks("backward", steps("backward", plan.backward(), lossPath))).build());
        }
        addConstructor();
        repeats.modelTables.forEach(type::addField);
        variableNames.addAll(repeats.declared);
        addEntryPoints();
        lowering.classFields().forEach(type::addField);
        buildWorkspace();
        type.addType(ws.build());
        variableNames.addAll(wsNames.taken());          // the workspace's fields, read by its own methods
        variableNames.addAll(fieldNames.taken());
        // a variable that shares a type's simple name would shadow it: such types are written qualified. Every type
        // the class names is capitalized; one call per name (JavaPoet formats the whole array on every call)
        for (String v : variableNames) {
            if (Character.isUpperCase(v.charAt(0))) {
                type.alwaysQualify(v);
            }
        }
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

    /**
     * The model's fields for the ops that compute differently in training and evaluation, when it has any: the
     * call's mode, whether the call is a training step (it updates the running statistics), the dropout seed and
     * training step, and one field per state (running statistics), named after it.
     */
    private Lowering.TrainingFields trainingFields() {
        boolean any = false;
        for (Step s : plan.steps()) {
            List<Node> all = new ArrayList<>(s.fused());
            all.addAll(s.written());
            for (Node n : all) {
                any |= n.op().modeDependent();
                for (dev.adjoint.compiler.ir.Op.State st : n.op().state(n)) {
                    dev.adjoint.compiler.ir.Op.State known = states.putIfAbsent(st.name(), st);
                    if (known != null && !known.equals(st)) {
                        throw new IllegalStateException("emitter: state " + st.name() + " is declared as " + known
                                + " and as " + st);
                    }
                    if (!st.size().isFixed()) {
                        throw JavaCode.unsupported("the state " + st.name() + " of " + n.op().name() + " has the size "
                                + st.size() + ", which depends on a dim; it needs a fixed size");
                    }
                }
            }
        }
        if (!any) {
            return null;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        states.keySet().forEach(name -> fields.put(name, fieldNames.allocate(name)));
        Lowering.TrainingFields t = new Lowering.TrainingFields(fieldNames.allocate("mode"),
                fieldNames.allocate("updateStatistics"), fieldNames.allocate("noiseSeed"),
                fieldNames.allocate("trainingStep"), fields);
        variableNames.addAll(fields.values());
        variableNames.addAll(List.of(t.mode(), t.update(), t.seed(), t.step()));
        return t;
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

    private static BitSet reachable(List<Node> roots) {
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
        type.addField(FieldSpec.builder(ArrayTypeNames.of(workspace), "workspaces", Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("The workspaces of the most recent bindings of the dims, the latest first.\n")
                .initializer("new $T[$L]", workspace, WORKSPACES).build());
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
        if (training != null) {
            declareTrainingState(register, init);
        }
        registerCalls = chunks("register", register, List.of(), List.of());
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
        if (training != null) {
            addTrainingAccessors();
        }
    }

    /**
     * The constructor: registers the parameters, fills the tables of them that loops over repeated steps read
     * ({@link Repeats}), and initializes them. (JavaPoet writes constructors ahead of methods, wherever added.)
     */
    private void addConstructor() {
        MethodSpec.Builder ctor = MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC)
                .addParameter(long.class, "seed").addCode(registerCalls);
        if (!repeats.modelTableInit.isEmpty()) {
            ctor.addCode(chunks("tables", repeats.modelTableInit, List.of(), List.of()));
        }
        type.addMethod(ctor.addStatement("initParameters(seed)").build());
    }

    /**
     * The fields of the training-mode machinery: the buffers (running statistics) registered like params and reset
     * by {@code initParameters}, the call's mode, and the dropout seed and step.
     */
    private void declareTrainingState(List<CodeBlock> register, List<CodeBlock> init) {
        ClassName mode = JavaCode.rt("Mode");
        type.addField(FieldSpec.builder(ParameterSet.class, "buffers", Modifier.PRIVATE, Modifier.FINAL)
                .addJavadoc("The running statistics, saved with the parameters; see buffers().\n")
                .initializer("new $T($S)", ParameterSet.class, "buffer").build());
        variableNames.add("buffers");
        type.addField(FieldSpec.builder(mode, training.mode(), Modifier.PRIVATE)
                .addJavadoc("The mode of the current call: batch statistics and dropout, or running statistics.\n")
                .initializer("$T.EVALUATION", mode).build());
        type.addField(FieldSpec.builder(boolean.class, training.update(), Modifier.PRIVATE)
                .addJavadoc("Whether the current call is a training step, which updates the running statistics.\n")
                .build());
        type.addField(FieldSpec.builder(long.class, training.seed(), Modifier.PRIVATE)
                .addJavadoc("The seed the dropout masks are drawn from: the model's.\n").build());
        type.addField(FieldSpec.builder(long.class, training.step(), Modifier.PRIVATE)
                .addJavadoc("The number of the next training step, which the dropout masks are drawn for.\n").build());
        for (dev.adjoint.compiler.ir.Op.State st : states.values()) {
            String f = training.states().get(st.name());
            type.addField(JavaCode.array(st.dtype()), f, Modifier.PRIVATE);
            register.add(CodeBlock.of("$N = buffers.add($S, $T.zeros($L)).data();\n", f, st.name(),
                    tensorClass(st.dtype()), st.size().size()));
            init.add(CodeBlock.of("$T.fill($N, $L);\n", java.util.Arrays.class, f,
                    JavaCode.literal(st.initial(), st.dtype())));
        }
        init.add(CodeBlock.of("$N = seed;\n", training.seed()));
        init.add(CodeBlock.of("$N = 0;\n", training.step()));
    }

    /** {@code buffers()}, {@code setBuffer}, {@code trainingStep()} and {@code setTrainingStep}. */
    private void addTrainingAccessors() {
        type.addMethod(MethodSpec.methodBuilder("buffers").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(inputMap()).addStatement("return buffers.view()").build());
        type.addMethod(MethodSpec.methodBuilder("setBuffer").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).addParameter(String.class, "name").addParameter(Tensor.class, "value")
                .addStatement("buffers.set(name, value)").build());
        type.addMethod(MethodSpec.methodBuilder("trainingStep").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(long.class).addStatement("return $N", training.step()).build());
        type.addMethod(MethodSpec.methodBuilder("setTrainingStep").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).addParameter(long.class, "step")
                .addStatement("$N = step", training.step()).build());
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

    // ---- entry points --------------------------------------------------------------------------------------

    /** The dims the inputs bind, in the order the inputs show them. */
    private List<String> boundDims() {
        Set<String> bound = new LinkedHashSet<>();
        for (Graph.Input in : g.inputs()) {
            for (Dim d : in.node().shape().dims()) {
                bound.addAll(d.symbols());
            }
        }
        return new ArrayList<>(bound);
    }

    private void addEntryPoints() {
        List<String> dims = boundDims();
        List<Graph.Input> predictInputs = plan.predictInputs();
        boolean ownBinder = !predictInputs.equals(g.inputs());
        addBinder("bind", "fits", "workspace", g.inputs(), dims, "these inputs");
        if (ownBinder) {
            addBinder("bindOutputs", "fitsOutputs", "workspaceOutputs", predictInputs, dims,
                    "the inputs the outputs need\n(a new workspace has the dims they do not bind at 0)");
        }
        String predictBinder = ownBinder ? "bindOutputs" : "bind";
        ClassName mode = JavaCode.rt("Mode");
        CodeBlock lossValue = g.hasLoss() ? CodeBlock.of("$L[0]", rootRef(g.loss().node()))
                : CodeBlock.of("$T.NaN", Double.class);

        // evaluate / forward: evaluation mode, views / copies
        if (training == null) {
            type.addMethod(MethodSpec.methodBuilder("evaluate").addAnnotation(Override.class)
                    .addModifiers(Modifier.PUBLIC).returns(StepResult.class).addParameter(inputMap(), "inputs")
                    .addStatement("$T w = bind(inputs)", workspace)
                    .addStatement("runForward(w)")
                    .addCode(rootCopies(Roots.FORWARD))
                    .addStatement("return w.evaluation.loss($L)", lossValue).build());
        } else {
            type.addMethod(MethodSpec.methodBuilder("evaluate").addAnnotation(Override.class)
                    .addModifiers(Modifier.PUBLIC).returns(StepResult.class).addParameter(inputMap(), "inputs")
                    .addStatement("return evaluate(inputs, $T.EVALUATION)", mode).build());
            type.addMethod(MethodSpec.methodBuilder("evaluate").addAnnotation(Override.class)
                    .addModifiers(Modifier.PUBLIC).returns(StepResult.class).addParameter(inputMap(), "inputs")
                    .addParameter(mode, "inMode")
                    .addStatement("$T w = bind(inputs)", workspace)
                    .addStatement("$N = $T.requireNonNull(inMode, $S)", training.mode(), java.util.Objects.class,
                            "mode")
                    .addStatement("$N = false", training.update())
                    .addStatement("runForward(w)")
                    .addCode(rootCopies(Roots.FORWARD))
                    .addStatement("return w.evaluation.loss($L)", lossValue).build());
        }
        type.addMethod(MethodSpec.methodBuilder("forward").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(ForwardResult.class).addParameter(inputMap(), "inputs")
                .addStatement("$T r = evaluate(inputs)", StepResult.class)
                .addStatement("return new $T($L, $T.copies(r.outputs()))", ForwardResult.class, g.hasLoss()
                        ? CodeBlock.of("$T.of(r.loss())", OptionalDouble.class)
                        : CodeBlock.of("$T.empty()", OptionalDouble.class), JavaCode.rt("Tensors"))
                .build());
        addTypedEntry("forward", ForwardResult.class, g.inputs());

        // predict: the outputs from the inputs they need, in evaluation mode
        List<CodeBlock> specs = new ArrayList<>();
        predictInputs.forEach(in -> specs.add(CodeBlock.of("$N", specFields.get(in))));
        type.addMethod(MethodSpec.methodBuilder("predictInputs").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(ParameterizedTypeName.get(List.class, InputSpec.class))
                .addStatement("return $T.of($L)", List.class, CodeBlock.join(specs, ", ")).build());
        MethodSpec.Builder views = MethodSpec.methodBuilder("predictViews").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(StepResult.class).addParameter(inputMap(), "inputs")
                .addStatement("$T w = $N(inputs)", workspace, predictBinder);
        if (training != null) {
            views.addStatement("$N = $T.EVALUATION", training.mode(), mode)
                    .addStatement("$N = false", training.update());
        }
        type.addMethod(views.addStatement("runOutputs(w)")
                .addCode(rootCopies(Roots.OUTPUTS))
                .addStatement("return w.evaluation.loss($T.NaN)", Double.class).build());
        type.addMethod(MethodSpec.methodBuilder("predict").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(ForwardResult.class).addParameter(inputMap(), "inputs")
                .addStatement("return new $T($T.empty(), $T.copies(predictViews(inputs).outputs()))",
                        ForwardResult.class, OptionalDouble.class, JavaCode.rt("Tensors"))
                .build());
        addTypedEntry("predict", ForwardResult.class, predictInputs);

        // step / gradient: a training step, views / copies
        if (g.hasLoss()) {
            MethodSpec.Builder step = MethodSpec.methodBuilder("step").addAnnotation(Override.class)
                    .addModifiers(Modifier.PUBLIC).returns(StepResult.class).addParameter(inputMap(), "inputs")
                    .addStatement("$T w = bind(inputs)", workspace);
            if (training != null) {
                step.addStatement("$N = $T.TRAINING", training.mode(), mode)
                        .addStatement("$N = true", training.update())
                        .addStatement("runForward(w)")
                        .addStatement("$N = false", training.update())
                        .addStatement("runBackward(w)")
                        .addStatement("$N++", training.step());
            } else {
                step.addStatement("runForward(w)").addStatement("runBackward(w)");
            }
            type.addMethod(step.addCode(rootCopies(Roots.ALL))
                    .addStatement("return w.steps.loss($L[0])", rootRef(g.loss().node())).build());
            type.addMethod(MethodSpec.methodBuilder("gradient").addAnnotation(Override.class)
                    .addModifiers(Modifier.PUBLIC).returns(GradientResult.class).addParameter(inputMap(), "inputs")
                    .addStatement("$T r = step(inputs)", StepResult.class)
                    .addStatement("return new $T(r.loss(), $T.copies(r.outputs()), $T.copies(r.gradients()))",
                            GradientResult.class, JavaCode.rt("Tensors"), JavaCode.rt("Tensors"))
                    .build());
            addTypedEntry("gradient", GradientResult.class, g.inputs());
        } else {
            type.addMethod(MethodSpec.methodBuilder("gradient").addAnnotation(Override.class)
                    .addModifiers(Modifier.PUBLIC).returns(GradientResult.class).addParameter(inputMap(), "inputs")
                    .addStatement("throw new $T($S)", UnsupportedOperationException.class,
                            "model " + g.model() + " has no loss, so it has no gradient")
                    .build());
            type.addMethod(MethodSpec.methodBuilder("step").addAnnotation(Override.class)
                    .addModifiers(Modifier.PUBLIC).returns(StepResult.class).addParameter(inputMap(), "inputs")
                    .addStatement("throw new $T($S)", UnsupportedOperationException.class,
                            "model " + g.model() + " has no loss, so it has no training step")
                    .build());
        }
        addMemory(dims);
    }

    /**
     * {@code bind}, {@code fits} and {@code workspace} (or their counterparts for prediction) over {@code inputs}:
     * the workspace for a call, with a few comparisons when the dims are those of a workspace held, else with the
     * full checks of {@link DimBindings}. A dim none of {@code inputs} binds is 0 in a new workspace.
     */
    private void addBinder(String bindName, String fitsName, String findName, List<Graph.Input> inputs,
            List<String> dims, String what) {
        MethodSpec.Builder bind = MethodSpec.methodBuilder(bindName).addModifiers(Modifier.PRIVATE).returns(workspace)
                .addParameter(inputMap(), "inputs")
                .addJavadoc("The workspace for $L, each checked against its declaration:\na few comparisons when the"
                        + " dims are those of a workspace held,\nelse the full checks of {@link $T}.\n", what,
                        DimBindings.class);
        MethodSpec.Builder fits = MethodSpec.methodBuilder(fitsName).addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(boolean.class).addParameter(workspace, "k")
                .addJavadoc("Whether the inputs have their declared types and the dims of {@code k}.\n");
        List<CodeBlock> same = new ArrayList<>();
        List<String> inputLocals = new ArrayList<>();
        Names locals = new Names("inputs", "w", "k", "i");
        Map<Graph.Input, String> local = new LinkedHashMap<>();
        CodeBlock kPrefix = CodeBlock.of("k.");
        Set<String> bound = new LinkedHashSet<>();
        for (Graph.Input in : inputs) {
            String v = locals.allocate(in.name());
            variableNames.add(v);
            local.put(in, v);
            inputLocals.add(v);
            bind.addStatement("$T $N = inputs.get($S)", Tensor.class, v, in.name());
            fits.addParameter(Tensor.class, v);
            List<CodeBlock> checks = new ArrayList<>();
            checks.add(CodeBlock.of("$N instanceof $T", v, tensorClass(in.node().dtype())));
            checks.add(CodeBlock.of("$N.rank() == $L", v, in.node().shape().rank()));
            for (int d = 0; d < in.node().shape().rank(); d++) {
                checks.add(CodeBlock.of("$N.dim($L) == $L", v, d, lowering.dim(in.node().shape().dim(d), kPrefix)));
                bound.addAll(in.node().shape().dim(d).symbols());
            }
            same.add(CodeBlock.join(checks, " && "));
        }
        fits.addStatement("return $L", same.isEmpty() ? CodeBlock.of("true") : CodeBlock.join(same, "\n        && "));
        type.addMethod(fits.build());
        String fitArgs = String.join(", ", inputLocals);
        bind.addStatement("$T w = null", workspace)
                .beginControlFlow("for (int i = 0; i < workspaces.length && w == null; i++)")
                .addStatement("$T k = workspaces[i]", workspace)
                .beginControlFlow("if (k != null && $N(k$L))", fitsName, fitArgs.isEmpty() ? "" : ", " + fitArgs)
                .addStatement("System.arraycopy(workspaces, 0, workspaces, 1, i)")
                .addStatement("workspaces[0] = k")
                .addStatement("w = k")
                .endControlFlow()
                .endControlFlow()
                .beginControlFlow("if (w == null)").addStatement("w = $N(inputs)", findName).endControlFlow();
        for (Graph.Input in : inputs) {
            bind.addStatement("$L = (($T) $N).data()", ref(in.node()), tensorClass(in.node().dtype()), local.get(in));
        }
        type.addMethod(bind.addStatement("return w").build());

        MethodSpec.Builder find = MethodSpec.methodBuilder(findName).addModifiers(Modifier.PRIVATE)
                .returns(workspace).addParameter(inputMap(), "inputs")
                .addJavadoc("Checks the inputs with their messages, binding the dims, and finds or makes the"
                        + " workspace for them.\n")
                .addStatement("$T dims = new $T()", DimBindings.class, DimBindings.class);
        for (Graph.Input in : inputs) {
            String check = switch (in.node().dtype()) {
                case F32 -> "checkF32";
                case F64 -> "checkF64";
                case I32 -> "checkI32";
                case BOOL -> throw JavaCode.unsupported("bool input");
            };
            find.addStatement("dims.$N($N, inputs.get($S))", check, specFields.get(in), in.name());
        }
        List<CodeBlock> args = new ArrayList<>();
        List<CodeBlock> match = new ArrayList<>();
        for (String d : dims) {
            if (bound.contains(d)) {
                args.add(CodeBlock.of("dims.size($S)", d));
                match.add(CodeBlock.of("k.$N == dims.size($S)", names.dimFields().get(d), d));
            } else {
                args.add(CodeBlock.of("0"));
            }
        }
        find.beginControlFlow("for (int i = 0; i < workspaces.length; i++)")
                .addStatement("$T k = workspaces[i]", workspace)
                .beginControlFlow("if (k != null$L)", match.isEmpty() ? "" : CodeBlock.of(" && $L",
                        CodeBlock.join(match, " && ")))
                .addStatement("System.arraycopy(workspaces, 0, workspaces, 1, i)")
                .addStatement("workspaces[0] = k")
                .addStatement("return k")
                .endControlFlow()
                .endControlFlow()
                .addStatement("System.arraycopy(workspaces, 0, workspaces, 1, workspaces.length - 1)")
                .addStatement("workspaces[0] = new $T($L)", workspace, CodeBlock.join(args, ", "))
                .addStatement("return workspaces[0]");
        type.addMethod(find.build());
    }

    /** Which roots a call copies out of inputs, params or literals into buffers of their own. */
    private enum Roots {
        /** The outputs: prediction. */
        OUTPUTS,
        /** The outputs and the loss: the forward pass. */
        FORWARD,
        /** Every root: a training step. */
        ALL
    }

    /** How generated code reads a root's value: its copy buffer, or its own. */
    private CodeBlock rootRef(Node r) {
        ExecutionPlan.Buffer copy = plan.rootCopies().get(r);
        return copy != null ? CodeBlock.of("w.$N", names.buffer(copy)) : ref(r);
    }

    /**
     * The roots that live in an input, a param or a literal, copied into their own buffers: those of {@code which}
     * calls.
     */
    private CodeBlock rootCopies(Roots which) {
        CodeBlock.Builder b = CodeBlock.builder();
        Set<Node> copied = new java.util.HashSet<>(g.forwardRoots());
        if (which == Roots.OUTPUTS) {
            copied.clear();
            g.outputs().forEach(o -> copied.add(o.node()));
        }
        plan.rootCopies().forEach((r, buffer) -> {
            if (which != Roots.ALL && !copied.contains(r)) {
                return;
            }
            if (r.op() instanceof ConstantOp c) {
                b.addStatement("$T.fill(w.$N, $L)", java.util.Arrays.class, names.buffer(buffer),
                        JavaCode.literal(c.value(), r.dtype()));
            } else {
                b.addStatement("System.arraycopy($L, 0, w.$N, 0, w.$N.length)", ref(r), names.buffer(buffer),
                        names.buffer(buffer));
            }
        });
        return b.build();
    }

    /** {@code memory()}: the planned formula, evaluable for any dims, and the bytes the workspaces hold. */
    private void addMemory(List<String> dims) {
        Poly peak = plan.peakBytes();
        List<String> symbols = peak.symbols();
        List<CodeBlock> terms = new ArrayList<>();
        for (Map.Entry<List<String>, Long> t : peak.terms().entrySet()) {
            List<CodeBlock> row = new ArrayList<>();
            row.add(CodeBlock.of("$LL", t.getValue()));
            for (String s : symbols) {
                row.add(CodeBlock.of("$L", t.getKey().stream().filter(s::equals).count()));
            }
            terms.add(CodeBlock.of("{$L}", CodeBlock.join(row, ", ")));
        }
        List<CodeBlock> syms = new ArrayList<>();
        symbols.forEach(s -> syms.add(CodeBlock.of("$S", s)));
        type.addMethod(MethodSpec.methodBuilder("memory").addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC).returns(MemoryReport.class)
                .addStatement("long held = 0")
                .addStatement("long heldForBackward = 0")
                .beginControlFlow("for ($T k : workspaces)", workspace)
                .beginControlFlow("if (k != null)")
                .addStatement("held += k.bytes")
                .addStatement("heldForBackward = $T.max(heldForBackward, k.heldForBackward)", Math.class)
                .endControlFlow()
                .endControlFlow()
                .addStatement("return new $T($S, $T.of($L), new long[][] {$L}, held, heldForBackward)",
                        MemoryReport.class,
                        peak.toString(), List.class, CodeBlock.join(syms, ", "), CodeBlock.join(terms, ", "))
                .build());
    }

    private void addTypedEntry(String method, Class<?> result, List<Graph.Input> inputs) {
        MethodSpec.Builder b = MethodSpec.methodBuilder(method).addModifiers(Modifier.PUBLIC).returns(result)
                .addJavadoc("$L with the inputs as typed arguments, in declaration order.\n", method);
        Names locals = new Names("inputs");
        b.addStatement("$T inputs = new $T<>()", inputMap(), LinkedHashMap.class);
        for (Graph.Input in : inputs) {
            String p = locals.allocate(in.name());
            variableNames.add(p);
            b.addParameter(tensorClass(in.node().dtype()), p);
            b.addStatement("inputs.put($S, $N)", in.name(), p);
        }
        b.addStatement("return $N(inputs)", method);
        type.addMethod(b.build());
    }

    // ---- the workspace -------------------------------------------------------------------------------------

    private void buildWorkspace() {
        List<String> dims = boundDims();
        MethodSpec.Builder ctor = MethodSpec.constructorBuilder();
        for (String d : names.dimFields().keySet()) {
            ws.addField(int.class, names.dimFields().get(d), Modifier.FINAL);
        }
        for (String d : dims) {
            ctor.addParameter(int.class, names.dimFields().get(d));
            ctor.addStatement("this.$N = $N", names.dimFields().get(d), names.dimFields().get(d));
        }
        for (String d : names.dimFields().keySet()) {
            if (!dims.contains(d)) {
                ctor.addCode("this.$N = 0;  // bound by no input\n", names.dimFields().get(d));
            }
        }
        ws.addField(FieldSpec.builder(long.class, "bytes", Modifier.FINAL)
                .addJavadoc("The bytes of this workspace's buffers.\n").build());
        ws.addField(FieldSpec.builder(StepResult.class, "steps", Modifier.FINAL).build());
        ws.addField(FieldSpec.builder(StepResult.class, "evaluation", Modifier.FINAL).build());
        ws.addField(FieldSpec.builder(long.class, "heldForBackward", Modifier.FINAL)
                .addJavadoc("The peak bytes of the buffers holding forward values the backward pass reads (measured).\n")
                .build());
        CodeBlock none = CodeBlock.of("");
        List<CodeBlock> bytes = new ArrayList<>();
        Map<ExecutionPlan.Buffer, Integer> index = new java.util.IdentityHashMap<>();
        for (ExecutionPlan.Buffer b : plan.buffers()) {
            index.put(b, index.size());
            String f = names.buffer(b);
            List<String> holds = b.holds();
            String held = holds.size() <= 8 ? String.join(", ", holds) : String.join(", ", holds.subList(0, 6))
                    + ", ... " + holds.get(holds.size() - 1) + " (" + holds.size() + " values in turn)";
            ws.addField(FieldSpec.builder(JavaCode.array(b.dtype()), f).addJavadoc("Holds $L.\n", held).build());
            wsInit.add(CodeBlock.of("$N = new $T[$L];\n", f, JavaCode.elem(b.dtype()), lowering.dim(b.size(), none)));
            bytes.add(CodeBlock.of("held[$L] = $LL * $N.length;\n", index.get(b), GraphStats.elementBytes(b.dtype()), f));
        }
        for (Map.Entry<Node, String> e : names.workspaceFields().entrySet()) {
            Node n = e.getKey();
            ws.addField(JavaCode.array(n.dtype()), e.getValue());
            ExecutionPlan.Buffer b = plan.bufferOf().get(n);
            boolean alias = n.op().aliasedInput(n) >= 0;
            if (b != null && !alias) {
                wsInit.add(CodeBlock.of("$N = $N;\n", e.getValue(), names.buffer(b)));
            }
        }
        List<FieldSpec> extra = new ArrayList<>();
        lowering.workspaceFields(extra, wsInit);
        extra.addAll(repeats.wsTables);
        wsInit.addAll(repeats.wsTableInit);
        extra.forEach(ws::addField);
        Names wsMethods = new Names();
        ctor.addCode(chunks("alloc", wsInit, List.of(), List.of(), ws, wsMethods));
        // the bytes the buffers actually take, counted from the arrays (memory() reports them beside the plan), and
        // the peak of those holding forward values for the backward pass (what a checkpoint budget bounds)
        ws.addMethod(MethodSpec.methodBuilder("measure").addModifiers(Modifier.PRIVATE).returns(long[].class)
                .addStatement("long[] held = new long[$L]", plan.buffers().size())
                .addCode(sizes("measure", bytes, wsMethods))
                .addStatement("return held").build());
        ctor.addStatement("long[] sizes = measure()");
        ctor.addStatement("this.bytes = $T.stream(sizes).sum()", java.util.Arrays.class);
        List<String> table = heldTable(index);
        if (table.isEmpty()) {
            ctor.addStatement("this.heldForBackward = 0");
        } else {
            List<CodeBlock> parts = new ArrayList<>();
            table.forEach(t -> parts.add(CodeBlock.of("$S", t)));
            ws.addField(FieldSpec.builder(String[].class, "HELD_FOR_BACKWARD", Modifier.PRIVATE, Modifier.STATIC,
                            Modifier.FINAL)
                    .addJavadoc("The values held for the backward pass, {@code buffer:first step:last step;} each.\n")
                    .initializer("{\n$L}", CodeBlock.join(parts, ",\n")).build());
            ctor.addStatement("this.heldForBackward = $T.peakHeld(sizes, HELD_FOR_BACKWARD)", MemoryReport.class);
        }
        List<CodeBlock> outputs = new ArrayList<>();
        for (Graph.Output o : g.outputs()) {
            outputs.add(CodeBlock.of("out.put($S, $L);\n", o.name(), view(o.node(), rootBuffer(o.node()))));
        }
        List<CodeBlock> gradients = new ArrayList<>();
        for (Graph.Gradient d : g.gradients()) {
            CodeBlock buffer = d.adjoint() != null ? rootBuffer(d.adjoint())
                    : CodeBlock.of("$N", names.buffer(plan.zeroGradients().get(d.name())));
            gradients.add(CodeBlock.of("grads.put($S, $L);\n", d.name(), view(d.wrt(), buffer)));
        }
        ctor.addStatement("$T out = new $T<>()", inputMap(), LinkedHashMap.class)
                .addCode(chunks("outputs", outputs, List.of(inputMap()), List.of("out"), ws, wsMethods))
                .addStatement("this.evaluation = new $T(out, $T.of())", StepResult.class, Map.class)
                .addStatement("$T grads = new $T<>()", inputMap(), LinkedHashMap.class)
                .addCode(chunks("gradients", gradients, List.of(inputMap()), List.of("grads"), ws, wsMethods))
                .addStatement("this.steps = new $T(out, grads)", StepResult.class);
        ws.addMethod(ctor.build());
    }

    /** {@code held[b] = ...} statements, split into methods that each fill their part. */
    private CodeBlock sizes(String prefix, List<CodeBlock> terms, Names methods) {
        CodeBlock.Builder calls = CodeBlock.builder();
        for (int start = 0, k = 0; start < terms.size(); start += CHUNK, k++) {
            String method = methods.allocate(prefix + k);
            MethodSpec.Builder b = MethodSpec.methodBuilder(method).addModifiers(Modifier.PRIVATE)
                    .addParameter(long[].class, "held");
            terms.subList(start, Math.min(terms.size(), start + CHUNK)).forEach(b::addCode);
            ws.addMethod(b.build());
            calls.addStatement("$N(held)", method);
        }
        return calls.build();
    }

    /**
     * The values held for the backward pass ({@link HeldBytes#intervals}) as {@code buffer:from:to;} items, in
     * strings short enough for the class file's constant pool.
     */
    private List<String> heldTable(Map<ExecutionPlan.Buffer, Integer> index) {
        List<String> out = new ArrayList<>();
        if (!g.hasLoss()) {
            return out;
        }
        StringBuilder part = new StringBuilder();
        for (HeldBytes.Interval i : HeldBytes.intervals(plan, copies)) {
            ExecutionPlan.Buffer b = plan.bufferOf().get(i.value());
            if (b == null) {
                throw new IllegalStateException("a value held for the backward pass has no buffer: " + i.value());
            }
            part.append(index.get(b)).append(':').append(i.from()).append(':').append(i.to()).append(';');
            if (part.length() > 8000) {
                out.add(part.toString());
                part.setLength(0);
            }
        }
        if (part.length() > 0) {
            out.add(part.toString());
        }
        return out;
    }

    /** The workspace field holding a root's value (inside the workspace's own code). */
    private CodeBlock rootBuffer(Node r) {
        ExecutionPlan.Buffer copy = plan.rootCopies().get(r);
        if (copy != null) {
            return CodeBlock.of("$N", names.buffer(copy));
        }
        ExecutionPlan.Buffer b = plan.bufferOf().get(r);
        return CodeBlock.of("$N", names.buffer(b));
    }

    /** A tensor of {@code n}'s shape over {@code buffer}, made once. */
    private CodeBlock view(Node n, CodeBlock buffer) {
        CodeBlock none = CodeBlock.of("");
        List<CodeBlock> dims = new ArrayList<>();
        n.shape().dims().forEach(d -> dims.add(lowering.dim(d, none)));
        return CodeBlock.of("$T.wrap($L$L)", tensorClass(n.dtype()), buffer,
                dims.isEmpty() ? CodeBlock.of("") : CodeBlock.of(", $L", CodeBlock.join(dims, ", ")));
    }

    // ---- steps and chunks ------------------------------------------------------------------------------------

    /**
     * One commented block per step: a comment per value it computes (fused ones first), then its code; a run of
     * repeated steps is one loop ({@link Repeats}), whose methods are named from {@code prefix}.
     */
    private List<CodeBlock> steps(String prefix, List<Step> steps, BitSet lossPath) {
        return repeats.fold(prefix, steps, s -> comments(s, lossPath));
    }

    /** The comment lines of a step: one per value it computes (fused ones first), and the rule of an adjoint. */
    private CodeBlock comments(Step s, BitSet lossPath) {
        CodeBlock.Builder step = CodeBlock.builder();
        List<Node> shown = new ArrayList<>(s.fused());
        shown.addAll(s.stores());
        shown.sort((a, b) -> Integer.compare(a.id(), b.id()));
        shown.add(s.node());
        for (Node n : shown) {
            Node adjointOf = g.adjointOf().get(n);
            // one literal per comment line: JavaPoet splits every piece it writes into lines with a regex,
            // which was a fifth of a cold compile of a 10,000-node model
            step.add("$L", "// " + comment(n, adjointOf, s.fused().contains(n))
                    + (s.stores().contains(n) ? "  [computed and stored below]" : "") + "\n");
            String rule = adjointOf != null ? rule(adjointOf, lossPath) : "";
            if (!rule.isEmpty()) {
                step.add("$L", "// " + rule + "\n");
            }
        }
        return step.build();
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

    private String comment(Node n, Node adjointOf, boolean fused) {
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
        return where + what + of + (fused ? "  [computed below]" : "");
    }

    private CodeBlock chunks(String prefix, List<CodeBlock> steps) {
        return chunks(prefix, steps, List.of(workspace), List.of("w"));
    }

    private CodeBlock chunks(String prefix, List<CodeBlock> steps, List<? extends Object> types, List<String> args) {
        return chunks(prefix, steps, types, args, type, methodNames);
    }

    /** Splits straight-line steps into private methods of at most {@link #CHUNK} steps; returns the calls. */
    private static CodeBlock chunks(String prefix, List<CodeBlock> steps, List<? extends Object> types,
            List<String> args, TypeSpec.Builder owner, Names methods) {
        CodeBlock.Builder calls = CodeBlock.builder();
        for (int start = 0, k = 0; start < steps.size(); start += CHUNK, k++) {
            String method = methods.allocate(prefix + k);
            MethodSpec.Builder b = MethodSpec.methodBuilder(method).addModifiers(Modifier.PRIVATE);
            for (int i = 0; i < types.size(); i++) {
                Object t = types.get(i);
                TypeName tn = t instanceof TypeName n ? n : TypeName.get((Class<?>) t);
                b.addParameter(tn, args.get(i));
            }
            for (CodeBlock s : steps.subList(start, Math.min(steps.size(), start + CHUNK))) {
                b.addCode(s);
            }
            owner.addMethod(b.build());
            calls.addStatement("$N($L)", method, String.join(", ", args));
        }
        return calls.build();
    }

    /** Array type names of nested classes. */
    private static final class ArrayTypeNames {
        static TypeName of(ClassName c) {
            return com.palantir.javapoet.ArrayTypeName.of(c);
        }
    }
}
