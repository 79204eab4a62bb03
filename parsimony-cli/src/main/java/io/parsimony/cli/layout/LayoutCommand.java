package io.parsimony.cli.layout;

import picocli.CommandLine.Command;

/** {@code parsimony layout ...}: counting, energy, search and the balance guideline (seeds 001, 000). */
@Command(name = "layout", mixinStandardHelpOptions = true,
        description = "Parameter layouts: count (Eq. 1), energy (Eq. 2-3), search (Eq. 4), sample, balance.",
        subcommands = {CountCommand.class, EnergyCommand.class, SearchCommand.class, SampleCommand.class,
                BalanceCommand.class})
public final class LayoutCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
