package dev.nightjar.cli;

import dev.nightjar.UserException;
import dev.nightjar.nd4j.NativeBuild;
import dev.nightjar.nd4j.NativeTuning;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.PrintWriter;

/** The {@code nightjar} command line. User errors exit 2 with one line; bugs exit 1 with a stack trace. */
@Command(name = "nightjar", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Train and evaluate neural networks on Apache Spark (DL4J, parameter averaging).",
        subcommands = {FetchSamplesCommand.class, PrepareCommand.class, PretrainCommand.class, TrainCommand.class, EvaluateCommand.class, BaselineCommand.class, CompareCommand.class, ScoreCommand.class, GenerateCommand.class, ModelsCommand.class, ConfigCommand.class,
                BenchmarkCommand.class,
                DemoCommand.class, CommandLine.HelpCommand.class})
public final class Nightjar {
    static volatile boolean verbose;

    @Option(names = "--verbose", scope = ScopeType.INHERIT, description = "Show stack traces for errors.")
    void setVerbose(boolean v) {
        verbose = v;
    }

    public static void main(String[] args) {
        int code = execute(args);
        // In YARN cluster mode the driver runs inside Spark's ApplicationMaster, which reports success when main
        // returns; System.exit(0) there is taken for a failure (and YARN starts the application again).
        if (code != 0 || !"cluster".equals(System.getProperty("spark.submit.deployMode"))) {
            System.exit(code);
        }
    }

    public static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        try {
            NativeBuild.check();
        } catch (UserException e) {
            return report(e, err);
        }
        NativeTuning.enableHelpers();
        CommandLine cl = new CommandLine(new Nightjar()).setOut(out).setErr(err);
        cl.setExecutionExceptionHandler(Nightjar::handle);
        return cl.execute(args);
    }

    private static int handle(Exception e, CommandLine cl, CommandLine.ParseResult parsed) {
        return report(e, cl.getErr());
    }

    /**
     * Prints an error and returns the exit code: 2 with one line for what the user or the operator can fix (a
     * {@link UserException}, permission denied, a full disk or quota, see {@link OperatorErrors}); 1 with the stack
     * trace for a bug.
     */
    static int report(Throwable e, PrintWriter err) {
        UserException user = userCause(e);
        String operator = user == null ? OperatorErrors.describe(e) : null;
        if (user != null || operator != null) {
            err.println("nightjar: error: " + (user != null ? user.getMessage() : operator));
            if (verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return 2;
        }
        err.println("nightjar: internal error (a bug): " + e);
        e.printStackTrace(err);
        err.flush();
        return 1;
    }

    /** A user error, possibly wrapped by Spark (task failures) or DL4J. */
    static UserException userCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof UserException u) {
                return u;
            }
        }
        return null;
    }
}
