package dev.adjoint.compiler.parse;

import dev.adjoint.compiler.ast.Ast;
import dev.adjoint.compiler.diag.Diagnostics;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.diag.Span;
import dev.adjoint.grammar.AdjointBaseVisitor;
import dev.adjoint.grammar.AdjointParser;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/** Builds the AST from a parse tree that has no syntax errors. Checks the few rules the grammar leaves open. */
final class AstBuilder extends AdjointBaseVisitor<Ast.Expr> {
    private final SourceFile source;
    private final Diagnostics diagnostics;

    AstBuilder(SourceFile source, Diagnostics diagnostics) {
        this.source = source;
        this.diagnostics = diagnostics;
    }

    Ast.FileAst file(AdjointParser.FileContext ctx) {
        List<Ast.ModelDecl> models = new ArrayList<>();
        List<Ast.FnDecl> fns = new ArrayList<>();
        List<Ast.ConstDecl> consts = new ArrayList<>();
        for (AdjointParser.TopItemContext item : ctx.topItem()) {
            if (item.modelDecl() != null) {
                models.add(model(item.modelDecl()));
            } else if (item.fnDecl() != null) {
                fns.add(fn(item.fnDecl()));
            } else if (item.constDecl() != null) {
                AdjointParser.ConstDeclContext c = item.constDecl();
                consts.add(new Ast.ConstDecl(span(c), ident(c.name), expr(c.expr())));
            }
        }
        return new Ast.FileAst(source, List.copyOf(models), List.copyOf(fns), List.copyOf(consts));
    }

    private Ast.ModelDecl model(AdjointParser.ModelDeclContext ctx) {
        return new Ast.ModelDecl(span(ctx), ident(ctx.name), stmts(ctx.stmt()));
    }

    private Ast.FnDecl fn(AdjointParser.FnDeclContext ctx) {
        List<Ast.FnParam> params = new ArrayList<>();
        for (AdjointParser.FnParamContext p : ctx.fnParam()) {
            params.add(new Ast.FnParam(ident(p.ident()), p.expr() == null ? null : expr(p.expr())));
        }
        Ast.Expr body = ctx.body == null ? null : expr(ctx.body);
        List<Ast.Stmt> block = ctx.block() == null ? null : stmts(ctx.block().stmt());
        return new Ast.FnDecl(span(ctx), ident(ctx.name), List.copyOf(params), body, block);
    }

    private List<Ast.Stmt> stmts(List<AdjointParser.StmtContext> list) {
        List<Ast.Stmt> out = new ArrayList<>();
        for (AdjointParser.StmtContext s : list) {
            Ast.Stmt stmt = stmt(s);
            if (stmt != null) {
                out.add(stmt);
            }
        }
        return List.copyOf(out);
    }

    private Ast.Stmt stmt(AdjointParser.StmtContext ctx) {
        Span span = span(ctx);
        if (ctx instanceof AdjointParser.DimStmtContext d) {
            return new Ast.DimDecl(span, d.ident().stream().map(this::ident).toList());
        } else if (ctx instanceof AdjointParser.ConstStmtContext c) {
            return new Ast.ConstDecl(span, ident(c.ident()), expr(c.expr()));
        } else if (ctx instanceof AdjointParser.InputStmtContext in) {
            boolean grad = false;
            if (in.gradWord != null) {
                if (in.gradWord.getText().equals("grad")) {
                    grad = true;
                } else {
                    diagnostics.error(span(in.name), "syntax error: unexpected '" + in.name.getText()
                            + "' after 'input " + in.gradWord.getText() + "'; expected ':' (or write 'input grad "
                            + in.name.getText() + "')");
                }
            }
            return new Ast.InputDecl(span, ident(in.name), grad, type(in.typeSpec()));
        } else if (ctx instanceof AdjointParser.ParamStmtContext p) {
            return new Ast.ParamDecl(span, ident(p.name), p.count == null ? null : expr(p.count), type(p.typeSpec()),
                    p.init == null ? null : expr(p.init));
        } else if (ctx instanceof AdjointParser.OutputStmtContext o) {
            return new Ast.OutputDecl(span, ident(o.ident()), expr(o.expr()));
        } else if (ctx instanceof AdjointParser.LossStmtContext l) {
            Ast.Ident name = l.ident() == null
                    ? new Ast.Ident(span(l.start), "loss")
                    : ident(l.ident());
            return new Ast.LossDecl(span, name, expr(l.expr()));
        } else if (ctx instanceof AdjointParser.ForStmtContext f) {
            return new Ast.ForLoop(span, ident(f.ident()), expr(f.from), expr(f.to), stmts(f.block().stmt()));
        } else if (ctx instanceof AdjointParser.ReturnStmtContext r) {
            if (r.expr().size() == 1) {
                return new Ast.Return(span, expr(r.expr(0)));
            }
            Span values = span(r.expr(0).getStart().getStartIndex(),
                    r.expr(r.expr().size() - 1).getStop().getStopIndex() + 1);
            return new Ast.Return(span, new Ast.Tuple(values, r.expr().stream().map(this::expr).toList()));
        } else if (ctx instanceof AdjointParser.UnpackStmtContext u) {
            return new Ast.Unpack(span, u.ident().stream().map(this::ident).toList(), expr(u.expr()));
        } else if (ctx instanceof AdjointParser.AssignStmtContext a) {
            return new Ast.Assign(span, ident(a.ident()), expr(a.expr()));
        }
        return null; // EmptyStmt: a lone ';'
    }

