package io.parsimony.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parsimony.nn.model.DacnnPresets;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's claims about names a user types: every model preset, {@code bench train --arch}
 * value and {@code layout balance --preset} it names is accepted by the command it names, and
 * the model preset list is complete. Read from the project root's README.md, so an edit to either
 * side that breaks the other fails here.
 */
class ReadmeClaimsTest {

    private static String readme;

    @BeforeAll
    static void readReadme() throws IOException {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !(Files.exists(dir.resolve("README.md")) && Files.exists(dir.resolve("parsimony-cli")))) {
            dir = dir.getParent();
        }
        assertTrue(dir != null, "project root with README.md not found above " + Path.of("").toAbsolutePath());
        readme = Files.readString(dir.resolve("README.md")).replaceAll("\\s+", " ");
    }

    /** The text between {@code start} and the next {@code end}. */
    private static String passage(String start, String end) {
        int from = readme.indexOf(start);
        assertTrue(from >= 0, "README no longer says '" + start + "'");
        int to = readme.indexOf(end, from + start.length());
        assertTrue(to > from, "README: '" + end + "' after '" + start + "'");
        return readme.substring(from + start.length(), to);
    }

    private static List<String> backticked(String text) {
        List<String> items = new ArrayList<>();
        Matcher m = Pattern.compile("`([^`]+)`").matcher(text);
        while (m.find()) {
            items.add(m.group(1));
        }
        return items;
    }

    /** README shorthand {@code dacnn-18/24/34-reg} → dacnn-18-reg, dacnn-24-reg, dacnn-34-reg. */
    private static List<String> expand(String item) {
        Matcher m = Pattern.compile("([a-z]+-)(\\d+(?:/\\d+)+)(-[a-z-]+)?").matcher(item);
        if (!m.matches()) {
            return List.of(item);
        }
        String suffix = m.group(3) == null ? "" : m.group(3);
        return java.util.Arrays.stream(m.group(2).split("/")).map(n -> m.group(1) + n + suffix).toList();
    }

    @Test
    void everyModelPresetNamedInTheReadmeExistsAndTheListIsComplete() {
        String sentence = passage("Presets (any case, the paper's spelling works):", "; they work");
        Set<String> named = new LinkedHashSet<>();
        backticked(sentence).forEach(item -> named.addAll(expand(item)));
        assertEquals(new java.util.TreeSet<>(DacnnPresets.NAMES), new java.util.TreeSet<>(named),
                "README's preset list vs the catalog");
        for (String preset : named) {
            CliRun r = CliRun.of("summary", "--model", preset, "--input", "3x32x32", "--json");
            assertEquals(0, r.exitCode(), "summary --model " + preset + ": " + r.err());
        }
    }

    /** "they work wherever a model is named (...)": each command listed takes a preset. */
    @Test
    void everyCommandSaidToTakeAPresetTakesOne(@org.junit.jupiter.api.io.TempDir Path tmp) {
        List<String> commands = backticked(passage("they work wherever a model is named", "."));
        assertFalse(commands.isEmpty());
        String[] small = {"--steps", "1", "--batch", "8", "--limit-train", "40", "--val-fraction", "0.2",
                "--limit-test", "8", "-q"};
        for (String command : commands) {
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
    void everyBenchTrainArchInTheReadmeIsAccepted() throws Exception {
        Set<String> archs = new LinkedHashSet<>(backticked(passage("`bench train --arch` is different:", ".")));
        Matcher m = Pattern.compile("bench train [^`$]*?--arch ([\\w,-]+)").matcher(readme);
        while (m.find()) {
            archs.addAll(List.of(m.group(1).split(",")));
        }
        assertTrue(archs.containsAll(List.of("plain4", "resnet32")), "README's --arch values: " + archs);
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
    void everyBalancePresetInTheReadmeIsAccepted() {
        List<String> presets = backticked(passage("Presets `alexnet`", ", or your own backbone"));
        presets.add(0, "alexnet");
        Matcher m = Pattern.compile("layout balance --preset ([\\w-]+)").matcher(readme);
        while (m.find()) {
            presets.add(m.group(1));
        }
        assertTrue(presets.size() >= 3, presets.toString());
        for (String preset : presets) {
            CliRun r = CliRun.of("layout", "balance", "--preset", preset);
            assertEquals(0, r.exitCode(), "layout balance --preset " + preset + ": " + r.err());
            assertTrue(r.out().contains("total:"), r.out());
        }
    }
}
