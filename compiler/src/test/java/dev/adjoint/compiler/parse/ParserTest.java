package dev.adjoint.compiler.parse;

import static dev.adjoint.compiler.diag.Sources.assertError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.compiler.ast.Ast;
import dev.adjoint.compiler.diag.Diagnostic;
import dev.adjoint.compiler.diag.Diagnostics;
import dev.adjoint.compiler.diag.SourceFile;
import dev.adjoint.compiler.diag.Sources;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The grammar of LANGUAGE.md: every construct parses to the right AST; broken input is a positioned syntax error. */
class ParserTest {

    // ------------------------------------------------------------------ accepted

    @Test
    void everyConstructOfTheLanguageParses() {
        Ast.FileAst file = parse("""
                /* A file with every construct.
                   Block comments span lines. */
                fn dense(x, W, b) = x @ W + b          // expression fn
                fn block(x, W, b, scale=1.0, eps=1e-5,) {
                  z = dense(x, W, b);
                  return tanh(z) * scale
                }
                model Everything {
                  dim A, B
                  const L = 3
                  const eps = 1e-3
                  input x : f32[B, 64]
                  input grad g : f64[3]
                  input y : i32[B]
                  param W[L] : f32[64, 64] = he_normal
                  param b[L] : f32[64] = constant(0.5)
                  param s : f64 = uniform(-0.1, 0.1)
                  param t : f64[] = normal(0, 0.02)
                  param u : f32[2*L]
                  h = x
                  for i in 0..L {
                    h = block(h, W[i], b[i], scale=0.5)
                  }
                  h = h; h = relu(h)
                  output probs = softmax(h, axis=-1)
                  loss nll = mean(cross_entropy(h, y))
                }
                model Tiny { input x : f64; loss = x * x }
                """);
        assertEquals(List.of("dense", "block"), file.fns().stream().map(f -> f.name().name()).toList());
        assertEquals(List.of("Everything", "Tiny"), file.models().stream().map(m -> m.name().name()).toList());
        List<String> kinds = file.models().get(0).body().stream().map(s -> s.getClass().getSimpleName()).toList();
        assertEquals(List.of("DimDecl", "ConstDecl", "ConstDecl", "InputDecl", "InputDecl", "InputDecl", "ParamDecl",
                "ParamDecl", "ParamDecl", "ParamDecl", "ParamDecl", "Assign", "ForLoop", "Assign", "Assign",
                "OutputDecl", "LossDecl"), kinds);
    }

    @Test
    void functionsHaveExpressionOrBlockBodiesAndDefaults() {
        Ast.FileAst file = parse("""
                fn dense(x, W, b=0.0) = x @ W + b
                fn block(x, k=2) {
                  z = x * k
                  return z
                }
                model M { input x : f32 }
                """);
        Ast.FnDecl dense = file.fns().get(0);
        assertEquals("(+ (@ x W) b)", sexpr(dense.exprBody()));
        assertNull(dense.blockBody());
        assertNull(dense.params().get(0).defaultValue());
        assertEquals("0.0", sexpr(dense.params().get(2).defaultValue()));
        Ast.FnDecl block = file.fns().get(1);
        assertNull(block.exprBody());
        assertEquals(2, block.blockBody().size());
        assertInstanceOf(Ast.Return.class, block.blockBody().get(1));
        assertEquals("2", sexpr(block.params().get(1).defaultValue()));
    }

    @Test
    void declarations() {
        List<Ast.Stmt> body = body("""
                dim A, B
                const H = 2*4
                input x : f32[B, H]
                input grad g : f64[3]
                param W[4] : f32[H, H] = glorot_uniform
                param c : f64
                output o = x
                loss named = sum(x)
                loss = sum(x)
                """);
        Ast.DimDecl dims = (Ast.DimDecl) body.get(0);
        assertEquals(List.of("A", "B"), dims.names().stream().map(Ast.Ident::name).toList());
        assertEquals("(* 2 4)", sexpr(((Ast.ConstDecl) body.get(1)).value()));
        Ast.InputDecl x = (Ast.InputDecl) body.get(2);
        assertFalse(x.grad());
        assertEquals("f32", x.type().elem().name());
        assertEquals(List.of("B", "H"), x.type().dims().stream().map(ParserTest::sexpr).toList());
        Ast.InputDecl g = (Ast.InputDecl) body.get(3);
        assertTrue(g.grad());
        assertEquals("g", g.name().name());
        Ast.ParamDecl w = (Ast.ParamDecl) body.get(4);
        assertEquals("4", sexpr(w.count()));
        assertEquals("glorot_uniform", sexpr(w.init()));
        Ast.ParamDecl c = (Ast.ParamDecl) body.get(5);
        assertNull(c.count());
        assertNull(c.init());
        assertTrue(c.type().dims().isEmpty());
        assertEquals("named", ((Ast.LossDecl) body.get(7)).name().name());
        assertEquals("loss", ((Ast.LossDecl) body.get(8)).name().name());
    }

