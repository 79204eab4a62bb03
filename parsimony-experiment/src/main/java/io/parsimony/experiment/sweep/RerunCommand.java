package io.parsimony.experiment.sweep;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The shell command line that runs a sweep again, recorded in the store and shown in reports:
 * the working directory, then the arguments as typed, shell-quoted.
 */
public final class RerunCommand {

    private static final Pattern PLAIN_ARG = Pattern.compile("[A-Za-z0-9_./,:=@%+-]+");

    private RerunCommand() {
    }

    /**
     * {@code cd DIR && parsimony SUBCOMMAND... ARGS...}; {@code subcommand} (e.g. sweep, energy)
     * is added unless the arguments already start with it.
     */
    public static String of(Path workingDirectory, List<String> subcommand, List<String> args) {
        StringBuilder sb = new StringBuilder("cd ").append(quote(workingDirectory.toAbsolutePath().toString())).append(" && parsimony");
        if (args.size() < subcommand.size() || !args.subList(0, subcommand.size()).equals(subcommand)) {
            sb.append(' ').append(String.join(" ", subcommand));
        }
        for (String a : args) {
            sb.append(' ').append(quote(a));
        }
        return sb.toString();
    }

    /** {@code a} as one shell word: as is when it holds only safe characters, else single-quoted. */
    public static String quote(String a) {
        return PLAIN_ARG.matcher(a).matches() ? a : "'" + a.replace("'", "'\\''") + "'";
    }
}
