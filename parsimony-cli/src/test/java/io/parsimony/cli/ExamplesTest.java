package io.parsimony.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every command's --help ends in a real example, which parses (and, where cheap, runs); the completion script works in bash. */
class ExamplesTest {

    private static List<CommandLine> visible(CommandLine cl, List<CommandLine> out) {
        if (!cl.getCommandSpec().usageMessage().hidden()) {
            out.add(cl);
        }
        cl.getSubcommands().values().stream().distinct().forEach(c -> visible(c, out));
        return out;
    }

    /** The example's arguments after "parsimony", up to a shell redirection or pipe. */
    private static String[] args(String example) {
        List<String> words = new ArrayList<>();
        for (String w : example.strip().split("\\s+")) {
            if (w.startsWith(">") || w.startsWith("|") || w.contains("<(")) {
                break;
            }
            words.add(w);
        }
        assertEquals("parsimony", words.get(0), example);
        return words.subList(1, words.size()).toArray(String[]::new);
    }

    private static String exampleOf(CommandLine cl) {
        String help = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
        List<String> lines = help.lines().toList();
        int at = lines.indexOf("Example:");
        assertTrue(at >= 0 && at + 1 < lines.size(), cl.getCommandSpec().qualifiedName() + " --help has no example:\n" + help);
        return lines.get(at + 1);
    }

    @Test
    void everyCommandsHelpShowsAnExampleThatParsesAsThatCommand() {
        List<CommandLine> commands = visible(Parsimony.commandLine(), new ArrayList<>());
        assertTrue(commands.size() >= 20, "commands: " + commands.size());
        for (CommandLine cl : commands) {
            String name = cl.getCommandSpec().qualifiedName();
            String example = exampleOf(cl);
            assertTrue(example.length() <= 78, "one line of help: " + example);
            String[] args = args(example);
            CommandLine.ParseResult parsed = Parsimony.commandLine().parseArgs(args);   // throws on a stale example
            List<String> path = new ArrayList<>();
            for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
                path.add(p.commandSpec().qualifiedName());
            }
            assertTrue(path.contains(name), name + "'s example runs " + path.get(path.size() - 1) + ": " + example);
        }
    }

    @Test
    void theCheapExamplesRunAndExitZero() {
        for (String cmd : List.of("parsimony layout count", "parsimony layout search", "parsimony layout energy",
                "parsimony layout balance", "parsimony layout sample", "parsimony summary", "parsimony help", "parsimony")) {
            String example = Examples.BY_COMMAND.get(cmd);
            CliRun r = CliRun.of(args(example));
            assertEquals(0, r.exitCode(), example + "\n" + r.err());
            assertTrue(!r.out().isBlank(), example);
        }
    }

    @Test
    void theCompletionScriptCompletesCommandsAndOptionsInBash(@TempDir Path tmp) throws Exception {
        CliRun r = CliRun.of("completion");
        assertEquals(0, r.exitCode(), r.err());
        Path script = tmp.resolve("parsimony.bash");
        Files.writeString(script, r.out());
        String check = String.join("\n",
                "source " + script,
                "COMP_WORDS=(parsimony exp); COMP_CWORD=1; COMP_LINE='parsimony exp'; COMP_POINT=${#COMP_LINE}",
                "_complete_parsimony parsimony exp parsimony; echo \"commands: ${COMPREPLY[*]}\"",
                "COMP_WORDS=(parsimony export --fo); COMP_CWORD=2; COMP_LINE='parsimony export --fo'; COMP_POINT=${#COMP_LINE}",
                "_complete_parsimony parsimony --fo export; echo \"options: ${COMPREPLY[*]}\"", "");
        Process p = new ProcessBuilder("bash", "-c", check).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("commands: export"), out);
        assertTrue(Arrays.asList(out.substring(out.indexOf("options:")).strip().split("\\s+")).containsAll(
                List.of("--format", "--fold-bn")), out);
    }
}
