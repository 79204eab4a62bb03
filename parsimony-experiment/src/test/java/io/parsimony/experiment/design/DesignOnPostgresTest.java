package io.parsimony.experiment.design;

import io.parsimony.experiment.store.PgServer;
import io.parsimony.experiment.store.StoreLocation;
import io.parsimony.experiment.sweep.EnergySweep.PlannedRun;
import io.parsimony.experiment.store.ResultStore;
import io.parsimony.experiment.store.ResultStore.RunRow;
import io.parsimony.experiment.sweep.SweepRunner;
import io.parsimony.nn.data.DataSets;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A design on the shared PostgreSQL store, the way a cluster runs one: every rung and final
 * seed is recorded there exactly once, and the same command run again (another machine, the
 * same database) trains nothing and finds the same winner.
 */
class DesignOnPostgresTest {

    @Test
    void aDesignRunsOnPostgresAndItsRerunTrainsNothing(@TempDir Path tmp) {
        StoreLocation where = StoreLocation.parse(PgServer.get().freshDatabase("design"));
        ImageSet train = TinyDesign.train();
        Design.Settings settings = TinyDesign.settings();
        Design.Plan plan = Design.plan(settings);
        SweepRunner.Options one = new SweepRunner.Options(1, null, List.of(), false, null);
        AtomicInteger trained = new AtomicInteger();
        Design.Listener counting = new Design.Listener() {
            @Override
            public void started(PlannedRun run, String worker) {
                trained.incrementAndGet();
            }
        };

        Design.Outcome done = Design.run(settings, plan, where, tmp.resolve("runs"), "cmd", one, train,
                () -> DataSets.load("fashion-mnist", Split.TEST), counting);
        assertTrue(done.complete());
        assertNotNull(done.winner());
        int first = trained.get();
        assertEquals(4 + 2 + 2 * done.groups().size(), first, "4 + 2 rung runs and 2 seeds per final network");

        Design.Outcome again = Design.run(settings, plan, where, tmp.resolve("runs"), "cmd", one, train,
                () -> DataSets.load("fashion-mnist", Split.TEST), counting);
        assertEquals(first, trained.get(), "the rerun found every run in the store and trained none");
        assertEquals(done.winner().model(), again.winner().model());
        try (ResultStore s = ResultStore.openExisting(where)) {
            List<RunRow> rows = s.runs(done.storeId());
            assertEquals(first, rows.size());
            Set<String> keys = new HashSet<>();
            rows.forEach(r -> assertTrue(keys.add(r.runKey()), "recorded twice: " + r.model()));
        }
    }
}
