package io.parsimony.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parsimony.cli.CliRun;
import io.parsimony.experiment.design.Comparison;
import io.parsimony.experiment.design.Design;
import io.parsimony.layout.Layout;
import io.parsimony.nn.data.DataSets;
import io.parsimony.nn.data.Split;
import io.parsimony.nn.model.ModelCatalog;
import io.parsimony.nn.model.PlainCnnSpec;
import io.parsimony.nn.train.TrainingRun;
import io.parsimony.search.ScoredLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * docs/java.md cannot rot: its Java blocks are exactly the tagged regions of the example files in
 * this package (an {@code <!-- include: FILE#TAG -->} line before each block names its region), every
 * region is shown, and each example runs here on small inputs. Run with
 * {@code -Djava.examples.write=true} to copy the regions into the page instead of checking it.
 */
class JavaExamplesTest {

    static final String PAGE = "docs/java.md";
    static final String EXAMPLES = "parsimony-cli/src/test/java/io/parsimony/examples";
    static final String REGENERATE = "mvn -B -q test -pl parsimony-cli -am -Dtest=JavaExamplesTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Djava.examples.write=true";
    private static final Pattern INCLUDE = Pattern.compile(
            "<!-- include: (\\S+)#(\\S+) -->\\n```java\\n(.*?)```\\n", Pattern.DOTALL);
    private static final Pattern TAG = Pattern.compile("^\\s*// tag::(\\S+)\\[]\\s*$");

    static Path projectRoot() {
        String home = System.getProperty("parsimony.home");
        Path dir = home != null ? Path.of(home) : Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve(EXAMPLES))) {
            dir = dir.getParent();
        }
        assertNotNull(dir, "project root (with " + EXAMPLES + ") not found from " + Path.of("").toAbsolutePath());
        return dir;
    }

    /** The tagged regions of a source file, by tag: the lines between {@code // tag::T[]} and {@code // end::T[]}. */
    static Map<String, String> regions(Path file) throws IOException {
        Map<String, String> out = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = TAG.matcher(lines.get(i));
            if (m.matches()) {
                String end = "// end::" + m.group(1) + "[]";
                int j = i + 1;
                while (j < lines.size() && !lines.get(j).strip().equals(end)) {
                    j++;
                }
                assertTrue(j < lines.size(), file + ": tag " + m.group(1) + " is never ended with '" + end + "'");
                StringBuilder b = new StringBuilder();
                lines.subList(i + 1, j).forEach(l -> b.append(l).append('\n'));
                out.put(m.group(1), b.toString());
            }
        }
        return out;
    }

    @Test
    void thePageShowsExactlyTheTaggedRegionsOfTheExamples() throws IOException {
        Path root = projectRoot();
        Path page = root.resolve(PAGE);
        String text = Files.readString(page);
        Map<String, String> regions = new LinkedHashMap<>();
        try (Stream<Path> files = Files.list(root.resolve(EXAMPLES))) {
            for (Path f : files.filter(f -> f.toString().endsWith("Example.java")).sorted().toList()) {
                regions(f).forEach((tag, code) -> regions.put(root.relativize(f) + "#" + tag, code));
            }
        }
        assertTrue(regions.size() >= 4, "example regions: " + regions.keySet());

        List<String> problems = new ArrayList<>();
        List<String> shown = new ArrayList<>();
        StringBuilder rewritten = new StringBuilder();
        Matcher m = INCLUDE.matcher(text);
        int last = 0;
        while (m.find()) {
            String key = m.group(1) + "#" + m.group(2);
            String code = regions.get(key);
            shown.add(key);
            rewritten.append(text, last, m.start(3)).append(code == null ? m.group(3) : code).append("```\n");
            last = m.end();
            if (code == null) {
                problems.add(PAGE + " includes " + key + ", which is no tagged region of an example");
            } else if (!code.equals(m.group(3))) {
                problems.add(PAGE + ": the block of " + key + " differs from the file");
            }
        }
        rewritten.append(text.substring(last));
        for (String key : regions.keySet()) {
            if (!shown.contains(key)) {
                problems.add(PAGE + " does not show " + key + " (add '<!-- include: " + key + " -->' and a java block)");
            }
        }
        long javaBlocks = text.lines().filter(l -> l.strip().equals("```java")).count();
        if (javaBlocks != shown.size()) {
            problems.add(PAGE + " has " + javaBlocks + " java blocks but " + shown.size() + " includes: every Java block is an example");
        }
        if (Boolean.getBoolean("java.examples.write")) {
            Files.writeString(page, rewritten.toString());
            System.out.println("wrote the example blocks of " + page);
            return;
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems) + "\ncopy the examples into the page from the project root with:\n  " + REGENERATE);
        }
    }

    @Test
    void thePageNamesTheCoordinatesOfThePoms() throws IOException {
        Path root = projectRoot();
        String page = Files.readString(root.resolve(PAGE));
        String pom = Files.readString(root.resolve("pom.xml"));
        Matcher group = Pattern.compile("<groupId>([^<]+)</groupId>").matcher(pom);
        Matcher version = Pattern.compile("<version>([^<$]+)</version>").matcher(pom);
        assertTrue(group.find() && version.find(), "root pom's coordinates");
        assertTrue(page.contains("<groupId>" + group.group(1) + "</groupId>"), "groupId " + group.group(1));
        assertTrue(page.contains("<version>" + version.group(1) + "</version>"), "version " + version.group(1));
        Matcher module = Pattern.compile("<module>([^<]+)</module>").matcher(pom);
        int modules = 0;
        while (module.find()) {
            modules++;
            assertTrue(page.contains("| `" + module.group(1) + "` |"), PAGE + " does not describe module " + module.group(1));
        }
        assertTrue(modules >= 5, "modules: " + modules);
    }

    @Test
    void theSearchExampleFindsWhatTheCommandPrints() throws IOException {
        List<ScoredLayout> best = SearchExample.bestLayouts();
        CliRun cli = CliRun.of("layout", "search", "--layers", "4", "--budget", "4288", "--top", "3", "--json");
        assertEquals(0, cli.exitCode(), cli.err());
        JsonNode top = new ObjectMapper().readTree(cli.out()).get("top");
        assertEquals(3, best.size());
        for (int i = 0; i < 3; i++) {
            int[] widths = new int[top.get(i).get("layout").size()];
            for (int j = 0; j < widths.length; j++) {
                widths[j] = top.get(i).get("layout").get(j).asInt();
            }
            assertEquals(Layout.of(widths), best.get(i).layout(), "layout " + (i + 1));
            assertEquals(top.get(i).get("energy").asDouble(), best.get(i).energy(), 1e-9);
        }
        assertEquals(Layout.of(35, 36, 37, 43), best.get(0).layout(), "the layout the page names");
        assertEquals(38_592, best.get(0).weights());
    }

    @Test
    void theTrainingExampleLearnsAndTheExportClassifiesAsTheCheckpointDoes(@TempDir Path tmp) throws IOException {
        assertEquals(ModelCatalog.parse("plain:35,36,37,43", 1, 10, 28), PlainCnnSpec.of(Layout.of(35, 36, 37, 43), 1, 10, 28),
                "the spec the training example's comment says ModelCatalog.parse gives");
        Path run = tmp.resolve("run");
        TrainingRun.Result r = TrainExample.train(run);
        assertEquals(1000, r.test().images());
        assertEquals(2, r.history().size());
        assertTrue(r.test().top1() > 0.5, "10 classes (chance 0.1), 2 epochs on 2,700 images: top-1 " + r.test().top1());
        assertTrue(r.history().get(1).trainLoss() < r.history().get(0).trainLoss(), "the training loss falls: " + r.history());
        assertTrue(Files.isRegularFile(run.resolve("checkpoint.bin")) && Files.isRegularFile(run.resolve("result.json")));

        Path onnx = tmp.resolve("model.onnx");
        double onnxTop1 = ExportExample.exportAndClassify(run, onnx);
        assertTrue(Files.size(onnx) > 10_000, "an ONNX file with the weights: " + Files.size(onnx) + " bytes");
        double checkpointTop1 = TrainingRun.evaluateCheckpoint(run, DataSets.load("fashion-mnist", Split.TEST).slice(0, 200)).top1();
        assertEquals(checkpointTop1, onnxTop1, 1.5 / 200, "ONNX Runtime and the checkpoint classify the same 200 images alike");
        assertTrue(onnxTop1 > 0.5, "ONNX top-1 " + onnxTop1);
    }

    @Test
    void theDesignExampleFinishesWithAWinnerAndItsReport(@TempDir Path tmp) {
        Design.Outcome o = DesignExample.design(tmp);
        assertTrue(o.complete(), "the design finished");
        assertNotNull(o.winner());
        assertEquals(4, o.candidates().size(), o.candidates().toString());
        assertEquals(List.of("winner", "default", "random"), o.groups().stream().map(Comparison.Group::role).toList());
        for (Comparison.Group g : o.groups()) {
            assertEquals(2, g.top1().size(), "2 seeds: " + g);
        }
        assertTrue(o.groups().get(0).mean() > 0.15, "the winner beats chance (0.1): " + o.groups());
        assertTrue(Files.isRegularFile(tmp.resolve("design.json")) && Files.isRegularFile(tmp.resolve("design.html")));
        assertTrue(Files.isRegularFile(tmp.resolve("design.sqlite")));
    }
}
