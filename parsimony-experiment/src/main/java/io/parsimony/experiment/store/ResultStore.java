package io.parsimony.experiment.store;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The results of sweeps and designs: a {@code sweeps} table (what was asked, the command that
 * asks it again), a {@code runs} table with one row per finished training, and the work queue of
 * the runs still to train ({@link #queue()}). Two implementations share one JDBC code path
 * ({@link JdbcResultStore}): an embedded SQLite file (the default, one machine) and a PostgreSQL
 * database (many machines on one study); {@link StoreLocation} says which.
 *
 * <p>Every finished run is written in its own transaction, so a process killed at any moment
 * leaves every committed row whole; several processes may write to one store at once. A
 * {@code done} row is never overwritten; a {@code failed} row is replaced when the run is retried.
 *
 * <p>A design ({@code parsimony design}) is a sweep of kind {@code design}: its rungs and final
 * trainings are runs with roles {@code probe}, {@code rungN} and {@code final-...}, choosing by
 * the validation columns ({@code val_top1}, {@code val_loss}).
 */
public interface ResultStore extends AutoCloseable {

    /** The schema version this program writes ({@link io.parsimony.experiment.store.Schema}). */
    int SCHEMA_VERSION = Schema.VERSION;

    /** The {@code kind} of a design's sweep ({@code parsimony design}): its rungs are no energy sweep. */
    String DESIGN_KIND = "design";

    /** One row of {@code sweeps}. */
    public record SweepRow(long id, String key, String kind, String title, String definition, int plannedRuns,
                           String command, String runsDir, String softwareVersion, String createdAt, String updatedAt) {
    }

    /** One row of {@code runs}. */
    public record RunRow(long sweepId, String runKey, int position, String roles, String model, String modelSpec,
                         String layout, Long parameters, long convWeights, double energy, String data, String recipe,
                         long seed, String status, Double top1, Double top5, Double testLoss, Integer testImages,
                         Integer epochs, Long steps, Double trainSeconds, double wallSeconds, boolean resumed,
                         String error, String worker, String host, String softwareVersion, String runDir,
                         String startedAt, String finishedAt, Double valTop1, Double valLoss) {

        /** A run without validation figures (a sweep's runs before designs recorded them). */
        public RunRow(long sweepId, String runKey, int position, String roles, String model, String modelSpec,
                      String layout, Long parameters, long convWeights, double energy, String data, String recipe,
                      long seed, String status, Double top1, Double top5, Double testLoss, Integer testImages,
                      Integer epochs, Long steps, Double trainSeconds, double wallSeconds, boolean resumed,
                      String error, String worker, String host, String softwareVersion, String runDir,
                      String startedAt, String finishedAt) {
            this(sweepId, runKey, position, roles, model, modelSpec, layout, parameters, convWeights, energy, data, recipe,
                    seed, status, top1, top5, testLoss, testImages, epochs, steps, trainSeconds, wallSeconds, resumed, error,
                    worker, host, softwareVersion, runDir, startedAt, finishedAt, null, null);
        }

        public boolean done() {
            return "done".equals(status);
        }

        public boolean top() {
            return roles.contains("top");
        }

        public boolean random() {
            return roles.contains("random");
        }
    }

    /** Opens the SQLite store {@code file}, creating the file and its tables when absent. */
    static ResultStore open(Path file) {
        return JdbcResultStore.open(StoreLocation.of(file));
    }

    /** Opens (creating or upgrading its tables) the store at {@code where}. */
    static ResultStore open(StoreLocation where) {
        return JdbcResultStore.open(where);
    }

    /**
     * Opens an existing store for reading (reports, dry runs). An SQLite file is opened read-only
     * and never created or changed: a missing file, an empty file, a file that is not SQLite and a
     * database without Parsimony's tables are each refused in one line naming the store.
     */
    static ResultStore openExisting(Path file) {
        return JdbcResultStore.openExisting(StoreLocation.of(file));
    }

    static ResultStore openExisting(StoreLocation where) {
        return JdbcResultStore.openExisting(where);
    }

    /**
     * A file next to a store, named after it: {@code store}'s extension replaced by
     * {@code suffix} (reports, plots and run directories sit beside their store).
     */
    static Path sibling(Path store, String suffix) {
        String name = store.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return store.resolveSibling(stem + suffix);
    }

    StoreLocation location();

    /** What reports, plots and run directories are named after: the SQLite file, or {@link StoreLocation#anchor()}. */
    default Path file() {
        return location().anchor();
    }

    /** Creates the sweep (or finds it by key) and records the latest command that runs it; returns its id. */
    long upsertSweep(String key, String kind, String title, String definition, int plannedRuns, String command,
                     String runsDir, String software);

    /** Status ('done' / 'failed') of every recorded run of a sweep, by run key. */
    Map<String, String> statuses(long sweepId);

    /** The recorded status of one run, or null. */
    String status(long sweepId, String runKey);

    /**
     * Writes one finished run in one transaction (and marks its queued task finished). Returns
     * false when the run was already recorded as done (by this or another process): the existing
     * row is kept.
     */
    boolean record(RunRow r);

    List<SweepRow> sweeps();

    /** The runs of one sweep in plan order. */
    List<RunRow> runs(long sweepId);

    /** The work queue of this store (the runs defined but not yet recorded). */
    WorkQueue queue();

    /** The database's own consistency check: "ok" when sound (SQLite's integrity_check; PostgreSQL checks itself). */
    String integrityCheck();

    /** SQLite's journal mode in force ("wal"); "postgresql" for a database. */
    String journalMode();

    @Override
    void close();
}
