package io.parsimony.cli.experiment;

import io.parsimony.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code parsimony design} through the real command line: its plan, and every kind of bad input refused in one line. */
class DesignCommandTest {

    private static void refused(Path tmp, String expected, String... args) throws Exception {
        CliRun r = CliRun.of(args);
        List<String> lines = r.err().lines().filter(l -> !l.isBlank() && !l.contains(" WARN ") && !l.contains(" INFO ")).toList();
        assertEquals(2, r.exitCode(), String.join(" ", args) + "\n" + r.err());
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("parsimony: error: ") && lines.get(0).contains(expected), lines.get(0));
        try (var files = Files.list(tmp)) {
            assertEquals(List.of(), files.toList(), "a refused design writes nothing");
        }
    }

    @Test
    void badInputIsOneLineAndExitTwoAndWritesNothing(@TempDir Path tmp) throws Exception {
        String store = tmp.resolve("d.sqlite").toString();
        refused(tmp, "unknown family 'transformer'", "design", "--budget", "4288", "--families", "plain,transformer", "--store", store);
        refused(tmp, "is not a duration", "design", "--budget", "4288", "--time", "soon", "--store", store);
        refused(tmp, "too short for one rung", "design", "--budget", "4288", "--time", "20s", "--store", store);
        refused(tmp, "no candidate", "design", "--budget", "2", "--families", "plain,resnet", "--max-depth", "3", "--store", store);
        refused(tmp, "give the budget", "design", "--store", store);
        refused(tmp, "--epochs does not apply", "design", "--budget", "4288", "--epochs", "3", "--store", store);
        refused(tmp, "--final-epochs E", "design", "--budget", "4288", "--steps", "100", "--store", store);
        refused(tmp, "--schedule does not apply", "design", "--budget", "4288", "--schedule", "cosine", "--store", store);
        refused(tmp, "--max-latency 'fast' is not a duration", "design", "--budget", "4288", "--max-latency", "fast", "--store", store);
        refused(tmp, "--max-macs 'lots' is not a count", "design", "--budget", "4288", "--max-macs", "lots", "--store", store);
        refused(tmp, "--final-schedule must be cosine or multistep", "design", "--budget", "4288", "--final-schedule", "linear",
                "--store", store);
        refused(tmp, "no-such-data", "design", "--budget", "4288", "--data", tmp.resolve("no-such-data").toString(), "--store", store);
    }

    @Test
    void theDryRunListsEveryFamilysCandidatesWithinTheBudgetUpToTheEbcleDepth(@TempDir Path tmp) {
        CliRun r = CliRun.of("design", "--budget", "4288", "--dry-run", "--store", tmp.resolve("d.sqlite").toString());
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("depth up to 15 conv layers (EBCLE bound 15"), r.out());
        for (String family : List.of("| plain ", "| resnet ", "| dacnn ", "| rescaled ")) {
            assertTrue(r.out().contains(family), family + " in\n" + r.out());
        }
        assertTrue(r.out().contains("plain:32,34,36,54"), "the 4-layer max-energy layout is a candidate and the default");
        assertTrue(r.out().contains("dacnn global 64, 14 convs"), r.out());
        assertTrue(r.out().matches("(?s).*\\| plain +\\| plain:32,34,36,54 +\\|.*\\| +\\d+\\.\\d{3} ms \\|.*"),
                "every candidate's measured latency: " + r.out());
        assertTrue(r.out().contains("hand-designed: the best of [resnet:"), r.out());
        assertFalse(Files.exists(tmp.resolve("d.sqlite")), "a dry run creates no store");
    }

    @Test
    void helpNamesTheFinalStageAndTheDeviceBudgetsAndNotTheTrainingLengthFlags() {
        CliRun r = CliRun.of("design", "--help");
        assertEquals(0, r.exitCode());
        for (String flag : List.of("--final-epochs=E", "--final-schedule=", "--max-macs=N", "--max-latency=DURATION")) {
            assertTrue(r.out().contains(flag), flag + " in\n" + r.out());
        }
        assertFalse(r.out().contains("--epochs=") || r.out().contains("--steps=") || r.out().contains("--schedule="), "a design sets both itself:\n" + r.out());
    }
}
