package io.parsimony.experiment.sweep;

import io.parsimony.InputException;
import io.parsimony.nn.train.TrainingRecipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.parsimony.experiment.store.ResultStore;
import io.parsimony.experiment.store.StoreRows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The orchestration pieces the sweep command is built from, without training. */
class SweepPlanTest {

    private static EnergySweep sweep(int samples, int top) {
        return new EnergySweep(4288, 4, null, "strict", 0, samples, 0, top, "fashion-mnist", TrainingRecipe.defaults(1));
    }

    @Test
    void planCountsGroupsAndReadsStatusesWithoutCreatingTheStore(@TempDir Path tmp) {
        SweepPlan plan = new SweepPlan(sweep(4, 3), sweep(4, 3).plan(1, 10, 28));
        assertEquals(plan.size(), plan.tops() + plan.random() - plan.both());
        assertEquals(3, plan.tops());
        assertEquals(4, plan.drawn());
        assertFalse(plan.drawExhausted());
        Path store = tmp.resolve("results.sqlite");
        assertEquals(java.util.Map.of(), plan.statuses(store));
        assertFalse(Files.exists(store), "reading statuses creates no store");

        try (ResultStore s = ResultStore.open(store)) {
            long id = s.upsertSweep(plan.sweep().key(), EnergySweep.KIND, "t", "{}", plan.size(), "c", "r", "sw");
            assertTrue(s.record(StoreRows.row(id, plan.runs().get(0).runKey(), 0, 1.0, 0.5, "w1", 1)));
        }
        assertEquals(java.util.Map.of(plan.runs().get(0).runKey(), "done"), plan.statuses(store));
    }

    @Test
    void workerPlanSharesTheCores() {
        assertEquals(1, new WorkerPlan(4, null, null, false, 2).threadsPerWorker(), "at least one thread each");
        assertEquals(3, new WorkerPlan(2, null, null, false, 6).threadsPerWorker());
        assertEquals("; 2 worker processes x 3 threads (6 cores)", new WorkerPlan(2, null, null, false, 6).describe());
        assertEquals("; training in this process", new WorkerPlan(1, 2, null, false, 6).describe());
        assertTrue(new WorkerPlan(1, null, List.of(), true, 2).processes());
        assertTrue(new WorkerPlan(1, null, null, false, 2).options(List.of("x"), false, null).launcher() == null);
        InputException e = assertThrows(InputException.class, () -> new WorkerPlan(0, null, null, false, 2));
        assertEquals("--workers must be at least 1, got 0", e.getMessage());
        e = assertThrows(InputException.class, () -> new WorkerPlan(1, 0, null, false, 2));
        assertEquals("--threads must be at least 1, got 0", e.getMessage());
    }

    @Test
    void rerunCommandQuotesWhatTheShellWouldSplit() {
        assertEquals("cd /tmp && parsimony sweep energy --store 'my runs/r.sqlite' --lr 0.05",
                RerunCommand.of(Path.of("/tmp"), List.of("sweep", "energy"), List.of("--store", "my runs/r.sqlite", "--lr", "0.05")));
        assertEquals("cd /tmp && parsimony sweep energy -q",
                RerunCommand.of(Path.of("/tmp"), List.of("sweep", "energy"), List.of("sweep", "energy", "-q")));
        assertEquals("'it'\\''s'", RerunCommand.quote("it's"));
        assertEquals(Path.of("/a/results-runs"), SweepSession.defaultRunsDir(Path.of("/a/results.sqlite")));
        assertEquals(Path.of("/a/store.html"), ResultStore.sibling(Path.of("/a/store"), ".html"));
    }
}
