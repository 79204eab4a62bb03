package io.parsimony.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parsimony.nn.model.DacnnPresets;
import io.parsimony.nn.model.ModelCatalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What README.md and the pages under {@code docs/} tell a user to type is what the program accepts:
 * every {@code bin/parsimony} command they show parses with the real picocli model (parsed only,
 * never run); every model, preset and {@code bench train --arch} value they name exists; the list of
 * DACNN presets is complete; and every relative link and anchor points at something that exists.
 * An edit to either side that breaks the other fails here. How commands are read from the pages
 * (prompts, environment prefixes, continuations, comments, variables) is {@link DocPages}'s.
 */
class ReadmeClaimsTest {

    /**
     * Pages the README links to that other branches of issue 26 write (the numerics page, the
     * generated CLI reference, the Java page): allowed to be missing until they are merged, and
     * checked like any page once they exist. Empty this set after the merge.
     */
    private static final Set<String> PAGES_FROM_OTHER_BRANCHES = Set.of();

    /**
     * Commands the pages show that another branch of issue 26 adds ({@code doctor}, issue 25): a
     * command naming one is parsed only once the program has it. Empty this set after the merge.
     */
    private static final Set<String> COMMANDS_FROM_OTHER_BRANCHES = Set.of();

    /** Inline code that names a model: a text form or a preset of {@link ModelCatalog}. */
    private static final Pattern MODEL_NAME = Pattern.compile(
            "(?:plain:|resnet:|dacnn-|vgg-1fc|resnet-18|resnet-34|alexnet|z2cnn|p4cnn)[^\\s$\\[\\]…]*");

    private static DocPages docs;
    private static String prose;
    private static List<DocPages.Command> commands;

    @BeforeAll
    static void readPages() {
        docs = DocPages.load();
        prose = docs.prose();
        commands = docs.commands();
    }

    /** The text between {@code start} and the next {@code end} in the pages' prose. */
    private static String passage(String start, String end) {
        int from = prose.indexOf(start);
        assertTrue(from >= 0, "no page says '" + start + "' any more");
        int to = prose.indexOf(end, from + start.length());
        assertTrue(to > from, "'" + end + "' after '" + start + "'");
        return prose.substring(from + start.length(), to);
    }

    private static List<String> backticked(String text) {
        List<String> items = new ArrayList<>();
        Matcher m = Pattern.compile("`([^`]+)`").matcher(text);
        while (m.find()) {
            items.add(m.group(1));
        }
        return items;
    }

    /** Shorthand {@code dacnn-18/24/34-reg} → dacnn-18-reg, dacnn-24-reg, dacnn-34-reg. */
    private static List<String> expand(String item) {
        Matcher m = Pattern.compile("([a-z]+-)(\\d+(?:/\\d+)+)(-[a-z-]+)?").matcher(item);
        if (!m.matches()) {
            return List.of(item);
        }
        String suffix = m.group(3) == null ? "" : m.group(3);
        return Arrays.stream(m.group(2).split("/")).map(n -> m.group(1) + n + suffix).toList();
    }

    private static boolean fromOtherBranch(DocPages.Command c) {
        return !c.args().isEmpty() && COMMANDS_FROM_OTHER_BRANCHES.contains(c.args().get(0))
                && !Parsimony.commandLine().getSubcommands().containsKey(c.args().get(0));
    }

    /** Each shown command's parse, in page order; commands from other branches left out. */
    private static Map<DocPages.Command, ParseResult> parsed() {
        Map<DocPages.Command, ParseResult> out = new LinkedHashMap<>();
        for (DocPages.Command c : commands) {
            if (!fromOtherBranch(c)) {
                try {
                    out.put(c, Parsimony.commandLine().parseArgs(c.args().toArray(String[]::new)));
                } catch (CommandLine.ParameterException e) {
                    out.put(c, null);
                }
            }
        }
        return out;
    }

