package dev.adjoint.compiler.parse;

import dev.adjoint.compiler.ast.Ast;
import dev.adjoint.compiler.diag.Diagnostics;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.grammar.AdjointLexer;
import dev.adjoint.grammar.AdjointParser;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.Token;
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
    /** Deepest nesting of grammar rules accepted (each operator of a chain, call or bracket is a level). */
    public static final int MAX_DEPTH = 2_000;

    private ModelParser() {
    }

    /** The file's AST, or null when the file has syntax errors (they are in {@code diagnostics}). */
    public static Ast.FileAst parse(SourceFile source, Diagnostics diagnostics) {
        if (!InputLimits.check(source, diagnostics) || unterminatedComment(source, diagnostics)) {
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
        parser.addParseListener(new NestingLimit());
        AdjointParser.FileContext tree;
        try {
            tree = parser.file();
        } catch (NestingLimit.TooDeep e) {
            Token at = e.token;
            int length = Math.max(1, at.getStopIndex() - at.getStartIndex() + 1);
            diagnostics.error(source.spanAt(at.getStartIndex(), length),
                    "expression is nested too deeply: more than " + MAX_DEPTH + " levels of operators, calls and"
                            + " brackets; split it into several statements");
            return null;
        }
        if (errors.count() > 0) {
            return null;
        }
        int before = diagnostics.errorCount();
        Ast.FileAst file = new AstBuilder(source, diagnostics).file(tree);
        return diagnostics.errorCount() > before ? null : file; // e.g. 'input foo x', a number out of range
    }

    /**
     * Reports a block comment that is never closed. The lexer alone would read its opening as '/' and '*'
     * and the parser would then complain about the comment's words; everything after the opening is comment.
     */
    private static boolean unterminatedComment(SourceFile source, Diagnostics diagnostics) {
        String text = source.text();
        for (int i = 0; i < text.length() - 1; i++) {
            if (text.startsWith("//", i)) {
                int eol = text.indexOf('\n', i);
                i = eol < 0 ? text.length() : eol;
            } else if (text.startsWith("/*", i)) {
                int close = text.indexOf("*/", i + 2);
                if (close < 0) {
                    diagnostics.error(source.spanAt(i, 2), "syntax error: unterminated block comment (missing '*/')");
                    return true;
                }
                i = close + 1;
            }
        }
        return false;
    }
}
