package dev.adjoint.compiler.parse;

import dev.adjoint.compiler.ast.Ast;
import dev.adjoint.compiler.diag.Diagnostics;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.grammar.AdjointLexer;
import dev.adjoint.grammar.AdjointParser;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.atn.PredictionMode;

/**
 * Parses a model source into an {@link Ast.FileAst}. Syntax errors are reported to the diagnostics
 * (ANTLR recovers, so several can be found in one run); the AST is built only for a file without them.
 */
public final class ModelParser {
    /** Largest source accepted, in characters. */
    public static final int MAX_SOURCE_CHARS = 8 * 1024 * 1024;
    /** Longest line accepted, in characters. */
    public static final int MAX_LINE_CHARS = 10_000;
    /** Deepest bracket nesting accepted. */
    public static final int MAX_NESTING = 200;

    private ModelParser() {
    }

    /** The file's AST, or null when the file has syntax errors (they are in {@code diagnostics}). */
    public static Ast.FileAst parse(SourceFile source, Diagnostics diagnostics) {
        if (!InputLimits.check(source, diagnostics)) {
            return null;
        }
        SyntaxErrorListener errors = new SyntaxErrorListener(source, diagnostics);
        AdjointLexer lexer = new AdjointLexer(CharStreams.fromString(source.text(), source.name()));
        lexer.removeErrorListeners();
        lexer.addErrorListener(errors);
        AdjointParser parser = new AdjointParser(new CommonTokenStream(lexer));
        parser.removeErrorListeners();
        parser.addErrorListener(errors);
        parser.getInterpreter().setPredictionMode(PredictionMode.LL);
        AdjointParser.FileContext tree = parser.file();
        if (errors.count() > 0) {
            return null;
        }
        return new AstBuilder(source, diagnostics).file(tree);
    }
}
