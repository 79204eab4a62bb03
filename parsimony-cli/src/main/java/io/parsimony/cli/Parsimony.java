package io.parsimony.cli;

import io.parsimony.cli.bench.BenchCommand;
import io.parsimony.cli.layout.LayoutCommand;
import io.parsimony.InputException;
import io.parsimony.nn.engine.NumericsMode;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/**
 * The {@code parsimony} program. Expected mistakes (bad budgets, layouts, presets, files)
 * surface as one line on stderr and exit code 2; anything else is a bug and keeps its trace.
 */
@Command(name = "parsimony", mixinStandardHelpOptions = true, version = "parsimony 0.1.0",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:success", "1:work left unfinished (a sweep's runs whose worker died twice), or a bug (with its trace)",
                "2:a mistake in the command or its input (flags, budget, layout, preset, file): one line on stderr"},
        description = "Design, train and compare CNNs under a strict parameter budget.",
        subcommands = {LayoutCommand.class, io.parsimony.cli.train.TrainCommand.class,
                io.parsimony.cli.train.EvaluateCommand.class, io.parsimony.cli.train.SummaryCommand.class,
                io.parsimony.cli.train.ExtremesCommand.class, io.parsimony.cli.train.CompareCommand.class,
                io.parsimony.cli.ebcle.EbcleCommand.class, BenchCommand.class, io.parsimony.cli.experiment.SweepCommand.class, io.parsimony.cli.experiment.ReportCommand.class, io.parsimony.cli.experiment.DesignCommand.class, io.parsimony.cli.experiment.WorkerCommand.class, io.parsimony.cli.export.ExportCommand.class, io.parsimony.cli.export.PredictCommand.class, io.parsimony.cli.doctor.DoctorCommand.class, CompletionCommand.class, CommandLine.HelpCommand.class})
public final class Parsimony implements Runnable {

    /** Exit code of an expected user mistake (as for picocli's usage errors). */
    public static final int USER_ERROR = 2;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** Sets the process's numerics mode before any command loads the engine (every command inherits it). */
    @CommandLine.Option(names = "--numerics", paramLabel = "MODE", scope = CommandLine.ScopeType.INHERIT,
            description = "Engine self-check: check (default: check once per host, pad convs if the engine is wrong), "
                    + "strict (refuse instead), pad (pad convs unchecked), off. Also PARSIMONY_NUMERICS.")
    void numerics(String mode) {
        System.setProperty(NumericsMode.PROPERTY, NumericsMode.parse(mode).label());
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line (tests call {@code execute} on it with their own writers). */
    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Parsimony());
        Examples.install(cl);
        cl.setExecutionExceptionHandler((ex, cmd, parseResult) -> {
            if (ex instanceof InputException) {
                cmd.getErr().println("parsimony: error: " + ex.getMessage());
                cmd.getErr().flush();
                return USER_ERROR;
            }
            if (ex instanceof java.nio.file.InvalidPathException ipe) {
                // a path given by the user that the file system cannot even name (a NUL byte, say)
                cmd.getErr().println("parsimony: error: not a usable path: '" + ipe.getInput().replace("\0", "\\0")
                        + "' (" + ipe.getReason() + "); give a valid file or directory name");
                cmd.getErr().flush();
                return USER_ERROR;
            }
            throw ex;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine cmd = ex.getCommandLine();
            PrintWriter err = cmd.getErr();
            err.println("parsimony: error: " + ex.getMessage().replace(System.lineSeparator(), " ").strip()
                    + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return USER_ERROR;
        });
        return cl;
    }
}