    /** The values given to {@code option} (any of its names) in a parsed command and its subcommands. */
    private static List<String> values(ParseResult parsed, String option) {
        List<String> out = new ArrayList<>();
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            OptionSpec o = p.matchedOption(option);
            if (o != null) {
                Object v = o.getValue();
                if (v instanceof Collection<?> many) {
                    many.forEach(x -> out.add(String.valueOf(x)));
                } else if (v != null) {
                    out.add(String.valueOf(v));
                }
            }
        }
        return out;
    }

    /** Models a parsed command names: {@code --model}/{@code -m} values and {@code compare}'s MODELs. */
    private static List<String> models(ParseResult parsed) {
        List<String> out = new ArrayList<>(values(parsed, "--model"));
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.commandSpec().name().equals("compare")) {
                for (PositionalParamSpec pos : p.matchedPositionals()) {
                    Object v = pos.getValue();
                    if (v instanceof Collection<?> many) {
                        many.forEach(x -> out.add(String.valueOf(x)));
                    }
                }
            }
        }
        return out;
    }

    @Test
    void everyCommandShownInTheDocsParses() {
        assertTrue(commands.size() >= 60, "commands found in the pages: " + commands.size() + " (is the reader broken?)");
        List<String> failures = new ArrayList<>();
        for (var e : parsed().entrySet()) {
            DocPages.Command c = e.getKey();
            if (e.getValue() == null) {
                try {
                    Parsimony.commandLine().parseArgs(c.args().toArray(String[]::new));
                } catch (CommandLine.ParameterException ex) {
                    failures.add(c.where() + ": " + c.text() + "\n    " + ex.getMessage());
                }
                continue;
            }
            boolean topLevel = !e.getValue().hasSubcommand();
            if (topLevel && !c.args().isEmpty() && !c.args().contains("--help") && !c.args().contains("--version")) {
                failures.add(c.where() + ": " + c.text() + "\n    names no command");
            }
        }
        assertEquals(List.of(), failures, "commands in the pages that the program does not accept");
    }

    @Test
    void commandsInThePagesAreFencedSoTheyAreChecked() {
        assertEquals(List.of(), docs.indentedCommands(), "commands in indented code blocks: put them in ``` fences");
    }

    @Test
    void everyModelNamedInTheDocsExists() {
        Map<String, String> named = new LinkedHashMap<>();   // model -> where
        parsed().forEach((c, p) -> {
            if (p != null) {
                models(p).forEach(m -> named.putIfAbsent(m, c.where()));
            }
        });
        for (String code : docs.inlineCode()) {
            if (MODEL_NAME.matcher(code).matches() && !code.contains("...")) {
                expand(code).forEach(m -> named.putIfAbsent(m, "inline code `" + code + "`"));
            }
        }
        assertTrue(named.size() >= 30, "models named: " + named.keySet());
        List<String> unknown = new ArrayList<>();
        named.forEach((model, where) -> {
            try {
                ModelCatalog.parse(model, 3, 10, 32);
            } catch (RuntimeException e) {
                unknown.add(model + " (" + where + "): " + e.getMessage());
            }
        });
        assertEquals(List.of(), unknown, "models the pages name that the catalogue does not know");
    }

    @Test
    void everyModelPresetNamedInTheDocsExistsAndTheListIsComplete() {
        String sentence = passage("Presets (any case, the paper's spelling works):", "; they work");
        Set<String> named = new LinkedHashSet<>();
        backticked(sentence).forEach(item -> named.addAll(expand(item)));
        assertEquals(new TreeSet<>(DacnnPresets.NAMES), new TreeSet<>(named), "the pages' preset list vs the catalog");
        for (String preset : named) {
            CliRun r = CliRun.of("summary", "--model", preset, "--input", "3x32x32", "--json");
            assertEquals(0, r.exitCode(), "summary --model " + preset + ": " + r.err());
        }
    }

    /** "they work wherever a model is named (...)": each command listed takes a preset. */
    @Test
    void everyCommandSaidToTakeAPresetTakesOne(@TempDir Path tmp) {
        List<String> listed = backticked(passage("they work wherever a model is named", "."));
        assertFalse(listed.isEmpty());
        String[] small = {"--steps", "1", "--batch", "8", "--limit-train", "40", "--val-fraction", "0.2",
                "--limit-test", "8", "-q"};
        for (String command : listed) {
            List<String> args = new ArrayList<>(List.of(command.split(" ")));
            args.add("dacnn-14");   // the value of "train --model", a positional MODEL of "compare"
            if (!args.get(0).equals("summary")) {
                args.addAll(List.of(small));
                args.addAll(List.of("--run", tmp.resolve(args.get(0)).toString()));
            }
            CliRun r = CliRun.of(args.toArray(String[]::new));
            assertEquals(0, r.exitCode(), String.join(" ", args) + ": " + r.err());
        }
    }

    @Test
    void everyBenchTrainArchInTheDocsIsAccepted() throws Exception {
        Set<String> archs = new LinkedHashSet<>(backticked(passage("`bench train --arch` is different:", ".")));
        parsed().forEach((c, p) -> {
            if (p != null) {
                archs.addAll(values(p, "--arch"));
            }
        });
        assertTrue(archs.containsAll(List.of("plain4", "resnet32", "dacnn14", "fmnist4")), "the pages' --arch values: " + archs);
        for (String arch : archs) {
            CliRun r = CliRun.of("bench", "train", "--arch", arch, "--batch", "2", "--steps", "1", "--warmup", "0",
                    "--rounds", "1", "--no-reference", "--json");
            assertEquals(0, r.exitCode(), "bench train --arch " + arch + ": " + r.err());
            JsonNode rows = new ObjectMapper().readTree(r.out()).get("rows");
            assertEquals(1, rows.size());
            assertEquals(arch, rows.get(0).get("arch").asText());
        }
    }

    @Test
    void everyBalancePresetInTheDocsIsAccepted() {
        Set<String> presets = new LinkedHashSet<>(backticked(passage("Presets `alexnet`", ", or your own backbone")));
        presets.add("alexnet");
        parsed().forEach((c, p) -> {
            if (p != null) {
                presets.addAll(values(p, "--preset"));
            }
        });
        assertTrue(presets.size() >= 3, presets.toString());
        for (String preset : presets) {
            CliRun r = CliRun.of("layout", "balance", "--preset", preset);
            assertEquals(0, r.exitCode(), "layout balance --preset " + preset + ": " + r.err());
            assertTrue(r.out().contains("total:"), r.out());
        }
    }

    @Test
    void everyRelativeLinkPointsAtAFileOrAnchorThatExists() throws IOException {
        List<DocPages.Link> links = docs.relativeLinks();
        assertTrue(links.size() >= 40, "relative links found: " + links.size());
        Map<Path, Set<String>> anchors = new HashMap<>();
        List<String> broken = new ArrayList<>();
        for (DocPages.Link link : links) {
            String target = link.target();
            int hash = target.indexOf('#');
            String file = hash < 0 ? target : target.substring(0, hash);
            String fragment = hash < 0 ? "" : target.substring(hash + 1);
            Path resolved = file.isEmpty() ? link.page().file()
                    : link.page().file().getParent().resolve(file).normalize();
            String fromRoot = docs.root.relativize(resolved).toString().replace('\\', '/');
            String where = link.page() + ":" + link.line() + ": (" + target + ")";
            if (!Files.exists(resolved)) {
                if (!PAGES_FROM_OTHER_BRANCHES.contains(fromRoot)) {
                    broken.add(where + " -> no file " + fromRoot);
                }
                continue;
            }
            if (!fromRoot.startsWith("..") && resolved.startsWith(docs.root)) {
                // inside the repository: fine; outside it would work on no other checkout
            } else {
                broken.add(where + " -> outside the repository");
                continue;
            }
            if (!fragment.isEmpty()) {
                if (!resolved.toString().endsWith(".md")) {
                    broken.add(where + " -> an anchor into a file that is not Markdown");
                    continue;
                }
                Set<String> known = anchors.computeIfAbsent(resolved, f -> {
                    try {
                        return DocPages.anchors(f);
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
                if (!known.contains(fragment)) {
                    broken.add(where + " -> no heading #" + fragment + " in " + fromRoot);
                }
            }
        }
        assertEquals(List.of(), broken, "broken relative links");
    }

    @Test
    void theReadmeStaysAFrontPage() throws IOException {
        List<String> readme = Files.readAllLines(docs.root.resolve("README.md"));
        assertTrue(readme.size() <= 250, "README.md has " + readme.size() + " lines; depth goes to docs/");
        String text = String.join("\n", readme);
        for (String must : List.of("bin/setup", "mvn -B test", "bin/parsimony doctor", "docs/reproductions/",
                "docs/numerics.md", "docs/cli/", "docs/java.md", "does not reproduce")) {
            assertTrue(text.contains(must), "README.md no longer mentions " + must);
        }
    }

    @Test
    void theShellReaderReadsWhatPagesWrite() {
        Map<String, String> vars = Map.of("B", "resnet:8,8,16,32/1,2,2,2", "R", "--data cifar10 --seeds 3");
        assertEquals(List.of("bin/parsimony", "compare", "resnet:8,8,16,32/1,2,2,2", "resnet:8,8,16,32/1,2,2,2@w2",
                "--data", "cifar10", "--seeds", "3"), DocPages.shellWords("bin/parsimony compare $B ${B}@w2 $R", vars));
        assertEquals(List.of("bin/parsimony", "layout", "search", "--top", "1"),
                DocPages.shellWords("bin/parsimony layout search --top 1 2>&1 >/dev/null", Map.of()));
        assertEquals(List.of("bin/parsimony", "layout", "count", "35,36,37,44"),
                DocPages.shellWords("bin/parsimony layout count 35,36,37,44; echo \"exit $?\"", Map.of()));
        assertEquals(List.of("X=a b", "bin/parsimony", "worker", "--store", "jdbc:postgresql://db/s?user=me"),
                DocPages.shellWords("X=\"a b\" bin/parsimony worker --store 'jdbc:postgresql://db/s?user=me'  # on each", Map.of()));
        assertEquals("fig-5--table-4-on-cifar-10", DocPages.slug("Fig. 5 / Table 4 on CIFAR-10"));
        assertEquals("eq-23--energy", DocPages.slug("Eq. 2–3 — energy"));
    }
}
