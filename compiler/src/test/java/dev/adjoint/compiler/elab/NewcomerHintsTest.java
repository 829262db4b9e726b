package dev.adjoint.compiler.elab;

import static dev.adjoint.compiler.diag.Sources.assertError;
import static dev.adjoint.compiler.diag.Sources.onlyError;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.adjoint.compiler.diag.Diagnostic;
import org.junit.jupiter.api.Test;

/** Messages for the mistakes of someone who comes from PyTorch or from languages with closures. */
class NewcomerHintsTest {

    @Test
    void pytorchsDimIsAxisHere() {
        Diagnostic d = onlyError("""
                model M {
                  input x : f32[2, 3]
                  output p = softmax(x, dim=1)
                }
                """);
        assertError(d, 3, 25, "syntax error: unexpected 'dim'", "the axis is axis= here (PyTorch's dim=)");
        Diagnostic k = onlyError("""
                model M {
                  input x : f32[2, 3]
                  output s = sum(x, axis=1, keepdim=true)
                }
                """);
        assertError(k, 3, 29, "sum: unknown argument 'keepdim'", "(PyTorch's keepdim= is keepdims= here)");
    }

    @Test
    void aDimStatementIsNotMistakenForAKeyword() {
        Diagnostic d = onlyError("""
                model M {
                  input x : f32[2, 3]
                  output p = softmax(x, dim)
                }
                """);
        assertFalse(d.message().contains("PyTorch"), d.header());
    }

    @Test
    void aFnDoesNotSeeTheNamesOfTheModelThatCallsIt() {
        Diagnostic d = onlyError("""
                fn scale(x) = x * h

                model M {
                  input x : f32[3]
                  h = x + 1
                  output y = scale(x)
                }
                """);
        assertError(d, 1, 19, "unknown name 'h' in fn scale: 'h' belongs to the model that calls it, and a fn sees"
                + " only its parameters; pass h as an argument");
        assertFalse(d.message().contains("did you mean"), d.header());
    }

    @Test
    void aNameNoBodyBindsStillGetsASuggestion() {
        Diagnostic d = onlyError("""
                fn scale(x, factor) = x * facter

                model M {
                  input x : f32[3]
                  output y = scale(x, 2)
                }
                """);
        assertError(d, 1, 27, "unknown name 'facter'", "did you mean 'factor'?");
    }
}
