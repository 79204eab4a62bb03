package io.parsimony.experiment.design;

import io.parsimony.experiment.store.ResultStore;
import io.parsimony.experiment.store.ResultStore.RunRow;
import io.parsimony.experiment.sweep.SweepRunner;
import io.parsimony.nn.data.DataSets;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A small real design on a Fashion-MNIST slice: stopped in the middle of its second rung, then
 * rerun. The rerun trains nothing the store already holds, and the test split is asked for
 * only after the winner is fixed — in neither invocation before.
 */
class DesignRunTest {

    @Test
    void aStoppedDesignResumesWithoutRepeatingARunAndReadsTheTestSplitOnlyAfterChoosing(@TempDir Path tmp) {
        ImageSet train = TinyDesign.train();
        Design.Settings settings = TinyDesign.settings();
        Design.Plan plan = Design.plan(settings);
        assertEquals(4, plan.candidates().size(), plan.candidates().toString());
        Path store = tmp.resolve("design.sqlite");
        SweepRunner.Options one = new SweepRunner.Options(1, null, List.of(), false, null);

        AtomicInteger testReads = new AtomicInteger();
        TinyDesign.Recorder first = new TinyDesign.Recorder((run, n) -> run.roles().equals("rung2"));
        Supplier<ImageSet> neverBeforeTheWinner = () -> {
            assertTrue(first.winnerFixed.get(), "the test split was asked for before the winner was fixed");
            testReads.incrementAndGet();
            return DataSets.load("fashion-mnist", Split.TEST);
        };
        Path firstRuns = tmp.resolve("first-runs"), movedRuns = tmp.resolve("moved-runs");
        Design.Outcome stopped = Design.run(settings, plan, store, firstRuns, "cmd", one, train, neverBeforeTheWinner, first);
        boolean wasInterrupted = Thread.interrupted();
        assertTrue(wasInterrupted, "the listener stopped the design");
        assertFalse(stopped.complete());
        assertNull(stopped.winner());
        assertEquals(0, testReads.get(), "a design stopped in its rungs never read the test split");
        long rung1 = first.started.stream().filter(s -> s.startsWith("rung1 ")).count();
        assertEquals(4, rung1);
        assertEquals(1, first.started.stream().filter(s -> s.startsWith("rung2 ")).count(), first.started.toString());

        TinyDesign.Recorder second = new TinyDesign.Recorder((run, n) -> false);
        Supplier<ImageSet> afterWinner = () -> {
            assertTrue(second.winnerFixed.get(), "the test split was asked for before the winner was fixed");
            testReads.incrementAndGet();
            return DataSets.load("fashion-mnist", Split.TEST);
        };
        // resumed with the run directories elsewhere (another --runs, or the same relative path from
        // another working directory): the rerun trains where it was told, not where the tasks were first queued
        Design.Outcome done = Design.run(settings, plan, store, movedRuns, "cmd", one, train, afterWinner, second);
        assertTrue(done.complete());
        assertNotNull(done.winner());
        for (String s : second.started) {
            assertFalse(first.started.contains(s), "trained again after the rerun: " + s);
        }
        assertEquals(List.of("rung2"), second.started.stream().map(s -> s.split(" ")[0]).filter(r -> r.startsWith("rung")).toList(),
                "the rerun trains only the unfinished rung-2 entrant: " + second.started);
        assertEquals(1, testReads.get(), "the test split is read once, for the final runs");
        assertEquals(done.rungs().get(0).promoted(), done.rungs().get(1).models());
        assertEquals(done.winner().model(), done.rungs().get(1).promoted().get(0));
        try (ResultStore s = ResultStore.openExisting(store)) {
            List<RunRow> rows = s.runs(done.storeId());
            for (RunRow r : rows) {
                boolean rerun = second.started.stream().anyMatch(st -> st.endsWith(" " + r.runKey()));
                Path dir = Path.of(r.runDir());
                assertTrue(dir.isAbsolute() && dir.startsWith(rerun ? movedRuns : firstRuns), r.roles() + " " + r.runDir());
                assertTrue(java.nio.file.Files.isRegularFile(dir.resolve("result.json")), "trained in its recorded directory: " + dir);
                if (r.roles().startsWith("rung") || r.roles().equals("probe")) {
                    assertNull(r.top1(), "a rung run carries no test figure: " + r.model());
                    assertNotNull(r.valTop1(), r.model());
                } else {
                    assertNotNull(r.top1(), "a final run is tested: " + r.model());
                }
            }
            assertEquals(4 + 2 + 2 * done.groups().size(), rows.size(), "no probe with --rung-steps; 4 + 2 rung runs; 2 seeds per final network");
        }
        assertTrue(done.groups().stream().allMatch(g -> g.top1().size() == 2 && g.mean() > 0.1), done.groups().toString());
    }
}
