package io.parsimony.cli.experiment;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code parsimony sweep ...}: experiments that train many layouts into a results store. */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        subcommands = {SweepEnergyCommand.class, SweepStatusCommand.class, SweepWorkerCommand.class},
        description = "Experiments that train many layouts and record every run in a results store (SQLite or PostgreSQL).")
public final class SweepCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
