package dev.adjoint.compiler.parse;

import dev.adjoint.compiler.diag.Diagnostics;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.diag.Span;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.Lexer;
import org.antlr.v4.runtime.Parser;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.TokenStream;

/** Turns ANTLR's lexer and parser errors into positioned {@code syntax error} diagnostics. */
final class SyntaxErrorListener extends BaseErrorListener {
    private final SourceFile source;
    private final Diagnostics diagnostics;
    private int count;
    private int lastOffset = -1;

    SyntaxErrorListener(SourceFile source, Diagnostics diagnostics) {
        this.source = source;
        this.diagnostics = diagnostics;
    }

    int count() {
        return count;
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int charPositionInLine,
            String msg, RecognitionException e) {
        Span span;
        String message;
        if (recognizer instanceof Lexer lexer) {
            int offset = lexer._tokenStartCharIndex;
            String text = source.text();
            if (text.startsWith("/*", offset)) {
                span = source.spanAt(offset, 2);
                message = "syntax error: unterminated block comment (missing '*/')";
            } else {
                int cp = offset < text.length() ? text.codePointAt(offset) : ' ';
                span = source.spanAt(offset, Character.charCount(cp));
                message = "syntax error: unexpected character '" + new String(Character.toChars(cp)) + "'";
            }
        } else {
            Token token = (Token) offendingSymbol;
            Token previous = previous(recognizer, token);
            String expected = SyntaxMessages.expected(msg);
            if (previous != null && expected != null && previous.getLine() < token.getLine()) {
                // Something is missing at the end of a line: point there, not at the next line's first token.
                span = source.spanAt(previous.getStopIndex() + 1, 1);
                message = "syntax error: expected " + expected + " after '" + previous.getText() + "'";
            } else {
                if (token.getType() == Token.EOF) {
                    int end = source.text().length();
                    span = source.spanAt(Math.max(0, end - 1), 1);
                } else {
                    span = source.spanAt(token.getStartIndex(), token.getStopIndex() - token.getStartIndex() + 1);
                }
                message = "syntax error: " + SyntaxMessages.rewrite(msg, token);
            }
        }
        if (span.start() == lastOffset) {
            return; // one error per place: ANTLR's recovery can report the same token twice
        }
        lastOffset = span.start();
        count++;
        diagnostics.error(span, message);
    }

    private static Token previous(Recognizer<?, ?> recognizer, Token token) {
        if (!(recognizer instanceof Parser parser) || token.getTokenIndex() <= 0) {
            return null;
        }
        TokenStream tokens = parser.getInputStream();
        return tokens.get(token.getTokenIndex() - 1);
    }
}
