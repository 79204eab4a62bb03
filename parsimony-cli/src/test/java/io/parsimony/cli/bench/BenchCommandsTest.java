package io.parsimony.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parsimony.cli.CliRun;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The success paths of {@code bench layout} and {@code bench data}, kept short by their own flags
 * (the layout benchmark's cases are fixed; its 10⁶-unit, 6-layer search dominates the time).
 */
class BenchCommandsTest {

    @Test
    void layoutBenchTimesEachCaseAndFindsALayoutOfExactlyTheBudget() throws Exception {
        CliRun r = CliRun.of("bench", "layout", "--runs", "1", "--brute-force-timeout", "1", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode rows = new ObjectMapper().readTree(r.out());
        assertEquals(3, rows.size(), r.out());
        for (JsonNode row : rows) {
            long budget = row.get("budgetUnits").asLong();
            int layers = row.get("layers").asInt();
            int[] best = Arrays.stream(row.get("best").asText().replaceAll("[^0-9,]", "").split(","))
                    .mapToInt(Integer::parseInt).toArray();
            assertEquals(layers, best.length, row.toString());
            long units = 0;
            int in = 3;   // the benchmark's shape: three input channels, 3x3 kernels
            for (int w : best) {
                units += (long) in * w;
                in = w;
            }
            assertEquals(budget, units, "best layout spends the budget exactly: " + row);
            assertTrue(row.get("energy").asDouble() > 0, row.toString());
            assertTrue(row.get("medianMillis").asDouble() > 0, row.toString());
            assertTrue(row.get("minMillis").asDouble() > 0 && row.get("minMillis").asDouble() <= row.get("medianMillis").asDouble(),
                    row.toString());
            assertTrue(row.get("bruteForceTuples").asLong() > 0, row.toString());
        }
    }

    @Test
    void dataBenchPrintsPositiveThroughputForBothAugmentations() {
        CliRun r = CliRun.of("bench", "data", "--epochs", "1", "--batch", "256");
        assertEquals(0, r.exitCode(), r.err());
        Matcher loaded = Pattern.compile("fashion-mnist/train: ([\\d,]+) images 1x28x28 loaded in ([\\d.]+) s").matcher(r.out());
        assertTrue(loaded.find(), r.out());
        assertEquals(60_000, Integer.parseInt(loaded.group(1).replace(",", "")));
        Matcher rate = Pattern.compile("loader alone, ([^:]+): ([\\d,]+) images/s \\(batch 256, 1 epochs in ([\\d.]+) s\\)")
                .matcher(r.out());
        List<String> seen = new java.util.ArrayList<>();
        while (rate.find()) {
            seen.add(rate.group(1));
            assertTrue(Long.parseLong(rate.group(2).replace(",", "")) > 0, rate.group());
            assertTrue(Double.parseDouble(rate.group(3)) > 0, rate.group());
        }
        assertEquals(List.of("no augmentation", "crop 2 + flip"), seen, r.out());
    }
}
