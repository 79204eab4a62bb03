package io.parsimony.cli.bench;

import picocli.CommandLine.Command;

/** {@code parsimony bench ...}: speed figures printed beside a reference measured in the same run. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks that print figures beside a reference measured in the same run.",
        subcommands = {LayoutBenchCommand.class, DataBenchCommand.class, TrainBenchCommand.class})
public final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