    @Test
    void gradIsAKeywordOnlyRightAfterInput() {
        List<Ast.Stmt> body = body("""
                input grad grad : f32[3]
                input grad : f32[3]
                grad = grad * 2
                """);
        Ast.InputDecl first = (Ast.InputDecl) body.get(0);
        assertTrue(first.grad());
        assertEquals("grad", first.name().name());
        Ast.InputDecl second = (Ast.InputDecl) body.get(1);
        assertFalse(second.grad());
        assertEquals("grad", second.name().name());
        assertEquals("grad", ((Ast.Assign) body.get(2)).name().name());
    }

    @Test
    void forLoopsAndRebinding() {
        List<Ast.Stmt> body = body("""
                h = x
                for i in 0..L { h = h @ W[i] }
                for j in 1..2*L {
                  h = h
                }
                """);
        Ast.ForLoop loop = (Ast.ForLoop) body.get(1);
        assertEquals("i", loop.var().name());
        assertEquals("0", sexpr(loop.from()));
        assertEquals("L", sexpr(loop.to()));
        assertEquals("(@ h W[i])", sexpr(((Ast.Assign) loop.body().get(0)).value()));
        Ast.ForLoop second = (Ast.ForLoop) body.get(2);
        assertEquals("1", sexpr(second.from()));
        assertEquals("(* 2 L)", sexpr(second.to()));
    }

    @ParameterizedTest(name = "{0}  ==>  {1}")
    @CsvSource(delimiter = '|', value = {
        "-x^2              | (- (^ x 2))",
        "a + b * c         | (+ a (* b c))",
        "a * b + c         | (+ (* a b) c)",
        "a - b - c         | (- (- a b) c)",
        "a / b * c         | (* (/ a b) c)",
        "x ^ y ^ z         | (^ x (^ y z))",
        "2 ^ -x            | (^ 2 (- x))",
        "-a * b            | (* (- a) b)",
        "a < b + c         | (< a (+ b c))",
        "a + b >= c * d    | (>= (+ a b) (* c d))",
        "a == b - 1        | (== a (- b 1))",
        "x @ W + b         | (+ (@ x W) b)",
        "x @ W * 2         | (* (@ x W) 2)",
        "x.T @ y           | (@ (.T x) y)",
        "-x.T              | (- (.T x))",
        "x.T ^ 2           | (^ (.T x) 2)",
        "(a + b) * c       | (* (+ a b) c)",
        "f(x)[0].T         | (.T f(x)[0])",
        "+x - -y           | (- (+ x) (- y))",
    })
    void precedenceAndAssociativity(String source, String tree) {
        assertEquals(tree, sexpr(expr(source)));
    }

    @Test
    void slicesWithOpenNegativeAndConstBounds() {
        assertEquals("x[:, 1:3]", sexpr(expr("x[:, 1:3]")));
        assertEquals("x[(- 2):]", sexpr(expr("x[-2:]")));
        assertEquals("x[:(* 2 H)]", sexpr(expr("x[:2*H]")));
        assertEquals("x[H:(- 1), 0]", sexpr(expr("x[H:-1, 0]")));
        assertEquals("x[:]", sexpr(expr("x[:,]")));
        Ast.Subscript s = (Ast.Subscript) expr("x[:, 1:, :3, 2]");
        Ast.Range all = (Ast.Range) s.subs().get(0);
        assertNull(all.lo());
        assertNull(all.hi());
        assertNull(((Ast.Range) s.subs().get(1)).hi());
        assertNull(((Ast.Range) s.subs().get(2)).lo());
        assertInstanceOf(Ast.Index.class, s.subs().get(3));
    }

    @Test
    void callsWithKeywordArgumentsAndListLiterals() {
        Ast.Call c = (Ast.Call) expr("sum(x, axis=[0, -1], keepdims=true,)");
        assertEquals("sum", c.callee().name());
        assertEquals(3, c.args().size());
        assertNull(c.args().get(0).key());
        assertEquals("axis", c.args().get(1).key().name());
        assertEquals("[0, (- 1)]", sexpr(c.args().get(1).value()));
        assertEquals("true", sexpr(c.args().get(2).value()));
        assertEquals("f()", sexpr(expr("f()")));
        assertEquals("[]", sexpr(expr("[]")));
        assertEquals("[1, [2, 3]]", sexpr(expr("[1, [2, 3],]")));
    }

