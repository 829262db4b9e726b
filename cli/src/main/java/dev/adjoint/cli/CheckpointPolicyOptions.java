package dev.adjoint.cli;

import dev.adjoint.compiler.Compiler;
import dev.adjoint.compiler.plan.CheckpointPolicy;
import picocli.CommandLine.Option;

/**
 * {@code --checkpoint none|sqrt|budget:SIZE} and {@code --plan-dims B=64}, shared by {@code compile}, {@code grad},
 * {@code train} and {@code show}: which forward values the gradient keeps and which it recomputes, and the dims the
 * memory is planned (and a budget measured) for.
 */
final class CheckpointPolicyOptions {
    @Option(names = "--checkpoint", paramLabel = "POLICY", defaultValue = "none",
            description = "which activations the gradient keeps and which it recomputes in the backward pass: none"
                    + " (default: keep all), sqrt (keep about sqrt(n) of the n segments of the forward chain and"
                    + " recompute each segment once), or budget:SIZE (the least recomputation that keeps the bytes"
                    + " of forward values held for the backward pass within SIZE, such as 64MB, for --plan-dims;"
                    + " params, gradients and inputs are not counted). Gradients are the same under every policy.")
    String checkpoint;

    @Option(names = "--plan-dims", paramLabel = "D=N[,D=N...]",
            description = "values of the dims to plan memory for (B=64): a budget is measured at them, and show"
                    + " --stage memory evaluates its byte counts for them")
    String planDims;

    /** {@code base} with the policy and the plan dims. @throws IllegalArgumentException naming the bad option */
    Compiler.Options apply(Compiler.Options base) {
        return base.withCheckpoint(CheckpointPolicy.parse(checkpoint)).withPlanDims(CheckpointPolicy.parseDims(planDims));
    }
}
