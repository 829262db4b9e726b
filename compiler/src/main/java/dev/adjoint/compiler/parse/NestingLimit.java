package dev.adjoint.compiler.parse;

import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.tree.ErrorNode;
import org.antlr.v4.runtime.tree.ParseTreeListener;
import org.antlr.v4.runtime.tree.TerminalNode;

/**
 * Stops the parser when rules nest deeper than {@link ModelParser#MAX_DEPTH}: a chain of a million operators
 * ({@code - - - x}, {@code x ^ x ^ ...}, {@code x + x + ...}) has no brackets for {@link InputLimits} to count,
 * but would take the parser, and everything after it, minutes to walk.
 */
final class NestingLimit implements ParseTreeListener {
    /** Thrown out of the parser at the token where the limit is passed. */
    static final class TooDeep extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Token token;

        TooDeep(Token token) {
            super(null, null, false, false);
            this.token = token;
        }
    }

    private int depth;

    @Override
    public void enterEveryRule(ParserRuleContext ctx) {
        if (++depth > ModelParser.MAX_DEPTH) {
            throw new TooDeep(ctx.getStart());
        }
    }

    @Override
    public void exitEveryRule(ParserRuleContext ctx) {
        depth--;
    }

    @Override
    public void visitTerminal(TerminalNode node) {
    }

    @Override
    public void visitErrorNode(ErrorNode node) {
    }
}
