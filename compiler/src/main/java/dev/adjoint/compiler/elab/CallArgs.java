package dev.adjoint.compiler.elab;

import dev.adjoint.compiler.ast.Ast;
import dev.adjoint.compiler.diag.Diagnostics;
import dev.adjoint.compiler.diag.Span;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The evaluated arguments of a call, and their matching against a parameter list. */
final class CallArgs {
    /** One argument: its value and where it was written. */
    record Arg(Value value, Span span) {
    }

    final String fn;
    final Span callSpan;
    final List<Arg> positional = new ArrayList<>();
    final Map<String, Arg> keywords = new LinkedHashMap<>();
    final Map<String, Span> keywordSpans = new LinkedHashMap<>();

    CallArgs(String fn, Span callSpan) {
        this.fn = fn;
        this.callSpan = callSpan;
    }

    int count() {
        return positional.size() + keywords.size();
    }

    /** True when some argument already failed to evaluate (its error was reported). */
    boolean anyError() {
        return positional.stream().anyMatch(a -> a.value() instanceof Value.Err)
                || keywords.values().stream().anyMatch(a -> a.value() instanceof Value.Err);
    }

    /**
     * Matches the arguments to {@code names}, of which the first {@code required} must be given. Returns one
     * slot per name (null where not given), or null after reporting what is wrong.
     */
    Arg[] bind(Diagnostics diagnostics, int required, String... names) {
        Arg[] slots = new Arg[names.length];
        String signature = fn + "(" + String.join(", ", names) + ")";
        if (positional.size() > names.length) {
            diagnostics.error(positional.get(names.length).span(), fn + ": too many arguments: expected at most "
                    + names.length + " (" + signature + "), got " + positional.size());
            return null;
        }
        for (int i = 0; i < positional.size(); i++) {
            slots[i] = positional.get(i);
        }
        boolean ok = true;
        for (Map.Entry<String, Arg> kw : keywords.entrySet()) {
            int index = List.of(names).indexOf(kw.getKey());
            if (index < 0) {
                diagnostics.error(keywordSpans.get(kw.getKey()), fn + ": unknown argument '" + kw.getKey()
                        + "'; expected " + signature + torchHint(kw.getKey(), names));
                ok = false;
            } else if (slots[index] != null) {
                diagnostics.error(keywordSpans.get(kw.getKey()), fn + ": argument '" + kw.getKey()
                        + "' given twice");
                ok = false;
            } else {
                slots[index] = kw.getValue();
            }
        }
        for (int i = 0; i < required && ok; i++) {
            if (slots[i] == null) {
                diagnostics.error(callSpan, fn + ": missing argument '" + names[i] + "': expected " + signature
                        + ", got " + count() + (count() == 1 ? " argument" : " arguments"));
                ok = false;
            }
        }
        return ok ? slots : null;
    }

    /** PyTorch's keyword for the one this language spells otherwise: {@code dim=} is {@code axis=} here, ... */
    private static final Map<String, String> TORCH_NAMES = Map.of("dim", "axis", "keepdim", "keepdims",
            "kernel_size", "size");

    private static String torchHint(String given, String[] names) {
        String ours = TORCH_NAMES.get(given);
        return ours != null && List.of(names).contains(ours)
                ? " (PyTorch's " + given + "= is " + ours + "= here)" : "";
    }

    static CallArgs of(String fn, Ast.Call call) {
        return new CallArgs(fn, call.span());
    }
}
