package io.parsimony.experiment.sweep;

import io.parsimony.experiment.sweep.EnergySweep.PlannedRun;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.experiment.store.ResultStore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A sweep and the runs it plans for one data set: what a command shows before training
 * (dry run), what the runner works through, and the counts both print. Kept apart from
 * running it, so a planner (a future {@code design} command, a remote coordinator) can make
 * and inspect plans without a store or workers.
 */
public record SweepPlan(EnergySweep sweep, List<PlannedRun> runs) {

    public SweepPlan {
        runs = List.copyOf(runs);
    }

    /** The plan for images like {@code train}'s (channels, classes, the smaller side as the size). */
    public static SweepPlan of(EnergySweep sweep, ImageSet train) {
        return new SweepPlan(sweep, sweep.plan(train.channels(), train.classes(), Math.min(train.height(), train.width())));
    }

    public int size() {
        return runs.size();
    }

    /** Runs in the random group (a layout also in the top-k counts here too). */
    public long drawn() {
        return runs.stream().filter(p -> p.roles().contains("random")).count();
    }

    /** True when fewer feasible layouts exist than the sweep asked to draw: the random group is all of them. */
    public boolean drawExhausted() {
        return drawn() < sweep.samples();
    }

    public long tops() {
        return runs.stream().filter(PlannedRun::top).count();
    }

    /** Runs in both groups. */
    public long both() {
        return runs.stream().filter(p -> p.roles().contains("random") && p.top()).count();
    }

    /** Runs in the random group, counting those also in the top-k. */
    public long random() {
        return size() - tops() + both();
    }

    /**
     * What {@code store} already holds for this sweep, by run key ("done" / "failed"); empty when
     * the store or the sweep does not exist yet (an empty file is a store to be: the sweep would
     * make it one). Reads only: the store is never created or changed.
     */
    public Map<String, String> statuses(Path store) {
        return statuses(io.parsimony.experiment.store.StoreLocation.of(store));
    }

    /** As {@link #statuses(Path)}; a PostgreSQL store is read if it exists (a missing one fails in one line). */
    public Map<String, String> statuses(io.parsimony.experiment.store.StoreLocation where) {
        if (where.postgres()) {
            try (ResultStore s = ResultStore.openExisting(where)) {
                return s.sweeps().stream().filter(w -> w.key().equals(sweep.key())).findFirst()
                        .map(w -> s.statuses(w.id())).orElse(Map.of());
            }
        }
        Path store = where.file();
        try {
            if (!Files.isRegularFile(store) || Files.size(store) == 0) {
                return Map.of();
            }
        } catch (java.io.IOException e) {
            throw new io.parsimony.InputException("cannot read results store " + store + ": " + e.getMessage());
        }
        try (ResultStore s = ResultStore.openExisting(store)) {
            return s.sweeps().stream().filter(w -> w.key().equals(sweep.key())).findFirst()
                    .map(w -> s.statuses(w.id())).orElse(Map.of());
        }
    }
}
