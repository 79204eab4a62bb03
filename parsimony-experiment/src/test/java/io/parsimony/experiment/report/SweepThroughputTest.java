package io.parsimony.experiment.report;

import io.parsimony.experiment.store.ResultStore.RunRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SweepThroughputTest {

    private static RunRow run(String key, Path dir, long steps, double train, double wall, String start, String end) {
        return new RunRow(1, key, 0, "random", "plain:4", "{}", "(4)", 100L, 36, 1.4, "cifar10",
                "{\"batchSize\":128}", 0, "done", 0.5, 0.9, 1.2, 10_000, 2, steps, train, wall, false, null, "w1", "h",
                "test", dir.toString(), start, end);
    }

    private static void metrics(Path dir, String... lines) throws Exception {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("metrics.jsonl"), String.join("\n", lines) + "\n");
    }

    @Test
    void ratesComeFromTheStoreAndTheSplitFromEachRunsMetrics(@TempDir Path tmp) throws Exception {
        Path a = tmp.resolve("a"), b = tmp.resolve("b"), old = tmp.resolve("old");
        metrics(a, "{\"epoch\":1,\"dataWaitSeconds\":1,\"forwardSeconds\":10,\"backwardSeconds\":20,\"updateSeconds\":2,\"validationSeconds\":3}",
                "{\"epoch\":2,\"dataWaitSeconds\":1,\"forwardSeconds\":10,\"backwardSeconds\":20,\"updateSeconds\":2,\"validationSeconds\":3}");
        metrics(b, "{\"epoch\":1,\"dataWaitSeconds\":0,\"forwardSeconds\":30,\"backwardSeconds\":50,\"updateSeconds\":5,\"validationSeconds\":5}");
        metrics(old, "{\"epoch\":1,\"dataWaitSeconds\":0.5,\"seconds\":60}");   // before phases were recorded
        List<RunRow> rows = List.of(
                run("a", a, 100, 66, 80, "2026-11-29T10:00:00Z", "2026-11-29T10:01:20Z"),
                run("b", b, 200, 85, 100, "2026-11-29T10:01:20Z", "2026-11-29T10:03:00Z"),
                run("old", old, 300, 64, 70, "2026-11-29T10:03:00Z", "2026-11-29T10:04:10Z"));
        SweepThroughput t = SweepThroughput.of(rows);

        assertEquals(3, t.runs());
        assertEquals(250.0 / 3600, t.spanHours(), 1e-12, "first start 10:00:00 to last finish 10:04:10");
        assertEquals(250.0 / 3600, t.busyHours(), 1e-12, "back-to-back runs: busy the whole span");
        assertEquals(3 / (250.0 / 3600), t.runsPerHour(), 1e-9);
        // images/s per run: 100*128/66 = 193.9, 200*128/85 = 301.2, 300*128/64 = 600: median 301.2
        assertEquals(200 * 128 / 85.0, t.medianImagesPerSecond(), 1e-9);
        assertEquals(2, t.splitRuns(), "the run without phase figures is left out of the split");
        var s = t.split();
        assertEquals(2, s.dataWait(), 1e-12);
        assertEquals(50, s.forward(), 1e-12);
        assertEquals(90, s.backward(), 1e-12);
        assertEquals(9, s.update(), 1e-12);
        assertEquals(11, s.validation(), 1e-12);
        assertEquals((80 - 72) + (100 - 90), s.other(), 1e-12, "wall time in no phase");
        assertEquals(180, s.total(), 1e-12, "the split accounts for the two runs' wall time");
        assertTrue(t.line().startsWith("3 runs in 0.07 h of training: 43.2 runs/h; one run trains at 301 img/s (median); where 2 runs' 3 min went: "
                + "data wait 1.1%, forward 27.8%, backward 50.0%"), t.line());
    }

    @Test
    void pausesBetweenRunsAreNotChargedAndParallelRunsCountOnce(@TempDir Path tmp) {
        Path d = tmp.resolve("none");
        List<RunRow> rows = List.of(
                run("a", d, 100, 50, 60, "2026-11-29T10:00:00Z", "2026-11-29T10:10:00Z"),
                run("b", d, 100, 50, 60, "2026-11-29T10:05:00Z", "2026-11-29T10:20:00Z"),   // overlaps a (second worker)
                run("c", d, 100, 50, 60, "2026-11-29T12:00:00Z", "2026-11-29T12:10:00Z"));  // after a 100-minute pause
        SweepThroughput t = SweepThroughput.of(rows);
        assertEquals((130 + 0.0) / 60, t.spanHours(), 1e-12);
        assertEquals(30.0 / 60, t.busyHours(), 1e-12, "10:00-10:20 and 12:00-12:10");
        assertEquals(3 / 0.5, t.runsPerHour(), 1e-9);
        assertTrue(t.line().startsWith("3 runs in 0.50 h of training (2.17 h from first start to last finish, with pauses): 6.0 runs/h"),
                t.line());
    }

    @Test
    void noFinishedRunNoFigures(@TempDir Path tmp) {
        RunRow failed = new RunRow(1, "f", 0, "random", "plain:4", "{}", "(4)", 100L, 36, 1.4, "cifar10", "{}", 0, "failed",
                null, null, null, null, null, null, null, 3.0, false, "diverged", "w1", "h", "test", tmp.toString(), null, null);
        assertNull(SweepThroughput.of(List.of(failed)));
    }
}
