package io.parsimony.cli;

import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/** Prints a shell completion script generated from the picocli model, so it lists every command and option. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a bash completion script for parsimony (zsh: run 'autoload -U +X bashcompinit && "
                + "bashcompinit' first).", "Load it in the current shell with: source <(parsimony completion)"},
        footer = {"%nExample:", "  parsimony completion > ~/.local/share/bash-completion/completions/parsimony"})
public final class CompletionCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        out.print(AutoComplete.bash(spec.root().name(), spec.root().commandLine()));
        out.flush();
    }
}
