package dev.adjoint.compiler.ast;

import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.diag.Span;
import java.util.List;

/**
 * The abstract syntax of a {@code .model} file: immutable records, each carrying its source span.
 * The ANTLR parse tree never leaves the front end; everything after parsing works on these.
 */
public final class Ast {
    private Ast() {
    }

    /** A whole file: its models, top-level functions and top-level {@code const}s, in source order. */
    public record FileAst(SourceFile source, List<ModelDecl> models, List<FnDecl> fns, List<ConstDecl> consts) {
        /** A file without top-level {@code const}s. */
        public FileAst(SourceFile source, List<ModelDecl> models, List<FnDecl> fns) {
            this(source, models, fns, List.of());
        }
    }

    /** A name as written, with its place. */
    public record Ident(Span span, String name) {
    }

    public record ModelDecl(Span span, Ident name, List<Stmt> body) {
    }

    /** {@code fn f(a, b=1) = expr} (exprBody set) or {@code fn f(a) { ... return e }} (blockBody set). */
    public record FnDecl(Span span, Ident name, List<FnParam> params, Expr exprBody, List<Stmt> blockBody) {
    }

    /** A function parameter with an optional default (null when none). */
    public record FnParam(Ident name, Expr defaultValue) {
    }

    /** {@code f32[B, 64]}; {@code dims} is empty for a scalar ({@code f64[]} or {@code f64}). */
    public record TypeRef(Span span, Ident elem, List<Expr> dims) {
    }

    // ------------------------------------------------------------------ statements

    public sealed interface Stmt {
        Span span();
    }

    public record DimDecl(Span span, List<Ident> names) implements Stmt {
    }

    public record ConstDecl(Span span, Ident name, Expr value) implements Stmt {
    }

    public record InputDecl(Span span, Ident name, boolean grad, TypeRef type) implements Stmt {
    }

    /** {@code param W[count] : type = init}; count and init are null when absent. */
    public record ParamDecl(Span span, Ident name, Expr count, TypeRef type, Expr init) implements Stmt {
    }

    public record OutputDecl(Span span, Ident name, Expr value) implements Stmt {
    }

    /** {@code loss name = expr}; {@code loss = expr} has the name {@code loss}. */
    public record LossDecl(Span span, Ident name, Expr value) implements Stmt {
    }

    /** {@code for v in from..to { body }}, unrolled at compile time. */
    public record ForLoop(Span span, Ident var, Expr from, Expr to, List<Stmt> body) implements Stmt {
    }

    /** {@code return e}, or {@code return a, b} (a fn that returns several values: {@code value} is a {@link Tuple}).
     */
    public record Return(Span span, Expr value) implements Stmt {
    }

    public record Assign(Span span, Ident name, Expr value) implements Stmt {
    }

    /** {@code a, b = f(...)}: binds the values a fn returns, by position. */
    public record Unpack(Span span, List<Ident> names, Expr value) implements Stmt {
    }

    // ------------------------------------------------------------------ expressions

    public sealed interface Expr {
        Span span();
    }

    /** A number literal; {@code integral} when written without a fraction or exponent. */
    public record NumberLit(Span span, double value, boolean integral) implements Expr {
    }

    public record BoolLit(Span span, boolean value) implements Expr {
    }

    public record Name(Span span, String name) implements Expr {
    }

    public record ListLit(Span span, List<Expr> items) implements Expr {
    }

    /** The values of {@code return a, b}: only a return statement writes one. */
    public record Tuple(Span span, List<Expr> items) implements Expr {
    }

    /** Prefix {@code -x} or {@code +x}. */
    public record Unary(Span span, String op, Expr operand) implements Expr {
    }

    /** An infix operation: {@code + - * / @ ^ < <= > >= == !=}; {@code opSpan} is the operator token. */
    public record Binary(Span span, String op, Span opSpan, Expr left, Expr right) implements Expr {
    }

    public record Call(Span span, Ident callee, List<Arg> args) implements Expr {
    }

    /** A call argument; {@code key} is null for a positional argument. */
    public record Arg(Span span, Ident key, Expr value) {
    }

    /** {@code target.member}; only {@code .T} is defined. */
    public record Member(Span span, Expr target, Ident member) implements Expr {
    }

    /** {@code target[s0, s1, ...]}: slicing a tensor or indexing a param array. */
    public record Subscript(Span span, Expr target, List<Sub> subs) implements Expr {
    }

    public sealed interface Sub {
        Span span();
    }

    /** A single index {@code i}. */
    public record Index(Span span, Expr index) implements Sub {
    }

    /** A range {@code lo:hi} or {@code lo:hi:step}; either bound and the step may be null (open, or 1). */
    public record Range(Span span, Expr lo, Expr hi, Expr step) implements Sub {
        /** A range without a step. */
        public Range(Span span, Expr lo, Expr hi) {
            this(span, lo, hi, null);
        }
    }
}
