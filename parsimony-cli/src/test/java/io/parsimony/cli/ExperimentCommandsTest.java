package io.parsimony.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The success paths of {@code extremes}, {@code ebcle probe} and {@code compare} through the real
 * command line, on a Fashion-MNIST slice and one epoch; expected sizes are worked out here from
 * the architecture (k×k convs without bias, BN, global pool, linear), not taken from the code.
 */
class ExperimentCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] TINY = {"--epochs", "1", "--batch", "64", "--lr", "0.05", "--limit-train", "1000",
            "--limit-test", "500", "-q"};

    private static String[] args(String[] head, String... tail) {
        String[] all = Arrays.copyOf(head, head.length + TINY.length + tail.length);
        System.arraycopy(TINY, 0, all, head.length, TINY.length);
        System.arraycopy(tail, 0, all, head.length + TINY.length, tail.length);
        return all;
    }

    /** Budget units of a plain layout on one input channel: Σ n_{i−1}·n_i with n_0 = 1 (seed 001's C / k²). */
    private static long units(int[] widths) {
        long sum = 0;
        int in = 1;
        for (int w : widths) {
            sum += (long) in * w;
            in = w;
        }
        return sum;
    }

    private static int[] widths(String layout) {
        return Arrays.stream(layout.replaceAll("[^0-9,]", "").split(",")).mapToInt(Integer::parseInt).toArray();
    }

    @Test
    void extremesTrainsTheMaxAndMinEnergyLayoutsOfOneBudget(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("extremes");
        CliRun r = CliRun.of(args(new String[] {"extremes", "--budget", "100", "--layers", "2"}, "--run", run.toString()));
        assertEquals(0, r.exitCode(), r.err());
        Matcher m = Pattern.compile("max-energy (\\S+) vs min-energy (\\S+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        int[] max = widths(m.group(1)), min = widths(m.group(2));
        assertEquals(2, max.length, m.group(1));
        assertEquals(2, min.length, m.group(2));
        assertNotEquals(Arrays.toString(max), Arrays.toString(min));
        assertEquals(100, units(max), "max-energy layout spends the budget exactly");
        assertEquals(100, units(min), "min-energy layout spends the budget exactly");
        assertTrue(r.out().contains("max energy") && r.out().contains("min energy"), "both rows in the table:\n" + r.out());

        JsonNode both = JSON.readTree(Files.readString(run.resolve("extremes.json")));
        assertEquals(2, both.size());
        assertEquals("max energy", both.get(0).get("role").asText());
        assertEquals("min energy", both.get(1).get("role").asText());
        for (JsonNode e : both) {
            JsonNode result = e.get("result");
            assertEquals(100 * 9, result.get("convWeights").asLong(), "100 units of 3x3 weights: " + e);
            assertEquals(1, result.get("epochs").asInt());
            double top1 = result.get("test").get("top1").asDouble(), loss = result.get("test").get("loss").asDouble();
            assertTrue(top1 >= 0 && top1 <= 1 && Double.isFinite(loss), "a 100-unit net after one epoch: " + result.get("test"));
            assertEquals(500, result.get("test").get("images").asInt());
        }
        assertTrue(Files.exists(run.resolve("max-energy").resolve("result.json")));
        assertTrue(Files.exists(run.resolve("min-energy").resolve("result.json")));
    }

    @Test
    void ebcleProbeReportsAccuracyAndLayerCkaPerDepth(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("probe");
        CliRun r = CliRun.of(args(new String[] {"ebcle", "probe", "--depths", "3,1,2", "--width", "8"},
                "--run", run.toString(), "--json"));
        assertEquals(0, r.exitCode(), r.err());
        JsonNode report = JSON.readTree(r.out());
        assertEquals(report, JSON.readTree(Files.readString(run.resolve("probe.json"))), "printed = saved");
        JsonNode points = report.get("points");
        assertEquals(3, points.size());
        for (int i = 0; i < 3; i++) {
            JsonNode p = points.get(i);
            int depth = p.get("depth").asInt();
            assertEquals(i + 1, depth, "depths sorted");
            double top1 = p.get("top1").asDouble();
            assertTrue(top1 > 0.1 && top1 <= 1, "depth " + depth + " top-1 " + top1);
            JsonNode cka = p.get("layerCka");
            assertEquals(depth - 1, cka.size(), "one CKA per pair of consecutive conv layers at depth " + depth);
            for (JsonNode c : cka) {
                assertTrue(c.asDouble() >= 0 && c.asDouble() <= 1 + 1e-9, "CKA " + c + " outside [0,1] at depth " + depth);
            }
            assertTrue(Files.exists(run.resolve("depth-" + depth).resolve("result.json")));
        }
        int plateau = report.get("accuracyPlateauDepth").asInt();
        assertTrue(plateau >= 1 && plateau <= 3, "plateau depth " + plateau);
        assertTrue(report.get("bound").get("maxConvLayers").asInt() >= 1, report.get("bound").toString());
        assertTrue(Files.size(run.resolve("probe.png")) > 0);
        assertTrue(Files.readString(run.resolve("probe.svg")).contains("<svg"));

        CliRun text = CliRun.of(args(new String[] {"ebcle", "probe", "--depths", "1", "--width", "4"},
                "--run", tmp.resolve("text").toString()));
        assertEquals(0, text.exitCode(), text.err());
        assertTrue(text.out().contains("EBCLE bound:") && text.out().contains("plot: "), text.out());
    }

    @Test
    void compareTrainsEachModelAndReportsItsSize(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("compare");
        CliRun r = CliRun.of(args(new String[] {"compare", "plain:8,16", "plain:4,8"}, "--run", run.toString(), "--json"));
        assertEquals(0, r.exitCode(), r.err());
        JsonNode rows = JSON.readTree(r.out());
        assertEquals(rows, JSON.readTree(Files.readString(run.resolve("compare.json"))), "printed = saved");
        assertEquals(2, rows.size());
        // conv 3x3 without bias, BN (gamma, beta), linear head with bias, 1 channel in, 10 classes
        long[][] expected = {{9 * (8 + 8 * 16), 2 * (8 + 16), 16 * 10 + 10}, {9 * (4 + 4 * 8), 2 * (4 + 8), 8 * 10 + 10}};
        for (int i = 0; i < 2; i++) {
            JsonNode row = rows.get(i);
            long[] e = expected[i];
            assertEquals(e[0], row.get("convWeights").asLong(), row.toString());
            assertEquals(e[0] + e[1] + e[2], row.get("parameters").asLong(), row.toString());
            assertEquals(row.get("parameters").asLong(), row.get("unsharedParameters").asLong(), "nothing shared");
            assertEquals(0, row.get("coefficients").asLong());
            double top1 = row.get("result").get("test").get("top1").asDouble();
            assertTrue(top1 > 0.2 && top1 <= 1, "top-1 " + top1);
        }
        try (var dirs = Files.list(run)) {
            assertEquals(2, dirs.filter(Files::isDirectory).count(), "one run directory per model");
        }
    }
}
