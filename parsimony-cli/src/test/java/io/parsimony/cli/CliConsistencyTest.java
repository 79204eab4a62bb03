package io.parsimony.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** One CLI, not a dozen: a flag means the same thing in every command, and every help page lists it once. */
class CliConsistencyTest {

    private static List<CommandLine> all() {
        List<CommandLine> out = new ArrayList<>();
        collect(Parsimony.commandLine(), out);
        return out;
    }

    private static void collect(CommandLine cl, List<CommandLine> out) {
        out.add(cl);
        cl.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, out));
    }

    @Test
    void aShortFlagNamesTheSameLongOptionEverywhere() {
        Map<String, Set<String>> longByShort = new TreeMap<>();
        Map<String, Set<String>> where = new TreeMap<>();
        for (CommandLine cl : all()) {
            for (OptionSpec o : cl.getCommandSpec().options()) {
                for (String n : o.names()) {
                    if (n.matches("-[A-Za-z]")) {
                        longByShort.computeIfAbsent(n, k -> new TreeSet<>()).add(o.longestName());
                        where.computeIfAbsent(n + " " + o.longestName(), k -> new TreeSet<>())
                                .add(cl.getCommandSpec().qualifiedName());
                    }
                }
            }
        }
        assertTrue(longByShort.size() >= 5, "short flags found: " + longByShort.keySet());
        List<String> conflicts = new ArrayList<>();
        longByShort.forEach((s, longs) -> {
            if (longs.size() > 1) {
                List<String> uses = new ArrayList<>();
                for (String l : longs) {
                    uses.add(l + " in " + where.get(s + " " + l));
                }
                conflicts.add(s + " means " + String.join(" and ", uses));
            }
        });
        assertEquals(List.of(), conflicts);
    }

    @Test
    void noHelpPageListsAnOptionTwice() {
        Pattern optionLine = Pattern.compile("^ {2,6}(-[A-Za-z], )?(--[a-z0-9-]+)", Pattern.MULTILINE);
        List<String> twice = new ArrayList<>();
        int pages = 0;
        for (CommandLine cl : all()) {
            CommandSpec spec = cl.getCommandSpec();
            if (spec.usageMessage().hidden()) {
                continue;
            }
            String help = cl.getUsageMessage(CommandLine.Help.Ansi.OFF);
            pages++;
            Map<String, Integer> seen = new TreeMap<>();
            Matcher m = optionLine.matcher(help);
            while (m.find()) {
                seen.merge(m.group(2), 1, Integer::sum);
            }
            assertTrue(spec.options().size() <= 2 || seen.size() > 2,
                    "option lines of " + spec.qualifiedName() + " not recognised:\n" + help);
            seen.forEach((name, n) -> {
                if (n > 1) {
                    twice.add(spec.qualifiedName() + ": " + name + " x" + n);
                }
            });
        }
        assertTrue(pages >= 15, "help pages rendered: " + pages);
        assertEquals(List.of(), twice);
    }
}
