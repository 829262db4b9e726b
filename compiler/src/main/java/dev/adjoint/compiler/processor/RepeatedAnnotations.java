package dev.adjoint.compiler.processor;

import com.sun.source.tree.AnnotationTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.TreePath;
import com.sun.source.util.Trees;
import java.util.ArrayList;
import java.util.List;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic.Kind;

/**
 * Points messages at one of several repeated {@code @GenerateModel} on a type. javac wraps repeated annotations
 * in a synthesized container that has no place in the source, so {@code Messager} falls back to the type; with
 * javac's tree API the n-th annotation (and its values) can be found. Without javac's trees (another compiler),
 * {@link #report} returns false and the caller reports through {@code Messager}.
 */
final class RepeatedAnnotations {
    private final Trees trees;

    private RepeatedAnnotations(Trees trees) {
        this.trees = trees;
    }

    /** For javac; null for a compiler without the tree API. */
    static RepeatedAnnotations of(ProcessingEnvironment env) {
        try {
            return new RepeatedAnnotations(Trees.instance(env));
        } catch (IllegalArgumentException | LinkageError e) {
            return null;
        }
    }

    /**
     * Reports at the {@code index}-th {@code annotation} on {@code type} (at its {@code value} element if that is
     * written, else at the annotation); false if it could not be found.
     */
    boolean report(Kind kind, String message, TypeElement type, String annotation, int index, String value) {
        TreePath typePath = trees.getPath(type);
        if (typePath == null || !(typePath.getLeaf() instanceof com.sun.source.tree.ClassTree classTree)) {
            return false;
        }
        List<AnnotationTree> matching = new ArrayList<>();
        for (AnnotationTree a : classTree.getModifiers().getAnnotations()) {
            Element e = trees.getElement(new TreePath(new TreePath(typePath, a), a.getAnnotationType()));
            if (e instanceof TypeElement t && t.getQualifiedName().contentEquals(annotation)) {
                matching.add(a);
            }
        }
        if (index >= matching.size()) {
            return false;
        }
        AnnotationTree at = matching.get(index);
        Tree target = at;
        if (value != null) {
            for (ExpressionTree arg : at.getArguments()) {
                if (arg instanceof AssignmentTree assign && assign.getVariable() instanceof IdentifierTree id
                        && id.getName().contentEquals(value)) {
                    target = assign.getExpression();
                }
            }
        }
        trees.printMessage(kind, message, target, typePath.getCompilationUnit());
        return true;
    }
}
