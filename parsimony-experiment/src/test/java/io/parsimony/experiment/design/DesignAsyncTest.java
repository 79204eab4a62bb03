package io.parsimony.experiment.design;

import io.parsimony.experiment.store.StoreLocation;
import io.parsimony.experiment.store.ResultStore;
import io.parsimony.experiment.sweep.SweepRunner;
import io.parsimony.nn.data.DataSets;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The asynchronous race (what several workers run) on a real tiny design: promoted runs join
 * the queue while rung 1 is still training, the rungs end with the schedule's sizes, a design
 * stopped mid-race resumes by replaying what was recorded and trains nothing twice, and the
 * test split is read only after the winner is fixed.
 */
class DesignAsyncTest {

    @Test
    void anAsynchronousDesignPromotesEarlyResumesByReplayAndReadsTheTestSplitLast(@TempDir Path tmp) {
        ImageSet train = TinyDesign.train();
        Design.Settings settings = TinyDesign.settings();
        Design.Plan plan = Design.plan(settings);
        StoreLocation store = StoreLocation.of(tmp.resolve("design.sqlite"));
        SweepRunner.Options one = new SweepRunner.Options(1, null, List.of(), false, null);
        AtomicInteger testReads = new AtomicInteger();

        TinyDesign.Recorder first = new TinyDesign.Recorder((run, n) -> n == 3);   // stopped after 3 of rung 1's 4 runs
        Supplier<ImageSet> never = () -> {
            testReads.incrementAndGet();
            return DataSets.load("fashion-mnist", Split.TEST);
        };
        Design.Outcome stopped = Design.run(settings, plan, store, null, "cmd", one, train, never, first, true);
        assertTrue(Thread.interrupted(), "the listener stopped the design");
        assertFalse(stopped.complete());
        assertNull(stopped.winner());
        assertEquals(0, testReads.get());
        assertEquals(3, first.started.size(), first.started.toString());

        TinyDesign.Recorder second = new TinyDesign.Recorder((run, n) -> false);
        Supplier<ImageSet> afterWinner = () -> {
            assertTrue(second.winnerFixed.get(), "the test split was asked for before the winner was fixed");
            testReads.incrementAndGet();
            return DataSets.load("fashion-mnist", Split.TEST);
        };
        Design.Outcome done = Design.run(settings, plan, store, null, "cmd", one, train, afterWinner, second, true);
        assertTrue(done.complete());
        assertNotNull(done.winner());
        for (String s : second.started) {
            assertFalse(first.started.contains(s), "trained again after the rerun: " + s);
        }
        assertEquals(1, testReads.get());
        assertEquals(4, done.rungs().get(0).models().size());
        assertEquals(2, done.rungs().get(1).models().size(), "rung 2 holds the schedule's count: " + done.rungs());
        assertEquals(done.rungs().get(0).promoted(), done.rungs().get(1).models());
        assertEquals(List.of(done.winner().model()), done.rungs().get(1).promoted());
        // the winner is the better of rung 2's two by validation accuracy
        var r2 = done.rungs().get(1);
        int best = r2.accuracy().get(0) >= r2.accuracy().get(1) ? 0 : 1;
        assertEquals(r2.models().get(best), done.winner().model());
        // rung 1 promoted one candidate after its 2nd result (quota ⌊2·2/4⌋ = 1), before rung 1 was complete
        int firstRung2 = -1, lastRung1 = -1;
        List<String> order = new ArrayList<>(first.started);
        order.addAll(second.started);
        for (int i = 0; i < order.size(); i++) {
            if (order.get(i).startsWith("rung2 ") && firstRung2 < 0) {
                firstRung2 = i;
            }
            if (order.get(i).startsWith("rung1 ")) {
                lastRung1 = i;
            }
        }
        assertTrue(firstRung2 >= 0 && firstRung2 < lastRung1, "a rung-2 run started before rung 1 finished: " + order);
        try (ResultStore s = ResultStore.openExisting(store)) {
            assertEquals(4 + 2 + 2 * done.groups().size(), s.runs(done.storeId()).size());
        }
    }
}