    @Test
    void numbers() {
        assertNumber("3", 3, true);
        assertNumber("0.5", 0.5, false);
        assertNumber("1e-3", 1e-3, false);
        assertNumber("2.5E+4", 2.5e4, false);
        assertNumber("10E2", 1000, false);
    }

    @Test
    void commentsAndSemicolonsAreIgnored() {
        Ast.FileAst file = parse("""
                // a line comment before anything
                model M { /* inline */ input x : f32[3]; y = x; ; output z = y // trailing
                  /* a block comment
                     over two lines */ w = /* inside an expression */ x
                };
                ;
                """);
        List<Ast.Stmt> body = file.models().get(0).body();
        assertEquals(4, body.size());
        assertEquals("x", sexpr(((Ast.Assign) body.get(3)).value()));
    }

    @Test
    void javaKeywordsAreOrdinaryNames() {
        Ast.FileAst file = parse("""
                fn static(public, void) = public + void
                model class {
                  input new : f32[3]
                  param int : f32[3] = zeros
                  this = static(new, int)
                  output return_ = this
                }
                """);
        assertEquals("class", file.models().get(0).name().name());
        assertEquals("static", file.fns().get(0).name().name());
        assertEquals("static(new, int)", sexpr(((Ast.Assign) file.models().get(0).body().get(2)).value()));
    }

    @Test
    void spansPointAtTheirTokens() {
        Ast.FileAst file = parse("model M {\n  input x : f32[3]\n  y = x + x\n}\n");
        Ast.Assign y = (Ast.Assign) file.models().get(0).body().get(1);
        Ast.Binary plus = (Ast.Binary) y.value();
        assertEquals("t.model:3:9", plus.opSpan().where());
        assertEquals("t.model:3:7", plus.span().where());
        assertEquals("t.model:3:3", y.name().span().where());
    }

    // ------------------------------------------------------------------ rejected

    @Test
    void missingClosingParenthesisIsReportedWhereTheLineEnds() {
        Diagnostic d = onlySyntaxError("""
                model M {
                  input x : f32[3]
                  y = exp(x
                  output z = y
                }
                """);
        assertError(d, 3, 12, "syntax error", "expected ')'");
    }

    @Test
    void missingClosingParenthesisOnTheSameLine() {
        Diagnostic d = onlySyntaxError("model M {\n  input x : f32[3]\n  y = exp(x ]\n}\n");
        assertError(d, 3, 13, "syntax error", "unexpected ']'", "')'");
    }

    @Test
    void modelWithoutAName() {
        assertError(onlySyntaxError("model {\n  input x : f32[3]\n}\n"), 1, 7, "syntax error", "missing a name");
    }

    @Test
    void strayCharacterIsOneError() {
        Diagnostic d = onlySyntaxError("model M {\n  input x : f32[3]\n  y = x $ 2\n}\n");
        assertError(d, 3, 9, "syntax error", "unexpected character '$'");
    }

    @Test
    void unterminatedBlockComment() {
        Diagnostic d = onlySyntaxError("model M {\n  input x : f32[3]\n  /* no end, don't $ care\n  y = x\n}\n");
        assertError(d, 3, 3, "syntax error", "unterminated block comment");
    }

    @Test
    void blockCommentOpenerInsideALineCommentIsJustText() {
        parse("model M { input x : f32[3] // not a /* comment\n output y = x }\n");
    }

    @Test
    void unknownWordBetweenInputAndTheName() {
        Diagnostic d = onlySyntaxError("model M {\n  input foo x : f32\n}\n");
        assertError(d, 2, 13, "syntax error", "'x'", "input grad");
    }

    @Test
    void operatorAtTheEndOfALine() {
        Diagnostic d = onlySyntaxError("model M {\n  input x : f32[3]\n  output y = x +\n}\n");
        assertError(d, 3, 17, "syntax error", "expected an expression after '+'");
    }

    @Test
    void missingClosingBraceAtEndOfFile() {
        Diagnostic d = onlySyntaxError("model M {\n  input x : f32[3]\n  output y = x\n\n// done\n");
        assertError(d, 3, 15, "syntax error", "end of file", "'}'");
    }

