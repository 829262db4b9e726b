package dev.adjoint.compiler.parse;

import dev.adjoint.compiler.diag.Diagnostics;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.diag.Span;
import dev.adjoint.grammar.AdjointParser;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.Lexer;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ParseTree;

/**
 * Turns ANTLR's lexer and parser errors into positioned {@code syntax error} diagnostics, one per broken
 * statement: what ANTLR reports while recovering from an error (a stray character, a statement that ran into
 * the next line) is a consequence of the first error, not a new one, and is dropped.
 */
final class SyntaxErrorListener extends BaseErrorListener {
    private final SourceFile source;
    private final Diagnostics diagnostics;
    private final Set<Integer> lexerErrorLines = new HashSet<>();
    private int count;
    private int lastOffset = -1;
    private int lastParserErrorLine;

    SyntaxErrorListener(SourceFile source, Diagnostics diagnostics) {
        this.source = source;
        this.diagnostics = diagnostics;
    }

    /** Every syntax error seen, reported or dropped as a consequence of an earlier one. */
    int count() {
        return count;
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int charPositionInLine,
            String msg, RecognitionException e) {
        count++;
        if (recognizer instanceof Lexer lexer) {
            int offset = lexer._tokenStartCharIndex;
            String text = source.text();
            int cp = offset < text.length() ? text.codePointAt(offset) : ' ';
            Span span = source.spanAt(offset, Character.charCount(cp));
            lexerErrorLines.add(span.line());
            report(span, "syntax error: unexpected character '" + new String(Character.toChars(cp)) + "'");
            return;
        }
        Parser parser = (Parser) recognizer;
        Token token = (Token) offendingSymbol;
        Token previous = token.getTokenIndex() > 0 ? parser.getTokenStream().get(token.getTokenIndex() - 1) : null;
        List<String> expected = SyntaxMessages.expected(msg);
        boolean lineEndedEarly = previous != null && token.getLine() > previous.getLine()
                && (token.getType() == Token.EOF || SyntaxMessages.describe(expected, token) != null);
        Span span;
        String message;
        if (lineEndedEarly) {
            // `y = exp(x` then a new line: the ')' is missing at the end of the line, not before the next token.
            span = source.spanAt(previous.getStopIndex() + 1, 1);
            message = SyntaxMessages.afterLineEnd(msg, token, previous);
        } else if (token.getType() == Token.EOF) {
            span = source.spanAt(Math.max(0, source.text().length() - 1), 1);
            message = SyntaxMessages.rewrite(msg, token);
        } else {
            span = source.spanAt(token.getStartIndex(), token.getStopIndex() - token.getStartIndex() + 1);
            message = SyntaxMessages.rewrite(msg, token);
            String after = source.text().substring(Math.min(token.getStopIndex() + 1, source.text().length()))
                    .stripLeading();
            if (token.getText().equals("dim") && after.startsWith("=") && !after.startsWith("==")) {
                message += "; the axis is axis= here (PyTorch's dim=), as in softmax(x, axis=-1)";
            }
        }
        int statementLine = statementLine(parser.getContext());
        boolean cascade = lexerErrorLines.contains(span.line()) || span.line() == lastParserErrorLine
                || (statementLine > 0 && statementLine <= lastParserErrorLine);
        lastParserErrorLine = Math.max(lastParserErrorLine, span.line());
        if (!cascade) {
            report(span, "syntax error: " + message);
        }
    }

    private void report(Span span, String message) {
        if (span.start() == lastOffset) {
            return; // one error per place: ANTLR's recovery can report the same token twice
        }
        lastOffset = span.start();
        diagnostics.error(span, message);
    }

    /**
     * The line where the statement being parsed began: the enclosing statement or fn, or else the last
     * statement or top-level item parsed in this body (the parser is between them). 0 when there is none.
     */
    private static int statementLine(ParserRuleContext ctx) {
        for (ParserRuleContext c = ctx; c != null; c = c.getParent()) {
            if (c instanceof AdjointParser.StmtContext || c instanceof AdjointParser.FnDeclContext) {
                return c.getStart().getLine();
            }
        }
        if (ctx != null && ctx.children != null) {
            for (int i = ctx.children.size() - 1; i >= 0; i--) {
                ParseTree child = ctx.children.get(i);
                if (child instanceof AdjointParser.StmtContext || child instanceof AdjointParser.TopItemContext) {
                    return ((ParserRuleContext) child).getStart().getLine();
                }
            }
        }
        return 0;
    }
}
