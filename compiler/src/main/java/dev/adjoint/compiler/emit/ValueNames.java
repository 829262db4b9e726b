package dev.adjoint.compiler.emit;

import com.palantir.javapoet.CodeBlock;
import dev.adjoint.compiler.ad.Gradients;
import dev.adjoint.compiler.diag.Span;
import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.compiler.elab.ModelGraph.InputDecl;
import dev.adjoint.compiler.elab.ModelGraph.OutputDecl;
import dev.adjoint.compiler.elab.ModelGraph.ParamDecl;
import dev.adjoint.compiler.ir.Dim;
import dev.adjoint.compiler.ir.Node;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The Java name of every value: parameters are fields of the model; every other value is a field of the
 * per-call {@code Workspace w}, named after the model where the model names it ({@code x}, {@code h},
 * {@code logits}, {@code probs}), {@code d<name>} for its adjoint, else {@code t<id>} / {@code dt<id>}.
 */
final class ValueNames {
    private final Names wsNames = new Names("w");
    private final Map<Node, CodeBlock> refs = new IdentityHashMap<>();
    private final Map<Node, String> wsFields = new IdentityHashMap<>();
    private final Map<Node, String> labels = new IdentityHashMap<>();
    private final Map<String, String> dimFields = new LinkedHashMap<>();

    /** paramFields: the model-class field of each parameter. */
    ValueNames(ModelGraph m, Gradients grads, Map<ParamDecl, String> paramFields) {
        for (InputDecl in : m.inputs()) {
            for (Dim d : in.node().shape().dims()) {
                for (String s : d.symbols()) {
                    dimFields.computeIfAbsent(s, wsNames::allocate);
                }
            }
        }
        for (String d : m.dims()) {
            dimFields.computeIfAbsent(d, wsNames::allocate);
        }
        paramFields.forEach((p, field) -> {
            refs.put(p.node(), CodeBlock.of("$N", field));
            labels.put(p.node(), p.name());
        });
        for (InputDecl in : m.inputs()) {
            name(in.node(), in.name());
        }
        for (OutputDecl o : m.outputs()) {
            name(o.node(), o.name());
        }
        if (m.hasLoss()) {
            name(m.loss().node(), m.loss().name());
        }
        nameBoundValues(m);
        if (grads != null) {
            for (Map.Entry<Node, Node> e : grads.adjoints().entrySet()) {
                name(e.getValue(), "d" + label(e.getKey()));
            }
        }
    }

    /**
     * Names intermediates after the model's own names ({@code h}, {@code logits}). The value bound by
     * {@code name = expr} is the last node first built by that statement: among the nodes whose source span
     * lies between this name and the next declared name, the one not used by another of them. In an
     * unrolled loop only the last iteration's value gets the name (earlier ones keep {@code t<id>}).
     */
    private void nameBoundValues(ModelGraph m) {
        Set<String> declared = Set.of("dim", "const", "param", "input", "input grad");
        List<Integer> starts = new ArrayList<>();
        for (ModelGraph.Binding b : m.bindings()) {
            if (b.span() != null) {
                starts.add(b.span().start());
            }
        }
        Collections.sort(starts);
        List<Node> spanned = new ArrayList<>(m.spans().keySet());
        spanned.sort((x, y) -> Integer.compare(x.id(), y.id()));
        for (ModelGraph.Binding b : m.bindings()) {
            if (declared.contains(b.kind()) || b.span() == null) {
                continue;
            }
            int from = b.span().end();
            int to = Integer.MAX_VALUE;
            for (int st : starts) {
                if (st > b.span().start()) {
                    to = st;
                    break;
                }
            }
            Set<Node> region = new LinkedHashSet<>();
            for (Node n : spanned) {
                Span sp = m.spans().get(n);
                if (sp.file() == b.span().file() && sp.start() >= from && sp.start() < to) {
                    region.add(n);
                }
            }
            Set<Node> used = Collections.newSetFromMap(new IdentityHashMap<>());
            for (Node n : region) {
                used.addAll(n.inputs());
            }
            for (Node n : region) {
                if (!used.contains(n)) {
                    name(n, b.name());
                }
            }
        }
    }

    private void name(Node n, String label) {
        if (!refs.containsKey(n)) {
            String field = wsNames.allocate(label);
            refs.put(n, CodeBlock.of("w.$N", field));
            wsFields.put(n, field);
            labels.put(n, label);
        }
    }

    /** How generated code reads the node's buffer: {@code w.h}, {@code W1}. */
    CodeBlock ref(Node n) {
        if (!refs.containsKey(n)) {
            name(n, "t" + n.id());
        }
        return refs.get(n);
    }

    /** The Workspace field holding the node's buffer (not for parameters). */
    String workspaceField(Node n) {
        ref(n);
        return wsFields.get(n);
    }

    /** The name used in comments: the model's name for the value, else {@code t<id>}. */
    String label(Node n) {
        return labels.getOrDefault(n, "t" + n.id());
    }

    /** Every dim, by its name in the model, to its Workspace field. */
    Map<String, String> dimFields() {
        return Collections.unmodifiableMap(dimFields);
    }
}
