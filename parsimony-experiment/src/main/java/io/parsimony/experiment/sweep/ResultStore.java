package io.parsimony.experiment.sweep;

import io.parsimony.InputException;
import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The results of sweeps in one embedded SQLite file: a {@code sweeps} table (what was asked,
 * the command that asks it again) and a {@code runs} table with one row per finished training.
 *
 * <p>Durability: WAL journal, {@code synchronous=FULL}, a busy timeout, and every finished run
 * is written in its own {@code BEGIN IMMEDIATE} transaction, so a process killed at any moment
 * leaves every committed row whole and no row half-written; several processes may write to one
 * store at once (SQLite serialises the writers). A {@code done} row is never overwritten; a
 * {@code failed} row is replaced when the run is retried.
 *
 * <p>A design ({@code parsimony design}) is a sweep of kind {@code design}: its rungs and final
 * trainings are runs with roles {@code probe}, {@code rungN} and {@code final-...}, choosing by
 * the validation columns ({@code val_top1}, {@code val_loss}). Those columns were added to the
 * first schema without changing its version: a store written before them gets them on open (two
 * nullable columns, {@code ALTER TABLE ... ADD COLUMN}), and older programs ignore them.
 */
public final class ResultStore implements AutoCloseable {

    /** Increase when the schema changes incompatibly. */
    public static final int SCHEMA_VERSION = 1;
    static final String FORMAT = "parsimony-results";

