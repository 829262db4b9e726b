package dev.adjoint.cli;

import dev.adjoint.compiler.elab.ModelGraph;
import dev.adjoint.compiler.ir.Node;
import dev.adjoint.compiler.ir.ops.CrossEntropy;
import dev.adjoint.compiler.ir.ops.OneHot;
import java.util.HashMap;
import java.util.Map;

/** The class counts of a model's label inputs, read from the graph ({@code gradcheck} and {@code train} share it). */
final class LabelRanges {
    private LabelRanges() {
    }

    /**
     * For i32 inputs used as class labels (by {@code cross_entropy} or {@code one_hot}): the number of classes,
     * the smallest over their uses. Inputs not used that way are absent.
     */
    static Map<String, Integer> of(ModelGraph m) {
        Map<Node, String> inputNames = new HashMap<>();
        m.inputs().forEach(in -> inputNames.put(in.node(), in.name()));
        Map<String, Integer> out = new HashMap<>();
        for (Node n : m.nodes()) {
            Node labels = null;
            long count = 0;
            if (n.op() instanceof CrossEntropy && n.input(0).shape().rank() > 0) {
                labels = n.input(1);
                var last = n.input(0).shape().dim(n.input(0).shape().rank() - 1);
                count = last.isFixed() ? last.size() : 0;
            } else if (n.op() instanceof OneHot oh) {
                labels = n.input(0);
                count = oh.n();
            }
            if (labels != null && count > 0 && inputNames.containsKey(labels)) {
                out.merge(inputNames.get(labels), (int) count, Math::min);
            }
        }
        return out;
    }
}
