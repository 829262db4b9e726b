package dev.adjoint.maven;

import dev.adjoint.compiler.diag.Diagnostic;
import dev.adjoint.compiler.plan.CheckpointPolicy;
import dev.adjoint.runtime.check.GradientCheck;
import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.lang.model.SourceVersion;
import org.apache.maven.model.Plugin;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecution;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Compiles the {@code .model} files under {@link #sourceDirectory} to Java sources in
 * {@link #outputDirectory} and adds that directory to the project's compile source roots. The work is done
 * by {@link ModelSourceGenerator}; this class only maps Maven parameters onto it and its outcome onto the
 * build log.
 */
@Mojo(name = "generate", defaultPhase = LifecyclePhase.GENERATE_SOURCES, threadSafe = true)
public class GenerateMojo extends AbstractMojo {
    /** How many error headers the failure message (the summary at the end of the build) repeats. */
    private static final int ERRORS_IN_SUMMARY = 10;

    /** The root of the model tree: {@code com/acme/digits.model} is compiled into package {@code com.acme}. */
    @Parameter(property = "adjoint.sourceDirectory", defaultValue = "${project.basedir}/src/main/models")
    File sourceDirectory;

    /** Where the generated model classes go; added as a compile source root. */
    @Parameter(defaultValue = "${project.build.directory}/generated-sources/adjoint")
    File outputDirectory;

    /** Where the generated gradient tests go (with {@link #generateTests}); added as a test source root. */
    @Parameter(defaultValue = "${project.build.directory}/generated-test-sources/adjoint")
    File testOutputDirectory;

    /** One Java package for every model, instead of the package given by each model's directory. */
    @Parameter(property = "adjoint.packageName")
    String packageName;

    /**
     * Also generate a JUnit 5 test per model that checks its gradients against finite differences; the test
     * sources need {@code adjoint-runtime} and {@code junit-jupiter-api} on the test class path.
     */
    @Parameter(property = "adjoint.generateTests", defaultValue = "false")
    boolean generateTests;

    /** Maven's {@code skipTests}: the generated tests would not run anyway, so Surefire is not checked. */
    @Parameter(property = "skipTests", defaultValue = "false", readonly = true)
    boolean skipTests;

    /** Maven's {@code maven.test.skip}: as {@link #skipTests}. */
    @Parameter(property = "maven.test.skip", defaultValue = "false", readonly = true)
    boolean skipTestCompile;

    /**
     * Which forward values the generated gradients keep and which they recompute in the backward pass:
     * {@code none} (keep all), {@code sqrt}, or {@code budget:SIZE} (such as {@code budget:64MB}, for
     * {@link #planDims}); as {@code adjoint compile --checkpoint}. Gradients are the same under every policy.
     */
    @Parameter(property = "adjoint.checkpoint", defaultValue = "none")
    String checkpoint;

    /** The dims memory is planned for ({@code B=64}, several separated by commas), as {@code --plan-dims}. */
    @Parameter(property = "adjoint.planDims")
    String planDims;

    /**
     * The largest relative error the generated gradient tests accept (with {@link #generateTests}); raise it for a
     * model whose gradients finite differences cannot resolve to the default.
     */
    @Parameter(property = "adjoint.gradientTolerance", defaultValue = "1e-5")
    double gradientTolerance = GradientCheck.DEFAULT_TOLERANCE; // as the defaultValue, for a mojo made in a test

    /**
     * The step of the generated gradient tests' central differences, relative to {@code max(1, |x|)}, in
     * (0, 0.1] (with {@link #generateTests}).
     */
    @Parameter(property = "adjoint.gradientStep", defaultValue = "6e-6")
    double gradientStep = GradientCheck.STEP;

    /** Skips the goal (nothing generated, no source root added). */
    @Parameter(property = "adjoint.skip", defaultValue = "false")
    boolean skip;

    /**
     * Where the goal records what it generated, to skip unchanged models next time; by default
     * {@code target/maven-status/adjoint/<execution id>.state}.
     */
    @Parameter
    File stateFile;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Parameter(defaultValue = "${mojoExecution}", readonly = true)
    MojoExecution execution;

    @Parameter(defaultValue = "${plugin}", readonly = true)
    PluginDescriptor plugin;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("Adjoint: skipped (adjoint.skip)");
            return;
        }
        String pkg = packageName == null || packageName.isBlank() ? null : packageName.strip();
        if (pkg != null && !SourceVersion.isName(pkg)) {
            throw new MojoFailureException("Adjoint: packageName '" + pkg + "' is not a Java package name");
        }
        if (!(gradientTolerance >= 0) || Double.isInfinite(gradientTolerance)) {
            throw new MojoFailureException("Adjoint: gradientTolerance " + gradientTolerance
                    + " must be a finite number >= 0");
        }
        if (!(gradientStep > 0 && gradientStep <= 0.1)) {
            throw new MojoFailureException("Adjoint: gradientStep " + gradientStep + " must be above 0 and at most 0.1");
        }
        if (generateTests && !skipTests && !skipTestCompile) {
            checkSurefire();
        }
        project.addCompileSourceRoot(outputDirectory.getAbsolutePath());
        if (generateTests) {
            project.addTestCompileSourceRoot(testOutputDirectory.getAbsolutePath());
        }
        CheckpointPolicy policy;
        Map<String, Integer> dims;
        try {
            policy = CheckpointPolicy.parse(checkpoint == null ? "none" : checkpoint);
            dims = CheckpointPolicy.parseDims(planDims);
        } catch (IllegalArgumentException e) {
            throw new MojoFailureException("Adjoint: " + e.getMessage().replace("--checkpoint", "checkpoint")
                    .replace("--plan-dims", "planDims"));
        }
        ModelSourceGenerator.Settings settings = new ModelSourceGenerator.Settings(project.getBasedir().toPath(),
                sourceDirectory.toPath(), outputDirectory.toPath(), testOutputDirectory.toPath(),
                stateFile().toPath(), pkg, generateTests, gradientTolerance, gradientStep, stamp(), policy, dims);
        ModelSourceGenerator.Outcome outcome;
        try {
            outcome = new ModelSourceGenerator(settings).run();
        } catch (IOException e) {
            throw new MojoExecutionException("Adjoint: cannot generate sources: " + e.getMessage(), e);
        } catch (IllegalStateException e) {
            throw new MojoExecutionException("Adjoint: internal compiler error in " + e.getMessage(), e);
        }
        for (Diagnostic d : outcome.diagnostics()) {
            String text = d.format().stripTrailing();
            if (d.isError()) {
                getLog().error(text);
            } else {
                getLog().warn(text);
            }
        }
        if (!outcome.ok()) {
            List<Diagnostic> errors = outcome.errors();
            String headers = errors.stream().limit(ERRORS_IN_SUMMARY).map(Diagnostic::header)
                    .collect(Collectors.joining("\n"));
            throw new MojoFailureException("Adjoint: " + count(errors.size(), "error") + " in "
                    + count(outcome.modelsWithErrors(), "model") + "; nothing generated:\n" + headers
                    + (errors.size() > ERRORS_IN_SUMMARY ? "\n..." : ""));
        }
        logSummary(outcome);
    }

    /** Fails the build when the project's Surefire cannot run the generated (JUnit Jupiter) tests. */
    private void checkSurefire() throws MojoFailureException {
        Plugin surefire = project.getPlugin("org.apache.maven.plugins:maven-surefire-plugin");
        SurefireCheck.Verdict v = SurefireCheck.judge(surefire == null ? null : surefire.getVersion());
        if (v.error() != null) {
            throw new MojoFailureException(v.error());
        }
        if (v.warning() != null) {
            getLog().warn(v.warning());
        }
    }

    private void logSummary(ModelSourceGenerator.Outcome outcome) {
        int total = outcome.compiled().size() + outcome.upToDate().size();
        if (total == 0 && outcome.deleted().isEmpty()) {
            getLog().info("Adjoint: no models in " + sourceDirectory);
            return;
        }
        if (outcome.compiled().isEmpty() && outcome.deleted().isEmpty()) {
            getLog().info("Adjoint: " + (total == 1 ? "the model is" : "all " + total + " models are")
                    + " up to date");
            return;
        }
        getLog().info("Adjoint: compiled " + count(outcome.compiled().size(), "model") + " ("
                + outcome.upToDate().size() + " up to date), wrote " + count(outcome.written().size(), "file")
                + (outcome.deleted().isEmpty() ? "" : ", deleted " + count(outcome.deleted().size(), "stale file"))
                + " under " + outputDirectory + (generateTests ? " and " + testOutputDirectory : ""));
        if (getLog().isDebugEnabled()) {
            outcome.compiled().forEach(m -> getLog().debug("Adjoint: compiled " + m));
            outcome.written().forEach(f -> getLog().debug("Adjoint: wrote " + f));
            outcome.deleted().forEach(f -> getLog().debug("Adjoint: deleted " + f));
        }
    }

    private File stateFile() {
        if (stateFile != null) {
            return stateFile;
        }
        String id = execution == null ? "default" : execution.getExecutionId();
        return new File(project.getBuild().getDirectory(), "maven-status/adjoint/" + id + ".state");
    }

    /** The plugin version and the compiler build: either changing regenerates every model. */
    private String stamp() {
        String version = plugin == null ? "dev" : plugin.getVersion();
        return "adjoint-maven-plugin " + version + " compiler " + CompilerFingerprint.of();
    }

    private static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
