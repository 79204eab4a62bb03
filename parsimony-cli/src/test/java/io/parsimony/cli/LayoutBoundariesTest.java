package io.parsimony.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The layout commands at their input boundaries: a correct answer, or one line and exit 2, within seconds. */
class LayoutBoundariesTest {

    /** A guard against hanging (the regressions these tests pin ran for minutes); not a speed target. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every answer or refusal here must come well within the 10 s the limits are chosen for. */
    private static CliRun run(String... args) {
        return assertTimeoutPreemptively(HANG_GUARD, () -> CliRun.of(args));
    }

    /** Exit 2, one line on stderr naming {@code expected}, nothing on stdout, no trace. */
    private static String refused(String expected, String... args) {
        CliRun r = run(args);
        assertEquals(2, r.exitCode(), String.join(" ", args) + "\n" + r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("parsimony: error: "), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        assertTrue(r.err().length() < 600, r.err());
        assertTrue(r.err().contains(expected), "expected '" + expected + "' in: " + r.err());
        assertEquals("", r.out());
        return r.err();
    }

    @Test
    void aBudgetWhoseWeightsOverflowIsRefusedNotSearchedAsAnother() {
        // units·k² wrapped to 38,594 weights and searched the 4,288-unit budget, exit 0
        String err = refused("above the largest supported 1,000,000,000,000,000,000 weights",
                "layout", "search", "-N", "4", "-C", "2049638230412176690", "--tolerance", "1");
        assertTrue(err.contains("18,446,744,073,709,590,210 weights"), err);
    }

    @Test
    void aHugeBudgetNamesTheLimitNotASign() {
        String err = refused("largest supported", "layout", "search", "-N", "4", "-C", "2000000000000000000");
        assertFalse(err.contains("positive") || err.contains("-446744073709551616"), err);
        refused("largest supported", "layout", "search", "-N", "4", "--budget-weights", "9223372036854775807");
        refused("largest supported", "layout", "count", "35,36,37,43", "-C", "9223372036854775807");
    }

    @Test
    void autoSwitchesToTheHeuristicWhenExactSearchWouldNotEnd() throws Exception {
        CliRun r = run("layout", "search", "-N", "4", "-C", "1000000000000", "--top", "2", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = JSON.readTree(r.out());
        assertEquals("heuristic", doc.get("method").asText());
        assertEquals(9_000_000_000_000L, doc.get("top").get(0).get("weights").asLong());
        assertTrue(doc.get("energyUpperBound").asDouble() >= doc.get("top").get(0).get("energy").asDouble());
        assertTrue(r.err().contains("using the heuristic instead (--method heuristic)"), r.err());
        assertTrue(r.err().lines().allMatch(l -> l.startsWith("parsimony: ")), r.err());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--method heuristic (or auto)  | layout search -N 4 -C 1000000000000 --method exact",
            "drop --count                  | layout search -N 4 -C 1000000000000 --count",
            "use --top K                   | layout search -N 4 -C 1000000000000 --all",
            "narrow --tolerance            | layout sample -N 4 -C 1000000000000",
            "drop --count                  | layout search -N 6 -C 100000 --count",
    })
    void exactWorkAboveTheLimitIsRefusedWithTheEstimateAndTheFlag(String flag, String command) {
        String err = refused(flag, command.split(" "));
        assertTrue(err.contains("about") && err.contains("100,000,000"), err);
    }

    @Test
    void exactSearchThatHitsItsLimitSaysSo() {
        // N = 6 at a million units takes about 6·10^8 steps exactly: past the limit
        String err = refused("stopped at its limit of 100,000,000 steps",
                "layout", "search", "-N", "6", "-C", "1000000", "--method", "exact");
        assertTrue(err.contains("9.0e+11"), err);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--samples must be in [1, 100,000], got 2,000,000,000 | layout sample -N 4 -C 4288 --samples 2000000000",
            "--top must be in [1, 100,000], got 2,000,000,000     | layout search -N 4 -C 4288 --top 2000000000",
            "tolerance must be in [0, budget)                     | layout search -N 4 -C 4288 --tolerance 99999999999999",
            "tolerance must be in [0, budget)                     | layout search -N 4 -C 4288 --tolerance -1",
            "above the largest supported width of 1,073,741,824   | layout count 99999999999,3",
            "every width must be a positive number                | layout count 0,3",
            "every width must be a positive number                | layout count (-99999999999,3)",
            "empty layout                                         | layout count ()",
            "above the largest supported 10,000                   | layout search -N 2000000000 -C 4288",
            "a search supports at most 200 units                  | layout search -N 201 -C 4288",
            "input channels n0 is 2,000,000,000                   | layout search -N 4 -C 4288 --input-channels 2000000000",
            "has width 2,000,000,000                              | layout balance --widths 2000000000,3 --blocks 1,1",
            "largest supported count                              | layout balance --widths 200000000,3 --blocks 1,1 --stage-kernel 100000",
            "above the largest supported count                    | layout count 1073741824,1073741824,1073741824",
            "with widths up to 1,073,741,824                      | layout search -N 1 -C 5000000000",
    })
    void boundaryInputIsOneLineExitTwo(String expected, String command) {
        refused(expected.strip(), command.strip().split(" "));
    }

    @Test
    void aHundredThousandWidthsAreOneLineAtOnce() {
        String widths = IntStream.rangeClosed(1, 100_000).mapToObj(Integer::toString).collect(Collectors.joining(","));
        refused("100,000 units is above the largest supported 10,000", "layout", "count", widths);
        refused("100,000 units is above the largest supported 10,000", "layout", "energy", widths);
        refused("100,000 units is above the largest supported 10,000", "layout", "balance", "--widths", widths,
                "--blocks", widths);
    }

    @Test
    void hugeKernelsCountExactly() throws Exception {
        CliRun r = run("layout", "count", "35,36,37,43", "--kernel", "100000", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = JSON.readTree(r.out());
        assertEquals(4288L * 100_000 * 100_000, doc.get("total").asLong());
        assertEquals(4288.0, doc.get("units").asDouble());
    }

    @Test
    void thePapersBudgetsAnswerAsBefore() throws Exception {
        CliRun r = run("layout", "search", "--layers", "4", "--budget", "66304", "--count", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = JSON.readTree(r.out());
        assertEquals("exact", doc.get("method").asText());
        assertEquals("", r.err());   // no note: nothing was limited
        assertEquals("[135,136,137,211]", doc.get("top").get(0).get("layout").toString());
        // 10 layers at a million units: the README's heuristic example, without any note
        CliRun deep = run("layout", "search", "--layers", "10", "--budget", "1000000", "--top", "1");
        assertEquals(0, deep.exitCode(), deep.err());
        assertTrue(deep.out().contains("(319,320,321,322,323,324,325,327,358,429)"), deep.out());
        assertEquals("", deep.err());
    }
}