    @Test
    void missingTokenListsWhatWasExpectedReadably() {
        Diagnostic d = onlySyntaxError("model M {\n  input x : f32[3]\n  y = f(x y)\n}\n");
        assertError(d, 3, 11, "syntax error", "')' or ','");
    }

    @Test
    void independentSyntaxErrorsAreEachReportedOnceWithoutCascades() {
        List<Diagnostic> all = syntaxErrors("""
                model M {
                  input x : f32[3]
                  a = x +* 2
                  b = x
                  c = (x
                  d = x
                  e = exp(x))
                }
                fn f(a b) = a
                """);
        assertEquals(4, all.size(), all::toString);
        assertError(all.get(0), 3, 10, "unexpected '*'");
        assertError(all.get(1), 5, 9, "expected ')' after 'x'");
        assertError(all.get(2), 7, 13, "unexpected ')'");
        assertError(all.get(3), 9, 8, "unexpected 'b'");
    }

    @Test
    void aFileWithSyntaxErrorsHasNoAst() {
        Diagnostics diagnostics = new Diagnostics();
        assertNull(ModelParser.parse(new SourceFile(Sources.FILE, "model M { y = }"), diagnostics));
        assertTrue(diagnostics.hasErrors());
    }

    // ------------------------------------------------------------------ helpers

    private static Ast.FileAst parse(String text) {
        Diagnostics diagnostics = new Diagnostics();
        Ast.FileAst file = ModelParser.parse(new SourceFile(Sources.FILE, text), diagnostics);
        assertFalse(diagnostics.hasErrors(), diagnostics::format);
        assertNotNull(file);
        return file;
    }

    private static List<Ast.Stmt> body(String statements) {
        return parse("model M {\n" + statements + "}\n").models().get(0).body();
    }

    private static Ast.Expr expr(String source) {
        return ((Ast.Assign) body("v = " + source + "\n").get(0)).value();
    }

    private static List<Diagnostic> syntaxErrors(String text) {
        Diagnostics diagnostics = new Diagnostics();
        assertNull(ModelParser.parse(new SourceFile(Sources.FILE, text), diagnostics));
        List<Diagnostic> all = diagnostics.sorted();
        all.forEach(d -> assertTrue(d.message().startsWith("syntax error: "), d::header));
        return all;
    }

    private static Diagnostic onlySyntaxError(String text) {
        List<Diagnostic> all = syntaxErrors(text);
        assertEquals(1, all.size(), all::toString);
        return all.get(0);
    }

    private static void assertNumber(String text, double value, boolean integral) {
        Ast.NumberLit n = (Ast.NumberLit) expr(text);
        assertEquals(value, n.value(), 0.0);
        assertEquals(integral, n.integral(), text);
    }

    /** A compact prefix form of an expression: {@code (+ a (* b c))}, {@code f(x, k=1)}, {@code x[1:3, :]}. */
    static String sexpr(Ast.Expr e) {
        if (e instanceof Ast.NumberLit n) {
            return n.integral() ? Long.toString((long) n.value()) : Double.toString(n.value());
        } else if (e instanceof Ast.BoolLit b) {
            return Boolean.toString(b.value());
        } else if (e instanceof Ast.Name n) {
            return n.name();
        } else if (e instanceof Ast.ListLit l) {
            return l.items().stream().map(ParserTest::sexpr).collect(Collectors.joining(", ", "[", "]"));
        } else if (e instanceof Ast.Unary u) {
            return "(" + u.op() + " " + sexpr(u.operand()) + ")";
        } else if (e instanceof Ast.Binary b) {
            return "(" + b.op() + " " + sexpr(b.left()) + " " + sexpr(b.right()) + ")";
        } else if (e instanceof Ast.Call c) {
            return c.callee().name() + c.args().stream()
                    .map(a -> (a.key() == null ? "" : a.key().name() + "=") + sexpr(a.value()))
                    .collect(Collectors.joining(", ", "(", ")"));
        } else if (e instanceof Ast.Member m) {
            return "(." + m.member().name() + " " + sexpr(m.target()) + ")";
        } else if (e instanceof Ast.Subscript s) {
            return sexpr(s.target())
                    + s.subs().stream().map(ParserTest::sub).collect(Collectors.joining(", ", "[", "]"));
        }
        throw new AssertionError(e);
    }

    private static String sub(Ast.Sub s) {
        if (s instanceof Ast.Index i) {
            return sexpr(i.index());
        }
        Ast.Range r = (Ast.Range) s;
        return (r.lo() == null ? "" : sexpr(r.lo())) + ":" + (r.hi() == null ? "" : sexpr(r.hi()));
    }
}
