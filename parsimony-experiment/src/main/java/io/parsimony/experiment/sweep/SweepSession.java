package io.parsimony.experiment.sweep;

import io.parsimony.experiment.report.EnergyAnalysis;
import io.parsimony.experiment.report.EnergyPlot;
import io.parsimony.experiment.report.SweepResults;
import io.parsimony.experiment.store.StoreLocation;
import io.parsimony.nn.data.ImageSet;
import org.knowm.xchart.XYChart;
import io.parsimony.experiment.job.Hashing;
import io.parsimony.experiment.job.Software;
import io.parsimony.experiment.store.ResultStore;

import java.nio.file.Path;
import java.util.List;

/**
 * One invocation of a planned sweep against a results store: registers the sweep (or finds it
 * by key, recording the command that re-runs it), trains what the store lacks, and reads the
 * results back with their analysis and plot. The command line only parses options and prints;
 * a {@code design} command or a remote coordinator drives the same steps.
 *
 * <pre>
 * try (SweepSession s = SweepSession.open(plan, store, runsDir, command)) {
 *     SweepRunner.Summary sum = s.run(workers.options(...), train, test, listener);
 *     SweepSession.Results r = s.results(plotPrefix);
 * }
 * </pre>
 */
public final class SweepSession implements AutoCloseable {

    /** The finished sweep read back: its analysis and the plot files (none before a run finished). */
    public record Results(SweepResults results, List<Path> plots) {
    }

    private final SweepPlan plan;
    private final ResultStore store;
    private final Path runsDir;
    private final long id;

    private SweepSession(SweepPlan plan, ResultStore store, Path runsDir, long id) {
        this.plan = plan;
        this.store = store;
        this.runsDir = runsDir;
        this.id = id;
    }

    /**
     * Opens (creating if absent) {@code storeFile} and registers the sweep.
     *
     * @param runsDir  run directories with checkpoints, or null for {@link #defaultRunsDir}
     * @param command  the command line that re-runs this sweep ({@link RerunCommand})
     */
    public static SweepSession open(SweepPlan plan, Path storeFile, Path runsDir, String command) {
        return open(plan, StoreLocation.of(storeFile), runsDir, command);
    }

    /** As {@link #open(SweepPlan, Path, Path, String)}, on an SQLite file or a PostgreSQL database. */
    public static SweepSession open(SweepPlan plan, StoreLocation where, Path runsDir, String command) {
        Path runs = runsDir != null ? runsDir : defaultRunsDir(where.anchor());
        ResultStore s = ResultStore.open(where);
        try {
            EnergySweep sweep = plan.sweep();
            long id = s.upsertSweep(sweep.key(), EnergySweep.KIND, sweep.title(), Hashing.json(sweep), plan.size(), command,
                    runs.toString(), Software.describe());
            return new SweepSession(plan, s, runs, id);
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
    }

    /** Run directories next to the store: {@code results.sqlite} → {@code results-runs/}. */
    public static Path defaultRunsDir(Path storeFile) {
        return ResultStore.sibling(storeFile, "-runs");
    }

    /** The plot prefix used without one given: {@code results.sqlite} → {@code results-sweep<ID>-energy}. */
    public Path defaultPlotPrefix() {
        return ResultStore.sibling(store.file(), "-sweep" + id + "-energy");
    }

    public long id() {
        return id;
    }

    public Path runsDir() {
        return runsDir;
    }

    public Path storeFile() {
        return store.file();
    }

    /** Queues the plan's runs for queue workers ({@code parsimony worker}) without training here; returns how many were new. */
    public int enqueue() {
        SweepRunner r = new SweepRunner(plan.sweep(), id, store, runsDir, null);
        return store.queue().enqueue(id, plan.runs().stream().map(r::queued).toList());
    }

    /** Trains the runs the store does not hold yet; {@code train}/{@code test} are kept for in-JVM trainings. */
    public SweepRunner.Summary run(SweepRunner.Options options, ImageSet train, ImageSet test, SweepRunner.Listener listener) {
        LocalTrainer local = new LocalTrainer().preload(plan.sweep().data(), train, test);
        return new SweepRunner(plan.sweep(), id, store, runsDir, local).run(plan.runs(), options, listener);
    }

    /** Reads the sweep back, analyses it, and writes its plot to {@code plotPrefix}.png/.svg (null: the default). */
    public Results results(Path plotPrefix) {
        ResultStore.SweepRow row = store.sweeps().stream().filter(w -> w.id() == id).findFirst().orElseThrow();
        SweepResults results = SweepResults.of(row, store.runs(id), EnergyAnalysis.defaults());
        XYChart chart = results.chart(860, 520);
        List<Path> plots = chart == null ? List.of() : EnergyPlot.write(chart, plotPrefix != null ? plotPrefix : defaultPlotPrefix());
        return new Results(results, plots);
    }

    @Override
    public void close() {
        store.close();
    }
}
