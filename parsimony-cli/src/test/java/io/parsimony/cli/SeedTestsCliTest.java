package io.parsimony.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command-line side of testing seeds 000 and 003: balanced backbones by name in
 * {@code summary}, {@code ebcle --deeper} (bounded and deeper layouts of one budget), and
 * {@code compare --seeds} (mean ± std over seeds, recomputed here from the per-seed rows).
 */
class SeedTestsCliTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void summaryOfABalancedBackboneShowsBothVariantsAndTheBuiltNetworkIsTheBalancedOne() throws Exception {
        CliRun r = CliRun.of("summary", "--model", "resnet-34@x0.25-balanced", "--input", "3x32x32", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = JSON.readTree(r.out());
        JsonNode b = doc.get("backbone");
        long original = b.get("originalWeights").asLong(), balanced = b.get("balancedWeights").asLong();
        assertTrue(Math.abs(balanced - original) <= 0.001 * original, balanced + " vs " + original);
        assertEquals(balanced, doc.get("summary").get("convWeights").asLong(), "the network built is the balanced one");
        assertEquals("[16,16,32,64,128]", b.get("originalWidths").toString());
        assertEquals(b.get("balancedWidths"), doc.get("spec").get("widths"));
        // ResNet-34's balance raises the energy (README: x10 at full width)
        assertTrue(b.get("balancedLogEnergy").asDouble() > b.get("originalLogEnergy").asDouble(), b.toString());

        CliRun text = CliRun.of("summary", "--model", "alexnet@x0.25", "--input", "3x32x32");
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().contains("alexnet@x0.25-balanced") && text.out().contains("energy"), text.out());
        CliRun bad = CliRun.of("summary", "--model", "alexnet@x0-balanced", "--input", "3x32x32");
        assertEquals(2, bad.exitCode());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
    }

    /** Σ n_{i−1}·n_i with n_0 = 1: a plain layout's budget units on one input channel. */
    private static long units(String layout) {
        long sum = 0, in = 1;
        for (String w : layout.replaceAll("[()]", "").split(",")) {
            long n = Long.parseLong(w.strip());
            sum += in * n;
            in = n;
        }
        return sum;
    }

    @Test
    void ebcleDeeperGivesTwoLayoutsOfTheSameBudgetAndTheCommandThatTrainsThem() {
        CliRun r = CliRun.of("ebcle", "--budget", "4288", "--deeper", "20");
        assertEquals(0, r.exitCode(), r.err());
        Matcher bounded = Pattern.compile("broader but shallower: (\\d+)-layer layout (\\S+)").matcher(r.out());
        Matcher deep = Pattern.compile("narrower but deeper: (\\d+)-layer layout (\\S+)").matcher(r.out());
        assertTrue(bounded.find() && deep.find(), r.out());
        assertEquals(15, Integer.parseInt(bounded.group(1)), "Fashion-MNIST's bound (README)");
        assertEquals(20, Integer.parseInt(deep.group(1)));
        assertEquals(4288, units(bounded.group(2)));
        assertEquals(4288, units(deep.group(2)));
        assertTrue(r.out().contains("parsimony compare plain:" + bounded.group(2).replaceAll("[()]", "") + " plain:"
                + deep.group(2).replaceAll("[()]", "") + " --data fashion-mnist --seeds 3"), r.out());

        for (String[] bad : new String[][] {{"ebcle", "--deeper", "20"}, {"ebcle", "--budget", "4288", "--deeper", "15"},
                {"ebcle", "--budget", "4288", "--deeper", "61"}}) {
            CliRun e = CliRun.of(bad);
            assertEquals(2, e.exitCode(), String.join(" ", bad) + ": " + e.out());
            assertEquals(1, e.err().strip().lines().count(), e.err());
        }
    }

    @Test
    void compareOverSeedsReportsMeanAndStdOfAccuracyAndTime(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("seeds");
        CliRun r = CliRun.of("compare", "plain:4,8", "plain:8,16", "--seeds", "2", "--seed", "5", "--epochs", "1",
                "--batch", "64", "--limit-train", "250", "--limit-test", "100", "-q", "--run", run.toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("over 2 seeds (5..6)"), r.out());
        assertTrue(Files.readAllBytes(run.resolve("compare.png"))[0] == (byte) 0x89 && Files.readString(run.resolve("compare.svg")).contains("<svg"),
                "the accuracy-vs-parameters plot is written as PNG and SVG");
        assertTrue(r.out().contains("plot: " + run.resolve("compare.png")), r.out());
        JsonNode rows = JSON.readTree(Files.readString(run.resolve("compare.json")));
        JsonNode agg = JSON.readTree(Files.readString(run.resolve("compare-summary.json"))).get("models");
        assertEquals(4, rows.size());
        assertEquals(2, agg.size());
        List<Double> means = new ArrayList<>();
        for (int m = 0; m < 2; m++) {
            String name = m == 0 ? "plain:4,8" : "plain:8,16";
            List<JsonNode> mine = StreamSupport.stream(rows.spliterator(), false)
                    .filter(row -> row.get("name").asText().equals(name)).toList();
            assertEquals(List.of(5L, 6L), mine.stream().map(row -> row.get("seed").asLong()).toList());
            double a = mine.get(0).get("result").get("test").get("top1").asDouble();
            double b = mine.get(1).get("result").get("test").get("top1").asDouble();
            double ta = mine.get(0).get("result").get("trainSeconds").asDouble();
            double tb = mine.get(1).get("result").get("trainSeconds").asDouble();
            JsonNode g = agg.get(m);
            assertEquals(name, g.get("name").asText());
            assertEquals((a + b) / 2, g.get("top1Mean").asDouble(), 1e-12);
            assertEquals(Math.abs(a - b) / Math.sqrt(2), g.get("top1Std").asDouble(), 1e-12, "sample std of two values");
            assertEquals((ta + tb) / 2, g.get("trainSecondsMean").asDouble(), 1e-9);
            assertEquals(Math.abs(ta - tb) / Math.sqrt(2), g.get("trainSecondsStd").asDouble(), 1e-9);
            assertEquals((ta + tb) / 2, g.get("secondsPerEpoch").asDouble(), 1e-9, "one epoch each");
            means.add((a + b) / 2);
        }
        assertTrue(agg.get(0).get("top1VsFirst").isNull(), "the first model is the reference");
        assertEquals(means.get(1) - means.get(0), agg.get(1).get("top1VsFirst").get("mean").asDouble(), 1e-12);
        assertTrue(agg.get(1).get("top1VsFirst").get("low").asDouble() <= agg.get(1).get("top1VsFirst").get("high").asDouble());

        // an interrupted comparison continues: finished runs are read back, a half-trained one resumes
        Path second = run.resolve("02-plain-8-16-s6");
        byte[] metricsBefore = Files.readAllBytes(run.resolve("01-plain-4-8-s5").resolve("metrics.jsonl"));
        Files.delete(second.resolve("result.json"));   // as if killed after its last checkpoint
        CliRun again = CliRun.of("compare", "plain:4,8", "plain:8,16", "--seeds", "2", "--seed", "5", "--epochs", "1",
                "--batch", "64", "--limit-train", "250", "--limit-test", "100", "-q", "--run", run.toString(), "--resume");
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(3, again.err().lines().filter(l -> l.contains("read back from")).count(), again.err());
        assertTrue(Files.isRegularFile(second.resolve("result.json")), "the interrupted run finished");
        org.junit.jupiter.api.Assertions.assertArrayEquals(metricsBefore,
                Files.readAllBytes(run.resolve("01-plain-4-8-s5").resolve("metrics.jsonl")), "a finished run is not trained again");
        JsonNode agg2 = JSON.readTree(Files.readString(run.resolve("compare-summary.json"))).get("models");
        assertEquals(agg.get(0).get("top1Mean").asDouble(), agg2.get(0).get("top1Mean").asDouble(), 1e-12);
        CliRun otherRecipe = CliRun.of("compare", "plain:4,8", "--seeds", "2", "--seed", "5", "--epochs", "1", "--lr", "0.2",
                "--batch", "64", "--limit-train", "250", "--limit-test", "100", "-q", "--run", run.toString(), "--resume");
        assertEquals(2, otherRecipe.exitCode());
        assertEquals(1, otherRecipe.err().strip().lines().count(), otherRecipe.err());
        assertTrue(otherRecipe.err().contains("another recipe"), otherRecipe.err());
        CliRun noDir = CliRun.of("compare", "plain:4,8", "--resume", "-q");
        assertEquals(2, noDir.exitCode());
        assertTrue(noDir.err().contains("--resume needs --run DIR"), noDir.err());

        CliRun bad = CliRun.of("compare", "plain:4,8", "--seeds", "11", "-q", "--run", tmp.resolve("bad").toString());
        assertEquals(2, bad.exitCode());
        assertTrue(bad.err().contains("--seeds must be in 1..10"), bad.err());
    }
}
