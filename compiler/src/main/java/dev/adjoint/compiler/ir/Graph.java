package dev.adjoint.compiler.ir;

import dev.adjoint.compiler.diag.Span;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One model as an immutable graph: its nodes in a schedule order (inputs before users; {@code nodes().get(i).id()
 * == i}), its interface (dims, inputs, params), its roots (outputs, the loss, and the gradients asked for) and
 * its side tables (the source span that first built each node, the model's name for it, and for an adjoint
 * the forward value it is the adjoint of). Passes are functions from one {@code Graph} to another; see
 * {@link Rewriter} for rebuilding one node by node, and {@link GraphBuilder#extend} for adding nodes.
 *
 * <p>Side tables are on the side so that identical subexpressions from different lines still hash-cons to one
 * node: a node keeps the first span and the first name given to it.
 */
public final class Graph {

    /** {@code input [grad] name : type}. */
    public record Input(String name, Node node, boolean grad, Span span) {
    }

    /**
     * {@code param name : type = init}. Elements of a param array have names {@code W[0]}, {@code W[1]}...,
     * {@code array} set to {@code W} and their {@code index}; plain params have {@code array == null}.
     */
    public record Param(String name, Node node, InitSpec init, String array, int index, Span span) {
    }

    /** An {@code output} or the {@code loss}: a name and the node computing it. */
    public record Output(String name, Node node, Span span) {
    }

    /**
     * The gradient of the loss with respect to the param or {@code input grad} {@code wrt}, named like it;
     * {@code adjoint} is null where the gradient is symbolically zero (no path from the loss).
     */
    public record Gradient(String name, Node wrt, Node adjoint) {
    }

    private final String model;
    private final Span span;
    private final List<String> dims;
    private final List<Input> inputs;
    private final List<Param> params;
    private final List<Output> outputs;
    private final Output loss;
    private final List<Gradient> gradients;
    private final List<Node> nodes;
    private final Map<Node, Span> spans;
    private final Map<Node, String> names;
    private final Map<Node, Node> adjointOf;
    private final Map<String, Integer> rewrites;
    private Map<Node, List<Node>> users;

    /** Use {@link #of} or the {@code with...} methods; the arguments are not checked here (see Verifier). */
    private Graph(String model, Span span, List<String> dims, List<Input> inputs, List<Param> params,
            List<Output> outputs, Output loss, List<Gradient> gradients, List<Node> nodes, Map<Node, Span> spans,
            Map<Node, String> names, Map<Node, Node> adjointOf, Map<String, Integer> rewrites) {
        this.model = Objects.requireNonNull(model, "model");
        this.span = span;
        this.dims = List.copyOf(dims);
        this.inputs = List.copyOf(inputs);
        this.params = List.copyOf(params);
        this.outputs = List.copyOf(outputs);
        this.loss = loss;
        this.gradients = List.copyOf(gradients);
        this.nodes = List.copyOf(nodes);
        this.spans = frozen(spans);
        this.names = frozen(names);
        this.adjointOf = frozen(adjointOf);
        this.rewrites = Collections.unmodifiableMap(new LinkedHashMap<>(rewrites));
    }

    private static <V> Map<Node, V> frozen(Map<Node, V> m) {
        Map<Node, V> copy = new IdentityHashMap<>(m.size());
        copy.putAll(m);
        return Collections.unmodifiableMap(copy);
    }

    /** A forward graph (no gradients yet) as the front end builds it. */
    public static Graph of(String model, Span span, List<String> dims, List<Input> inputs, List<Param> params,
            List<Output> outputs, Output loss, List<Node> nodes, Map<Node, Span> spans, Map<Node, String> names) {
        return new Graph(model, span, dims, inputs, params, outputs, loss, List.of(), nodes, spans, names, Map.of(),
                Map.of());
    }

    // ---- the model's interface ----

    /** The model's name as written ({@code DigitsMlp}). */
    public String model() {
        return model;
    }

    /** Where the model is declared (its name), or null for a graph built in code. */
    public Span span() {
        return span;
    }

    /** The {@code dim}s in declaration order. */
    public List<String> dims() {
        return dims;
    }

    public List<Input> inputs() {
        return inputs;
    }

    public List<Param> params() {
        return params;
    }

    // ---- roots ----

    public List<Output> outputs() {
        return outputs;
    }

    /** The loss, or null for a model without one. */
    public Output loss() {
        return loss;
    }

    public boolean hasLoss() {
        return loss != null;
    }

    /** The gradients, one per param then per {@code input grad}; empty before differentiation. */
    public List<Gradient> gradients() {
        return gradients;
    }

    /**
     * Every root in a stable order: outputs, the loss, then the nonzero gradients. Everything a caller can
     * observe is computed from these.
     */
    public List<Node> roots() {
        List<Node> r = new ArrayList<>();
        outputs.forEach(o -> r.add(o.node()));
        if (loss != null) {
            r.add(loss.node());
        }
        for (Gradient g : gradients) {
            if (g.adjoint() != null) {
                r.add(g.adjoint());
            }
        }
        return r;
    }

    /** The roots of the forward pass alone: outputs and the loss. */
    public List<Node> forwardRoots() {
        List<Node> r = new ArrayList<>();
        outputs.forEach(o -> r.add(o.node()));
        if (loss != null) {
            r.add(loss.node());
        }
        return r;
    }

    // ---- nodes and side tables ----

    /** Every node, in schedule order; {@code nodes().get(i).id() == i}. */
    public List<Node> nodes() {
        return nodes;
    }

    public int size() {
        return nodes.size();
    }

    /** True when {@code n} is a node of this graph (not merely an equal one of another graph). */
    public boolean contains(Node n) {
        return n.id() < nodes.size() && nodes.get(n.id()) == n;
    }

    /** Where the first expression that built each node is (absent for nodes built by passes). */
    public Map<Node, Span> spans() {
        return spans;
    }

    /** The model's name for a node ({@code h}, {@code logits}, inputs, params, outputs); loop iterations share one. */
    public Map<Node, String> names() {
        return names;
    }

    /** The model's name for a node, or null when it was never bound to one. */
    public String nameOf(Node n) {
        return names.get(n);
    }

    /** For an adjoint node, the forward node it is the adjoint of ({@code dh} of {@code h}). */
    public Map<Node, Node> adjointOf() {
        return adjointOf;
    }

    /** The nodes that use each node as an input, in schedule order (computed once). */
    public List<Node> users(Node n) {
        if (users == null) {
            Map<Node, List<Node>> u = new IdentityHashMap<>();
            for (Node user : nodes) {
                for (Node in : user.inputs()) {
                    List<Node> list = u.computeIfAbsent(in, k -> new ArrayList<>());
                    if (list.isEmpty() || list.get(list.size() - 1) != user) {
                        list.add(user);
                    }
                }
            }
            users = u;
        }
        return users.getOrDefault(n, List.of());
    }

    /** The input declaration named {@code name}, or null. */
    public Input input(String name) {
        for (Input in : inputs) {
            if (in.name().equals(name)) {
                return in;
            }
        }
        return null;
    }

    /** The param named {@code name} ({@code W1}, {@code W[0]}), or null. */
    public Param param(String name) {
        for (Param p : params) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }

    // ---- new graphs ----

    /** This graph with other nodes, roots and side tables (what a pass returns). */
    public Graph with(List<Input> inputs, List<Param> params, List<Output> outputs, Output loss,
            List<Gradient> gradients, List<Node> nodes, Map<Node, Span> spans, Map<Node, String> names,
            Map<Node, Node> adjointOf) {
        return new Graph(model, span, dims, inputs, params, outputs, loss, gradients, nodes, spans, names, adjointOf,
                rewrites);
    }

    /**
     * The rewrites the optimizer's passes applied to get this graph, by rule name, with how many times each
     * fired, in the order they first fired (the generated class lists them).
     */
    public Map<String, Integer> rewrites() {
        return rewrites;
    }

    /** This graph with {@code counts} added to its record of rewrites (rules that fired zero times are left out). */
    public Graph withRewrites(Map<String, Integer> counts) {
        Map<String, Integer> merged = new LinkedHashMap<>(rewrites);
        counts.forEach((rule, n) -> {
            if (n > 0) {
                merged.merge(rule, n, Integer::sum);
            }
        });
        return new Graph(model, span, dims, inputs, params, outputs, loss, gradients, nodes, spans, names, adjointOf,
                merged);
    }

    /** The model's graph as text, one node per line ({@code %3 = matmul[](%0, %1) : f32[B, 32]}), for debugging. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("graph ").append(model).append(" (").append(nodes.size())
                .append(" nodes)\n");
        for (Node n : nodes) {
            b.append("  ").append(n).append('\n');
        }
        Map<String, Node> r = new LinkedHashMap<>();
        outputs.forEach(o -> r.put("output " + o.name(), o.node()));
        if (loss != null) {
            r.put("loss " + loss.name(), loss.node());
        }
        gradients.forEach(g -> r.put("d" + g.name(), g.adjoint()));
        r.forEach((k, v) -> b.append("  ").append(k).append(" = ").append(v == null ? "0" : "%" + v.id()).append('\n'));
        return b.toString();
    }
}