    private Ast.TypeRef type(AdjointParser.TypeSpecContext ctx) {
        List<Ast.Expr> dims = ctx.expr().stream().map(this::expr).toList();
        return new Ast.TypeRef(span(ctx), ident(ctx.elem), dims);
    }

    private Ast.Ident ident(AdjointParser.IdentContext ctx) {
        return new Ast.Ident(span(ctx), ctx.getText());
    }

    private Ast.Expr expr(AdjointParser.ExprContext ctx) {
        return visit(ctx);
    }

    // ------------------------------------------------------------------ expressions

    @Override
    public Ast.Expr visitNumberExpr(AdjointParser.NumberExprContext ctx) {
        String text = ctx.getText();
        boolean integral = text.chars().allMatch(Character::isDigit);
        double value = Double.parseDouble(text);
        if (Double.isInfinite(value)) {
            diagnostics.error(span(ctx), "number " + text + " is too large");
            value = 0;
        }
        return new Ast.NumberLit(span(ctx), value, integral);
    }

    @Override
    public Ast.Expr visitBoolExpr(AdjointParser.BoolExprContext ctx) {
        return new Ast.BoolLit(span(ctx), ctx.TRUE() != null);
    }

    @Override
    public Ast.Expr visitNameExpr(AdjointParser.NameExprContext ctx) {
        return new Ast.Name(span(ctx), ctx.getText());
    }

    @Override
    public Ast.Expr visitParenExpr(AdjointParser.ParenExprContext ctx) {
        return expr(ctx.expr());
    }

    @Override
    public Ast.Expr visitListExpr(AdjointParser.ListExprContext ctx) {
        return new Ast.ListLit(span(ctx), ctx.expr().stream().map(this::expr).toList());
    }

    @Override
    public Ast.Expr visitUnaryExpr(AdjointParser.UnaryExprContext ctx) {
        return new Ast.Unary(span(ctx), ctx.op.getText(), expr(ctx.expr()));
    }

    @Override
    public Ast.Expr visitPowerExpr(AdjointParser.PowerExprContext ctx) {
        return binary(ctx, ctx.CARET().getSymbol(), ctx.expr(0), ctx.expr(1));
    }

    @Override
    public Ast.Expr visitMulExpr(AdjointParser.MulExprContext ctx) {
        return binary(ctx, ctx.op, ctx.expr(0), ctx.expr(1));
    }

    @Override
    public Ast.Expr visitAddExpr(AdjointParser.AddExprContext ctx) {
        return binary(ctx, ctx.op, ctx.expr(0), ctx.expr(1));
    }

    @Override
    public Ast.Expr visitCompareExpr(AdjointParser.CompareExprContext ctx) {
        return binary(ctx, ctx.op, ctx.expr(0), ctx.expr(1));
    }

    private Ast.Expr binary(ParserRuleContext ctx, Token op, AdjointParser.ExprContext l, AdjointParser.ExprContext r) {
        return new Ast.Binary(span(ctx), op.getText(), span(op), expr(l), expr(r));
    }

    @Override
    public Ast.Expr visitCallExpr(AdjointParser.CallExprContext ctx) {
        List<Ast.Arg> args = new ArrayList<>();
        for (AdjointParser.ArgContext a : ctx.arg()) {
            args.add(new Ast.Arg(span(a), a.key == null ? null : ident(a.key), expr(a.expr())));
        }
        return new Ast.Call(span(ctx), ident(ctx.callee), List.copyOf(args));
    }

    @Override
    public Ast.Expr visitMemberExpr(AdjointParser.MemberExprContext ctx) {
        return new Ast.Member(span(ctx), expr(ctx.expr()), ident(ctx.member));
    }

    @Override
    public Ast.Expr visitSubscriptExpr(AdjointParser.SubscriptExprContext ctx) {
        List<Ast.Sub> subs = new ArrayList<>();
        for (AdjointParser.SubscriptContext s : ctx.subscript()) {
            if (s instanceof AdjointParser.SliceSubscriptContext r) {
                subs.add(new Ast.Range(span(r), r.lo == null ? null : expr(r.lo), r.hi == null ? null : expr(r.hi),
                        r.step == null ? null : expr(r.step)));
            } else {
                subs.add(new Ast.Index(span(s), expr(((AdjointParser.IndexSubscriptContext) s).expr())));
            }
        }
        return new Ast.Subscript(span(ctx), expr(ctx.expr()), List.copyOf(subs));
    }

    // ------------------------------------------------------------------ spans

    private Span span(ParserRuleContext ctx) {
        int start = ctx.getStart().getStartIndex();
        Token stop = ctx.getStop() == null ? ctx.getStart() : ctx.getStop();
        return span(start, Math.max(start, stop.getStopIndex() + 1));
    }

    private Span span(int start, int end) {
        // Point at the first line only: a caret that spans lines would be misleading.
        int newline = source.text().indexOf('\n', start);
        if (newline >= 0 && newline < end) {
            end = newline;
        }
        return source.spanAt(start, end - start);
    }

    private Span span(Token token) {
        return source.spanAt(token.getStartIndex(), token.getStopIndex() - token.getStartIndex() + 1);
    }
}
