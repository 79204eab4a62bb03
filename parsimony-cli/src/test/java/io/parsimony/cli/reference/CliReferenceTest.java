package io.parsimony.cli.reference;

import io.parsimony.cli.Parsimony;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The checked-in CLI reference ({@code docs/cli/*.md}) is what {@link CliReference} writes from the
 * current picocli model. Run with {@code -Dcli.reference.write=true} to rewrite the pages instead
 * of checking them (see {@link CliReference#REGENERATE}).
 */
class CliReferenceTest {

    static Path projectRoot() {
        String home = System.getProperty("parsimony.home");
        Path dir = home != null ? Path.of(home) : Path.of("").toAbsolutePath();
        while (dir != null && !(Files.isDirectory(dir.resolve("parsimony-cli")) && Files.isDirectory(dir.resolve("docs")))) {
            dir = dir.getParent();
        }
        assertTrue(dir != null, "project root (with parsimony-cli/ and docs/) not found from " + Path.of("").toAbsolutePath());
        return dir;
    }

    @Test
    void theCheckedInReferenceIsWhatTheModelGenerates() throws IOException {
        Map<String, String> pages = CliReference.pages();
        Path dir = projectRoot().resolve(CliReference.DIR);
        if (Boolean.getBoolean("cli.reference.write")) {
            CliReference.write(dir, pages);
            System.out.println("CLI reference: wrote " + pages.size() + " pages to " + dir);
            return;
        }
        List<String> stale = new ArrayList<>();
        for (Map.Entry<String, String> e : pages.entrySet()) {
            Path f = dir.resolve(e.getKey());
            if (!Files.isRegularFile(f)) {
                stale.add(CliReference.DIR + "/" + e.getKey() + " is missing");
            } else if (!Files.readString(f).equals(e.getValue())) {
                stale.add(CliReference.DIR + "/" + e.getKey() + " differs from the model" + firstDifference(Files.readString(f), e.getValue()));
            }
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".md") && !pages.containsKey(n)).sorted()
                        .forEach(n -> stale.add(CliReference.DIR + "/" + n + " belongs to no command (a removed or renamed one?)"));
            }
        }
        if (!stale.isEmpty()) {
            fail("the CLI reference is stale:\n  " + String.join("\n  ", stale) + "\nregenerate it from the project root with:\n  "
                    + CliReference.REGENERATE + "\nand commit docs/cli/");
        }
    }

    private static String firstDifference(String onDisk, String generated) {
        List<String> a = onDisk.lines().toList(), b = generated.lines().toList();
        for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
            String x = i < a.size() ? a.get(i) : "<end of file>", y = i < b.size() ? b.get(i) : "<end of file>";
            if (!x.equals(y)) {
                return " at line " + (i + 1) + ":\n    on disk:   " + x + "\n    generated: " + y;
            }
        }
        return " (line endings)";
    }

    @Test
    void everyVisibleCommandHasAPageThatEveryLinkReaches() {
        Map<String, String> pages = CliReference.pages();
        List<String> expected = new ArrayList<>();
        visible(Parsimony.commandLine(), expected);
        assertEquals(expected.size(), pages.size(), "pages " + pages.keySet() + " for commands " + expected);
        assertTrue(pages.size() >= 25, "pages: " + pages.keySet());
        String index = pages.get("README.md");
        Pattern link = Pattern.compile("\\]\\(([a-z0-9-]+\\.md)\\)");
        TreeSet<String> linked = new TreeSet<>();
        pages.forEach((name, text) -> {
            Matcher m = link.matcher(text);
            while (m.find()) {
                assertTrue(pages.containsKey(m.group(1)), name + " links to a page that is not generated: " + m.group(1));
                linked.add(m.group(1));
            }
        });
        for (String name : pages.keySet()) {
            if (!name.equals("README.md")) {
                assertTrue(index.contains("](" + name + ")"), "the index does not link " + name);
            }
        }
        for (String cmd : expected) {
            assertTrue(pages.values().stream().anyMatch(p -> p.contains("\n# " + cmd + "\n")), "no page titled " + cmd);
        }
        assertFalse(pages.containsKey("sweep-worker.md"), "a hidden command stays out of the reference");
    }

    private static void visible(CommandLine cl, List<String> out) {
        if (cl.getCommandSpec().usageMessage().hidden()) {
            return;
        }
        out.add(cl.getCommandSpec().qualifiedName());
        cl.getSubcommands().values().stream().distinct().forEach(s -> visible(s, out));
    }

    @Test
    void aPageShowsUsageEveryOptionWithItsDefaultAndTheExample() {
        String search = CliReference.pages().get("layout-search.md");
        assertTrue(search.contains("# parsimony layout search\n"), search);
        assertTrue(search.contains("```text\nparsimony layout search [-hV] "), search);
        CommandLine cl = Parsimony.commandLine().getSubcommands().get("layout").getSubcommands().get("search");
        for (CommandLine.Model.OptionSpec o : cl.getCommandSpec().options()) {
            assertTrue(search.contains("`" + o.longestName() + "`"), o.longestName() + " missing:\n" + search);
        }
        assertTrue(search.contains("| `--top` `K` | `6` | How many best layouts (default: 6). |"), search);
        assertTrue(search.contains("| `-d`, `--tolerance` `DELTA` | `0` |"), search);
        assertTrue(search.contains("```sh\nparsimony layout search --layers 4 --budget 4288 --count\n```"), search);
        assertTrue(CliReference.pages().get("predict.md").contains("Mutually exclusive, exactly once: `(--run=DIR | --onnx=FILE)`."),
                CliReference.pages().get("predict.md"));
        assertTrue(CliReference.pages().get("layout.md").contains("| [`search`](layout-search.md) | Find the layouts"),
                CliReference.pages().get("layout.md"));
    }

    @Test
    void machineSpecificTextIsReplacedByPlaceholders() {
        String home = Path.of(System.getProperty("user.home")).toAbsolutePath().toString();
        String cwd = Path.of("").toAbsolutePath().toString();
        assertEquals("~/.pgpass and $PWD/runs, not ~x", CliReference.stable(home + "/.pgpass and " + cwd + "/runs, not ~x"));
        String all = String.join("\n", CliReference.pages().values());
        assertFalse(all.contains(cwd), "the working directory leaked into the reference");
        assertFalse(all.contains(projectRoot().toString()), "the project root leaked into the reference");
        assertFalse(all.contains("\u001B["), "ANSI colours in the reference");
    }
}
