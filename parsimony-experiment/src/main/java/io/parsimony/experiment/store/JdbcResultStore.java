package io.parsimony.experiment.store;

import io.parsimony.InputException;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.parsimony.experiment.store.Database.getDouble;
import static io.parsimony.experiment.store.Database.getInt;
import static io.parsimony.experiment.store.Database.getLong;
import static io.parsimony.experiment.store.Database.setDouble;
import static io.parsimony.experiment.store.Database.setLong;

/**
 * The one implementation of {@link ResultStore} for both databases: the same prepared statements
 * on SQLite and PostgreSQL ({@code INSERT ... ON CONFLICT} is common to both), the few
 * differences in {@link Dialect}. Opening for writing creates or upgrades the tables
 * ({@link Schema}); opening an existing store only reads.
 */
public final class JdbcResultStore implements ResultStore {

    private final Database db;
    private final RowChecks checks;
    private final WorkQueue queue;

    private JdbcResultStore(Database db) {
        this.db = db;
        this.checks = new RowChecks(db.where);
        this.queue = new WorkQueue(db, this);
    }

    public static ResultStore open(StoreLocation where) {
        Database db;
        if (where.postgres()) {
            db = connectPostgres(where);
        } else {
            SqliteFiles.requireWritablePlace(where.file());
            db = new Database(where, Dialect.SQLITE, SqliteFiles.connect(where.file(), false));
        }
        try {
            Schema.migrate(db);
            Schema.require(db);
            return new JdbcResultStore(db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    public static ResultStore openExisting(StoreLocation where) {
        Database db;
        if (where.postgres()) {
            db = connectPostgres(where);
        } else {
            SqliteFiles.requireExisting(where.file());
            db = new Database(where, Dialect.SQLITE, SqliteFiles.connect(where.file(), true));
        }
        try {
            Schema.require(db);
            return new JdbcResultStore(db);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
    }

    private static Database connectPostgres(StoreLocation where) {
        try {
            Connection c = DriverManager.getConnection(where.url(), PgCredentials.properties(where, System.getenv()));
            return new Database(where, Dialect.POSTGRES, c);
        } catch (SQLException e) {
            String m = String.valueOf(e.getMessage()).replace('\n', ' ');
            String hint = m.contains("password") ? "; set PGPASSWORD or add the database to ~/.pgpass"
                    : "; check that the server runs and the URL names it";
            throw new InputException("cannot open results store " + where + " (" + m + ")" + hint);
        }
    }

    @Override
    public StoreLocation location() {
        return db.where;
    }

    @Override
    public WorkQueue queue() {
        return queue;
    }

    static String now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    }

    @Override
    public long upsertSweep(String key, String kind, String title, String definition, int plannedRuns, String command,
                            String runsDir, String software) {
        String now = now();
        return db.inTransaction(() -> {
            db.update("""
                    INSERT INTO sweeps(sweep_key, kind, title, definition, planned_runs, command, runs_dir, software_version, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT(sweep_key) DO UPDATE SET command = excluded.command, updated_at = excluded.updated_at,
                      software_version = excluded.software_version""", ps -> {
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
            });
            return db.count("SELECT id FROM sweeps WHERE sweep_key = ?", ps -> ps.setString(1, key));
        });
    }

    @Override
    public Map<String, String> statuses(long sweepId) {
        return db.read(() -> {
            Map<String, String> out = new LinkedHashMap<>();
            try (PreparedStatement ps = db.conn.prepareStatement("SELECT run_key, status FROM runs WHERE sweep_id = ?")) {
                ps.setLong(1, sweepId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public String status(long sweepId, String runKey) {
        return db.read(() -> {
            try (PreparedStatement ps = db.conn.prepareStatement("SELECT status FROM runs WHERE sweep_id = ? AND run_key = ?")) {
                ps.setLong(1, sweepId);
                ps.setString(2, runKey);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? rs.getString(1) : null;
                }
            }
        });
    }

    @Override
    public boolean record(RunRow r) {
        return db.inTransaction(() -> {
            boolean changed = insertRun(r);
            if (changed && db.hasTable("tasks")) {   // trained outside the queue: its task is finished too
                db.update("UPDATE tasks SET state = ?, lease_token = NULL, finished_at = " + db.dialect.nowMillis()
                        + " WHERE sweep_id = ? AND run_key = ? AND state <> 'done'", ps -> {
                    ps.setString(1, r.status());
                    ps.setLong(2, r.sweepId());
                    ps.setString(3, r.runKey());
                });
            }
            return changed;
        });
    }

    /** Inserts (or replaces a failed) run row inside the caller's transaction; false when a done row was there. */
    boolean insertRun(RunRow r) throws SQLException {
        int changed = db.update("""
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
                WHERE runs.status <> 'done'""", ps -> {
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
        });
        if (changed > 0) {
            db.update("UPDATE sweeps SET updated_at = ? WHERE id = ?", ps -> {
                ps.setString(1, r.finishedAt());
                ps.setLong(2, r.sweepId());
            });
        }
        return changed > 0;
    }

    @Override
    public List<SweepRow> sweeps() {
        return db.read(() -> {
            List<SweepRow> out = new ArrayList<>();
            try (PreparedStatement ps = db.conn.prepareStatement("SELECT id, sweep_key, kind, title, definition, planned_runs, "
                    + "command, runs_dir, software_version, created_at, updated_at FROM sweeps ORDER BY id");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(checks.checked(new SweepRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getInt(6), rs.getString(7), rs.getString(8), rs.getString(9), rs.getString(10),
                            rs.getString(11))));
                }
            }
            return out;
        });
    }

    @Override
    public List<RunRow> runs(long sweepId) {
        return db.read(() -> {
            // an older store opened read-only may lack the validation columns
            String validation = db.columns("runs").contains("val_top1") ? "val_top1, val_loss" : "NULL, NULL";
            List<RunRow> out = new ArrayList<>();
            try (PreparedStatement ps = db.conn.prepareStatement("""
                    SELECT sweep_id, run_key, position, roles, model, model_spec, layout, parameters, conv_weights, energy, data,
                      recipe, seed, status, top1, top5, test_loss, test_images, epochs, steps, train_seconds, wall_seconds,
                      resumed, error, worker, host, software_version, run_dir, started_at, finished_at,""" + " " + validation + " " + """
                    FROM runs WHERE sweep_id = ? ORDER BY position""")) {
                ps.setLong(1, sweepId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(checks.checked(new RunRow(rs.getLong(1), rs.getString(2), rs.getInt(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getString(7), getLong(rs, 8), rs.getLong(9),
                                rs.getDouble(10), rs.getString(11), rs.getString(12), rs.getLong(13), rs.getString(14),
                                getDouble(rs, 15), getDouble(rs, 16), getDouble(rs, 17), getInt(rs, 18), getInt(rs, 19),
                                getLong(rs, 20), getDouble(rs, 21), rs.getDouble(22), rs.getInt(23) != 0, rs.getString(24),
                                rs.getString(25), rs.getString(26), rs.getString(27), rs.getString(28), rs.getString(29),
                                rs.getString(30), getDouble(rs, 31), getDouble(rs, 32))));
                    }
                }
            }
            return out;
        });
    }

    @Override
    public String integrityCheck() {
        if (db.dialect == Dialect.POSTGRES) {
            return db.read(() -> db.count("SELECT 1", ps -> { }) == 1 ? "ok" : "no answer");
        }
        return db.read(() -> {
            try (Statement st = db.conn.createStatement(); ResultSet rs = st.executeQuery("PRAGMA integrity_check")) {
                StringBuilder sb = new StringBuilder();
                while (rs.next()) {
                    sb.append(sb.isEmpty() ? "" : "; ").append(rs.getString(1));
                }
                return sb.toString();
            }
        });
    }

    @Override
    public String journalMode() {
        if (db.dialect == Dialect.POSTGRES) {
            return "postgresql";
        }
        return db.read(() -> {
            try (Statement st = db.conn.createStatement(); ResultSet rs = st.executeQuery("PRAGMA journal_mode")) {
                return rs.next() ? rs.getString(1) : "?";
            }
        });
    }

    @Override
    public void close() {
        db.close();
    }
}