    static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS store_info (
              key   TEXT PRIMARY KEY,
              value TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS sweeps (
              id               INTEGER PRIMARY KEY,
              sweep_key        TEXT NOT NULL UNIQUE,   -- hash of the definition: same sweep, same key
              kind             TEXT NOT NULL,          -- 'energy'
              title            TEXT NOT NULL,
              definition       TEXT NOT NULL,          -- JSON: budget, layers, repeats, samples, top, data, recipe, ...
              planned_runs     INTEGER NOT NULL,
              command          TEXT NOT NULL,          -- the command line that (re-)runs it
              runs_dir         TEXT NOT NULL,          -- where the run directories (checkpoints) live
              software_version TEXT NOT NULL,
              created_at       TEXT NOT NULL,          -- ISO-8601 UTC
              updated_at       TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS runs (
              id               INTEGER PRIMARY KEY,
              sweep_id         INTEGER NOT NULL REFERENCES sweeps(id),
              run_key          TEXT NOT NULL,          -- hash of model spec + data + recipe
              position         INTEGER NOT NULL,       -- index in the sweep's plan
              roles            TEXT NOT NULL,          -- 'random', 'top' or 'random+top'
              model            TEXT NOT NULL,          -- text spec, e.g. plain:35,36,37,43
              model_spec       TEXT NOT NULL,          -- JSON of the model spec
              layout           TEXT NOT NULL,          -- e.g. (35,36,37,43)
              parameters       INTEGER,                -- all parameters of the built net (BN, classifier)
              conv_weights     INTEGER NOT NULL,       -- Eq. 1 count
              energy           REAL NOT NULL,          -- Eq. 3
              data             TEXT NOT NULL,
              recipe           TEXT NOT NULL,          -- JSON of the training recipe
              seed             INTEGER NOT NULL,
              status           TEXT NOT NULL CHECK (status IN ('done', 'failed')),
              top1             REAL,
              top5             REAL,
              test_loss        REAL,
              test_images      INTEGER,
              epochs           INTEGER,
              steps            INTEGER,
              train_seconds    REAL,                   -- training loop time (all epochs, also before a resume)
              wall_seconds     REAL NOT NULL,          -- this attempt, incl. start-up and evaluation
              resumed          INTEGER NOT NULL DEFAULT 0,
              error            TEXT,
              worker           TEXT,
              host             TEXT,
              software_version TEXT NOT NULL,
              run_dir          TEXT,
              started_at       TEXT NOT NULL,
              finished_at      TEXT NOT NULL,
              val_top1         REAL,                   -- last epoch's validation accuracy (designs choose by it)
              val_loss         REAL,
              UNIQUE (sweep_id, run_key)
            );
            """;

    /** Columns added after the first release of the schema, with their types: added to older stores on open. */
    private static final Map<String, String> ADDED_RUN_COLUMNS = Map.of("val_top1", "REAL", "val_loss", "REAL");

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

    private final Path file;
    private final Connection conn;

    private ResultStore(Path file, Connection conn) {
        this.file = file;
        this.conn = conn;
    }

    /** Opens the store, creating the file and its tables when absent. */
    public static ResultStore open(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        if (Files.isDirectory(file)) {
            throw new InputException("results store " + file + " is a directory; give a file name, e.g. " + file.resolve("results.sqlite"));
        }
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new InputException("cannot create the directory of results store " + file + ": " + e.getMessage());
        }
        requireSqliteOrEmpty(file);
        ResultStore s = connect(file);
        s.createSchema();
        return s;
    }

    /**
     * Opens an existing store for reading (reports, dry runs). The file is opened read-only and
     * never created or changed: a missing file, an empty file, a file that is not SQLite and an
     * SQLite database without Parsimony's tables are each refused in one line naming the file.
     */
    public static ResultStore openExisting(Path file) {
        if (Files.isDirectory(file)) {
            throw new InputException("results store " + file + " is a directory; give the store's file, e.g. " + file.resolve("results.sqlite"));
        }
        if (!Files.isRegularFile(file)) {
            throw new InputException("no results store at " + file + "; create one with 'parsimony sweep energy --store " + file + "'");
        }
        if (!requireSqliteOrEmpty(file)) {
            throw new InputException(file + " is an empty file, not a results store; give a store written by 'parsimony sweep energy --store FILE'");
        }
        ResultStore s = connectReadOnly(file);
        try {
            s.requireOurs();
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        return s;
    }

    public Path file() {
        return file;
    }

    /**
     * A file next to a store, named after it: {@code store}'s extension replaced by
     * {@code suffix} (reports, plots and run directories sit beside their store).
     */
    public static Path sibling(Path store, String suffix) {
        String name = store.getFileName().toString();
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        return store.resolveSibling(stem + suffix);
    }

    /**
     * Refuses files that exist, are not empty and do not start with SQLite's 16-byte header
     * (cheap, before SQLite opens and possibly rewrites them). True when the file holds a
     * header, false when it is absent or empty.
     */
    private static boolean requireSqliteOrEmpty(Path file) {
        if (!Files.exists(file)) {
            return false;
        }
        if (!Files.isReadable(file)) {
            throw new InputException("results store " + file + " is not readable");
        }
        byte[] magic = "SQLite format 3\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(magic.length);
            if (head.length == 0) {
                return false;
            }
            if (!java.util.Arrays.equals(head, magic)) {
                throw new InputException(file + " is not a results store (not an SQLite database); give a new file name or a store written by 'parsimony sweep'");
            }
            return true;
        } catch (IOException e) {
            throw new InputException("cannot read results store " + file + ": " + e.getMessage());
        }
    }

    /** A read-only connection: no journal-mode change, no schema, nothing written to the file. */
    private static ResultStore connectReadOnly(Path file) {
        SQLiteConfig c = new SQLiteConfig();
        c.setReadOnly(true);
        c.setBusyTimeout(120_000);
        try {
            Connection conn = c.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            return new ResultStore(file, conn);
        } catch (SQLException e) {
            throw storeError(file, e);
        }
    }

    private static ResultStore connect(Path file) {
        SQLiteConfig c = new SQLiteConfig();
        c.setJournalMode(SQLiteConfig.JournalMode.WAL);
        c.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        c.setBusyTimeout(120_000);
        c.enforceForeignKeys(true);
        c.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        try {
            Connection conn = c.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
            return new ResultStore(file, conn);
        } catch (SQLException e) {
            throw storeError(file, e);
        }
    }

    private static InputException storeError(Path file, SQLException e) {
        String m = String.valueOf(e.getMessage()).replace('\n', ' ');
        if (m.contains("NOTADB") || m.contains("not a database")) {
            return new InputException(file + " is not a results store (not an SQLite database); give a new file name or a store written by 'parsimony sweep'");
        }
        if (m.contains("CORRUPT")) {
            return new InputException("results store " + file + " is corrupt (" + m + "); restore it from a copy or start a new store");
        }
        if (m.contains("READONLY") || m.contains("CANTOPEN")) {
            return new InputException("cannot write results store " + file + " (" + m + "); check the file's permissions");
        }
        return new InputException("results store " + file + ": " + m);
    }

    private void createSchema() {
        try {
            conn.setAutoCommit(false);
            try (Statement st = conn.createStatement()) {
                requireOursOrNew(st);
                for (String sql : SCHEMA.split(";")) {
                    if (!sql.isBlank()) {
                        st.execute(sql);
                    }
                }
                addMissingColumns(st);
                st.execute("INSERT OR IGNORE INTO store_info(key, value) VALUES ('format', '" + FORMAT + "')");
                st.execute("INSERT OR IGNORE INTO store_info(key, value) VALUES ('schema_version', '" + SCHEMA_VERSION + "')");
            }
            conn.commit();
            conn.setAutoCommit(true);
            requireOurs();
        } catch (SQLException e) {
            rollbackQuietly();
            throw storeError(file, e);
        } catch (RuntimeException e) {
            rollbackQuietly();
            throw e;
        }
    }

    /** Brings a store written before {@link #ADDED_RUN_COLUMNS} up to date (nullable columns: old rows read as null). */
    private static void addMissingColumns(Statement st) throws SQLException {
        java.util.Set<String> have = new java.util.HashSet<>();
        try (ResultSet rs = st.executeQuery("PRAGMA table_info(runs)")) {
            while (rs.next()) {
                have.add(rs.getString("name"));
            }
        }
        for (Map.Entry<String, String> c : new java.util.TreeMap<>(ADDED_RUN_COLUMNS).entrySet()) {
            if (!have.contains(c.getKey())) {
                st.execute("ALTER TABLE runs ADD COLUMN " + c.getKey() + " " + c.getValue());
            }
        }
    }

    /** A database with tables but none of ours is someone else's: refuse to write into it. */
    private void requireOursOrNew(Statement st) throws SQLException {
        boolean anyTable, ours;
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table'")) {
            anyTable = rs.next() && rs.getInt(1) > 0;
        }
        try (ResultSet rs = st.executeQuery("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'store_info'")) {
            ours = rs.next() && rs.getInt(1) > 0;
        }
        if (anyTable && !ours) {
            throw new InputException(file + " is an SQLite database but not a Parsimony results store; give another --store file");
        }
    }

    private void requireOurs() {
        try (Statement st = conn.createStatement()) {
            Map<String, String> info = new LinkedHashMap<>();
            try (ResultSet rs = st.executeQuery("SELECT key, value FROM store_info")) {
                while (rs.next()) {
                    info.put(rs.getString(1), rs.getString(2));
                }
            }
            if (!FORMAT.equals(info.get("format"))) {
                throw new InputException(file + " is an SQLite database but not a Parsimony results store");
            }
            int v = Integer.parseInt(info.getOrDefault("schema_version", "0"));
            if (v > SCHEMA_VERSION) {
                throw new InputException("results store " + file + " has schema version " + v + ", newer than this program's "
                        + SCHEMA_VERSION + "; use a newer parsimony");
            }
        } catch (SQLException e) {
            if (String.valueOf(e.getMessage()).contains("no such table")) {
                throw new InputException(file + " is an SQLite database but not a Parsimony results store");
            }
            throw storeError(file, e);
        }
    }

    /**
     * Creates the sweep (or finds it by key) and records the latest command that runs it;
     * returns its id.
     */
    public long upsertSweep(String key, String kind, String title, String definition, int plannedRuns, String command,
                            String runsDir, String software) {
        String now = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
        return inTransaction(() -> {
            try (PreparedStatement ps = conn.prepareStatement("""
                    INSERT INTO sweeps(sweep_key, kind, title, definition, planned_runs, command, runs_dir, software_version, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(sweep_key) DO UPDATE SET command = excluded.command, updated_at = excluded.updated_at,
                      software_version = excluded.software_version""")) {
                ps.setString(1, key);
                ps.setString(2, kind);
                ps.setString(3, title);
                ps.setString(4, definition);
                ps.setInt(5, plannedRuns);
                ps.setString(6, command);
                ps.setString(7, runsDir);
                ps.setString(8, software);
                ps.setString(9, now);
                ps.setString(10, now);
                ps.executeUpdate();
            }
            try (PreparedStatement ps = conn.prepareStatement("SELECT id FROM sweeps WHERE sweep_key = ?")) {
                ps.setString(1, key);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1);
                }
            }
        });
    }

    /** Status ('done' / 'failed') of every recorded run of a sweep, by run key. */
    public synchronized Map<String, String> statuses(long sweepId) {
        Map<String, String> out = new LinkedHashMap<>();
        try (PreparedStatement ps = conn.prepareStatement("SELECT run_key, status FROM runs WHERE sweep_id = ?")) {
            ps.setLong(1, sweepId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
        } catch (SQLException e) {
            throw storeError(file, e);
        }
        return out;
    }

    /** The recorded status of one run, or null. */
    public synchronized String status(long sweepId, String runKey) {
        try (PreparedStatement ps = conn.prepareStatement("SELECT status FROM runs WHERE sweep_id = ? AND run_key = ?")) {
            ps.setLong(1, sweepId);
            ps.setString(2, runKey);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (SQLException e) {
            throw storeError(file, e);
        }
    }

    /**
     * Writes one finished run in one transaction. Returns false when the run was already
     * recorded as done (by this or another process): the existing row is kept.
     */
    public boolean record(RunRow r) {
        return inTransaction(() -> {
            int changed;
            try (PreparedStatement ps = conn.prepareStatement("""
                    INSERT INTO runs(sweep_id, run_key, position, roles, model, model_spec, layout, parameters, conv_weights,
                      energy, data, recipe, seed, status, top1, top5, test_loss, test_images, epochs, steps, train_seconds,
                      wall_seconds, resumed, error, worker, host, software_version, run_dir, started_at, finished_at,
                      val_top1, val_loss)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(sweep_id, run_key) DO UPDATE SET
                      position = excluded.position, roles = excluded.roles, model = excluded.model,
                      model_spec = excluded.model_spec, layout = excluded.layout, parameters = excluded.parameters,
                      conv_weights = excluded.conv_weights, energy = excluded.energy, data = excluded.data,
                      recipe = excluded.recipe, seed = excluded.seed, status = excluded.status, top1 = excluded.top1,
                      top5 = excluded.top5, test_loss = excluded.test_loss, test_images = excluded.test_images,
                      epochs = excluded.epochs, steps = excluded.steps, train_seconds = excluded.train_seconds,
                      wall_seconds = excluded.wall_seconds, resumed = excluded.resumed, error = excluded.error,
                      worker = excluded.worker, host = excluded.host, software_version = excluded.software_version,
                      run_dir = excluded.run_dir, started_at = excluded.started_at, finished_at = excluded.finished_at,
                      val_top1 = excluded.val_top1, val_loss = excluded.val_loss
                    WHERE runs.status <> 'done'""")) {
                int i = 1;
                ps.setLong(i++, r.sweepId());
                ps.setString(i++, r.runKey());
                ps.setInt(i++, r.position());
                ps.setString(i++, r.roles());
                ps.setString(i++, r.model());
                ps.setString(i++, r.modelSpec());
                ps.setString(i++, r.layout());
                setLong(ps, i++, r.parameters());
                ps.setLong(i++, r.convWeights());
                ps.setDouble(i++, r.energy());
                ps.setString(i++, r.data());
                ps.setString(i++, r.recipe());
                ps.setLong(i++, r.seed());
                ps.setString(i++, r.status());
                setDouble(ps, i++, r.top1());
                setDouble(ps, i++, r.top5());
                setDouble(ps, i++, r.testLoss());
                setLong(ps, i++, r.testImages() == null ? null : r.testImages().longValue());
                setLong(ps, i++, r.epochs() == null ? null : r.epochs().longValue());
                setLong(ps, i++, r.steps());
                setDouble(ps, i++, r.trainSeconds());
                ps.setDouble(i++, r.wallSeconds());
                ps.setInt(i++, r.resumed() ? 1 : 0);
                ps.setString(i++, r.error());
                ps.setString(i++, r.worker());
                ps.setString(i++, r.host());
                ps.setString(i++, r.softwareVersion());
                ps.setString(i++, r.runDir());
                ps.setString(i++, r.startedAt());
                ps.setString(i++, r.finishedAt());
                setDouble(ps, i++, r.valTop1());
                setDouble(ps, i, r.valLoss());
                changed = ps.executeUpdate();
            }
            if (changed > 0) {
                try (PreparedStatement ps = conn.prepareStatement("UPDATE sweeps SET updated_at = ? WHERE id = ?")) {
                    ps.setString(1, r.finishedAt());
                    ps.setLong(2, r.sweepId());
                    ps.executeUpdate();
                }
            }
            return changed > 0;
        });
    }

    public synchronized List<SweepRow> sweeps() {
        List<SweepRow> out = new ArrayList<>();
        try (Statement st = conn.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, sweep_key, kind, title, definition, planned_runs, command, runs_dir, "
                     + "software_version, created_at, updated_at FROM sweeps ORDER BY id")) {
            while (rs.next()) {
                out.add(checked(new SweepRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                        rs.getInt(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10), rs.getString(11))));
            }
        } catch (SQLException e) {
            throw storeError(file, e);
        }
        return out;
    }

    /** The runs of one sweep in plan order. */
    public synchronized List<RunRow> runs(long sweepId) {
        List<RunRow> out = new ArrayList<>();
        String validation;
        try {
            validation = hasValidationColumns() ? "val_top1, val_loss" : "NULL, NULL";   // an older store opened read-only
        } catch (SQLException e) {
            throw storeError(file, e);
        }
        try (PreparedStatement ps = conn.prepareStatement("""
                SELECT sweep_id, run_key, position, roles, model, model_spec, layout, parameters, conv_weights, energy, data,
                  recipe, seed, status, top1, top5, test_loss, test_images, epochs, steps, train_seconds, wall_seconds,
                  resumed, error, worker, host, software_version, run_dir, started_at, finished_at,""" + " " + validation + " " + """
                FROM runs WHERE sweep_id = ? ORDER BY position""")) {
            ps.setLong(1, sweepId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(checked(new RunRow(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getString(7), getLong(rs, 8), rs.getLong(9), rs.getDouble(10),
                            rs.getString(11), rs.getString(12), rs.getLong(13), rs.getString(14), getDouble(rs, 15),
                            getDouble(rs, 16), getDouble(rs, 17), getInt(rs, 18), getInt(rs, 19), getLong(rs, 20),
                            getDouble(rs, 21), rs.getDouble(22), rs.getInt(23) != 0, rs.getString(24), rs.getString(25),
                            rs.getString(26), rs.getString(27), rs.getString(28), rs.getString(29), rs.getString(30),
                            getDouble(rs, 31), getDouble(rs, 32))));
                }
            }
        } catch (SQLException e) {
            throw storeError(file, e);
        }
        return out;
    }

    private boolean hasValidationColumns() throws SQLException {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("PRAGMA table_info(runs)")) {
            while (rs.next()) {
                if ("val_top1".equals(rs.getString("name"))) {
                    return true;
                }
            }
            return false;
        }
    }

    /** A sweep row as read: its JSON parses and its counts are not negative, else a one-line error naming the store. */
    private SweepRow checked(SweepRow w) {
        String where = "sweep " + w.id();
        if (w.key() == null || w.title() == null || w.command() == null || w.runsDir() == null) {
            throw damaged(where + " lacks its key, title, command or run directory");
        }
        if (w.plannedRuns() < 0) {
            throw damaged(where + " plans " + w.plannedRuns() + " runs");
        }
        requireJsonObject(where + " definition", w.definition());
        return w;
    }

    /** A run row as read: known status and roles, JSON that parses, counts ≥ 0, accuracies in [0, 1]. */
    private RunRow checked(RunRow r) {
        String where = "run " + r.runKey() + " of sweep " + r.sweepId();
        if (r.runKey() == null || r.layout() == null || r.model() == null || r.data() == null) {
            throw damaged("a run of sweep " + r.sweepId() + " lacks its key, layout, model or data set");
        }
        if (!"done".equals(r.status()) && !"failed".equals(r.status())) {
            throw damaged(where + " has status '" + r.status() + "' (expected done or failed)");
        }
        if (r.roles() == null || !r.roles().matches("random|top|random\\+top|top\\+random|probe|rung\\d+|final(-[a-z]+)+")) {
            throw damaged(where + " has roles '" + r.roles() + "' (expected random, top, random+top, probe, rungN or final-...)");
        }
        requireJsonObject(where + " recipe", r.recipe());
        requireJsonObject(where + " model spec", r.modelSpec());
        nonNegative(where, "position", (long) r.position());
        nonNegative(where, "parameters", r.parameters());
        nonNegative(where, "conv weights", r.convWeights());
        nonNegative(where, "test images", r.testImages() == null ? null : r.testImages().longValue());
        nonNegative(where, "epochs", r.epochs() == null ? null : r.epochs().longValue());
        nonNegative(where, "steps", r.steps());
        if (!Double.isFinite(r.energy())) {
            throw damaged(where + " has energy " + r.energy());
        }
        if (!(r.wallSeconds() >= 0) || (r.trainSeconds() != null && !(r.trainSeconds() >= 0))) {
            throw damaged(where + " has a negative or non-numeric time");
        }
        for (Double acc : new Double[] {r.top1(), r.top5(), r.valTop1()}) {
            if (acc != null && !(acc >= 0 && acc <= 1)) {
                throw damaged(where + " has accuracy " + acc + " outside [0, 1]");
            }
        }
        return r;
    }

    private void nonNegative(String where, String what, Long v) {
        if (v != null && v < 0) {
            throw damaged(where + " has " + what + " " + v);
        }
    }

    private void requireJsonObject(String what, String json) {
        try {
            if (json == null || !Hashing.JSON.readTree(json).isObject()) {
                throw damaged(what + " is not a JSON object");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw damaged(what + " is not valid JSON (" + e.getOriginalMessage().replace('\n', ' ') + ")");
        }
    }

    private InputException damaged(String what) {
        return new InputException("results store " + file + " is damaged: " + what
                + "; restore it from a copy or re-run the sweep into a new store");
    }

    /** SQLite's own consistency check: "ok" when the file is sound. */
    public synchronized String integrityCheck() {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
            StringBuilder sb = new StringBuilder();
            while (rs.next()) {
                sb.append(sb.isEmpty() ? "" : "; ").append(rs.getString(1));
            }
            return sb.toString();
        } catch (SQLException e) {
            throw storeError(file, e);
        }
    }

    /** The journal mode in force ("wal"). */
    public synchronized String journalMode() {
        try (Statement st = conn.createStatement(); ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
            return rs.next() ? rs.getString(1) : "?";
        } catch (SQLException e) {
            throw storeError(file, e);
        }
    }

    @Override
    public synchronized void close() {
        try {
            conn.close();
        } catch (SQLException e) {
            throw storeError(file, e);
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run() throws SQLException;
    }

    /** Runs {@code work} in one IMMEDIATE transaction (the write lock is taken at BEGIN; others wait up to the busy timeout). */
    private synchronized <T> T inTransaction(Work<T> work) {
        try {
            conn.setAutoCommit(false);
            try {
                T v = work.run();
                conn.commit();
                return v;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly();
                throw e;
            } finally {
                conn.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw storeError(file, e);
        }
    }

    private void rollbackQuietly() {
        try {
            conn.rollback();
        } catch (SQLException ignored) {
            // the transaction is gone either way
        }
    }

    private static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.INTEGER);
        } else {
            ps.setLong(i, v);
        }
    }

    private static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
        if (v == null || !Double.isFinite(v)) {
            ps.setNull(i, Types.REAL);
        } else {
            ps.setDouble(i, v);
        }
    }

    private static Long getLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

    private static Integer getInt(ResultSet rs, int i) throws SQLException {
        int v = rs.getInt(i);
        return rs.wasNull() ? null : v;
    }

    private static Double getDouble(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }
}
