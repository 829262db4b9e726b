package dev.adjoint.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code adjoint}: the command line of the Adjoint compiler. */
@Command(name = "adjoint",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Adjoint compiles .model files (differentiable models) into Java classes with forward and"
                + " gradient methods.",
        subcommands = {CheckCommand.class, CompileCommand.class, GradCommand.class, GradcheckCommand.class,
                TrainCommand.class, PredictCommand.class, BenchCommand.class, ShowCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests). */
    public static int run(String... args) {
        // One writer per stream, set here, so that the flush at the end reaches what every command printed.
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs the command line with its output and errors going to the given writers; returns the exit code. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        return execute(cli, args);
    }

    private static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        for (CommandLine sub : cli.getSubcommands().values()) {
            sub.getCommandSpec().versionProvider(new Version()); // -V after a command prints the version too
        }
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("adjoint: internal error: " + e);
            return 3;
        });
        return cli;
    }

    private static int execute(CommandLine cli, String... args) {
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            cli.getErr().println("adjoint: out of memory: the Java heap holds at most "
                    + ModelMemory.size(Runtime.getRuntime().maxMemory())
                    + "; give Java more heap, as in ADJOINT_JAVA_OPTS=-Xmx16g");
            return 1;
        } catch (RuntimeException | Error e) {
            cli.getErr().println("adjoint: internal error: " + e); // a bug: no stack trace, but what it was
            return 3;
        } finally {
            cli.getOut().flush();
            cli.getErr().flush();
        }
    }
}
