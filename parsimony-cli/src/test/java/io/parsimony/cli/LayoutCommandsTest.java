package io.parsimony.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayoutCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String... args) throws Exception {
        CliRun r = CliRun.of(args);
        assertEquals(0, r.exitCode(), r.err());
        return JSON.readTree(r.out());
    }

    @Test
    void countsTheResidualNetOfTable3() throws Exception {
        JsonNode doc = json("layout", "count", "--repeats", "1,10,10,10", "16,16,32,64", "--json");
        assertEquals(51_248.0, doc.get("units").asDouble());
        assertEquals(31, doc.get("layers").size());   // 1 + 10 + 10 + 10 convs, no projections by default
        JsonNode withProjections = json("layout", "count", "--repeats", "1,10,10,10", "16,16,32,64",
                "--shortcuts", "projection", "--json");
        // 1x1 projections where the width changes: 16->32 and 32->64
        assertEquals(51_248 * 9 + 16 * 32 + 32 * 64, withProjections.get("total").asLong());
    }

    @Test
    void tableOutputShowsPerLayerRowsAndTotals() {
        CliRun r = CliRun.of("layout", "count", "35,36,37,43");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("14,319"), r.out());          // 37·43·9 for the last layer
        assertTrue(r.out().contains("4,288 units"), r.out());
    }

    @Test
    void searchPrintsTable5AsTheExactTop6() throws Exception {
        JsonNode doc = json("layout", "search", "-N", "4", "-C", "4288", "--count", "--json");
        List<String> top = new ArrayList<>();
        doc.get("top").forEach(row -> top.add(row.get("layout").toString()));
        assertEquals(List.of("[35,36,37,43]", "[33,35,37,47]", "[35,37,38,39]", "[32,36,38,44]",
                "[30,31,38,55]", "[28,29,32,77]"), top);
        assertEquals("exact", doc.get("method").asText());

        // --all streams exactly the counted number of layouts, each meeting the budget
        CliRun all = CliRun.of("layout", "search", "-N", "4", "-C", "4288", "--all", "--json");
        String[] lines = all.out().strip().split("\n");
        assertEquals(doc.get("feasible").asLong(), lines.length);
        for (String line : lines) {
            assertEquals(38_592, JSON.readTree(line).get("weights").asLong());
        }
    }

    @Test
    void heuristicReportsAProvenBoundNotBelowItsLayout() throws Exception {
        JsonNode doc = json("layout", "search", "-N", "8", "-C", "200000", "--top", "1", "--json");
        assertEquals("heuristic", doc.get("method").asText());
        double e = doc.get("top").get(0).get("energy").asDouble();
        double bound = doc.get("energyUpperBound").asDouble();
        assertTrue(bound >= e && doc.get("gap").asDouble() < 0.05, doc.toString());
        assertEquals(200_000L * 9, doc.get("top").get(0).get("weights").asLong());
    }

    @Test
    void sampleIsReproducibleBySeed() throws Exception {
        JsonNode a = json("layout", "sample", "-N", "4", "-C", "4288", "--samples", "32", "--seed", "7", "--json");
        JsonNode b = json("layout", "sample", "-N", "4", "-C", "4288", "--samples", "32", "--seed", "7", "--json");
        JsonNode c = json("layout", "sample", "-N", "4", "-C", "4288", "--samples", "32", "--seed", "8", "--json");
        assertEquals(32, a.get("samples").size());
        assertEquals(a, b);
        assertFalse(a.equals(c));
    }

    @Test
    void balanceKeepsTheCountWithinHalfAPercent() throws Exception {
        JsonNode doc = json("layout", "balance", "--preset", "resnet101", "--json");
        assertTrue(Math.abs(doc.get("relativeDifference").asDouble()) <= 0.005, doc.toString());
        assertEquals(5, doc.get("stages").size());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "layout search -N 4 -C 10",                     // budget too small for N layers
            "layout count 35,0,37",                         // non-positive width
            "layout count 35,-3,37",
            "layout balance --preset vgg99",                // unknown preset
            "layout count 35,36,37,44 -C 4288",             // layout that cannot meet the budget
            "layout search -N 4 -C 4288 --order sideways",
            "layout search -N 4",                           // missing budget
            "layout count --repeats 1,3 16,32",             // odd conv count in a residual unit
            "layout sample -N 4 -C 4288 --samples 0",
    })
    void badInputIsOneLineExitTwoNoTrace(String command) {
        CliRun r = CliRun.of(command.split(" "));
        assertEquals(2, r.exitCode(), command);
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("parsimony: error: "), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        assertEquals("", r.out());
    }
}
