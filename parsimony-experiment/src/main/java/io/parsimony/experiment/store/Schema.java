package io.parsimony.experiment.store;

import io.parsimony.InputException;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The store's tables and their versions. {@code store_info.schema_version} says which steps a
 * store has; opening it for writing applies the missing ones in one transaction, so a store
 * written by any earlier release is brought up to date, and a store of a newer version (written
 * by a newer program) is refused in one line. Each step is written once for both databases
 * ({@link Dialect#ddl}).
 *
 * <ol>
 * <li>the result tables {@code sweeps} and {@code runs} (the validation columns were added to
 *     version 1 later: a version-1 store without them gets them here too);</li>
 * <li>the work queue {@code tasks}: one row per planned run, its state, lease and checkpoint.</li>
 * </ol>
 */
public final class Schema {

    /** Increase with each new step. */
    public static final int VERSION = 2;
    static final String FORMAT = "parsimony-results";

    static final String V1 = """
            CREATE TABLE IF NOT EXISTS store_info (
              key   TEXT PRIMARY KEY,
              value TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS sweeps (
              id               ID,
              sweep_key        TEXT NOT NULL UNIQUE,   -- hash of the definition: same sweep, same key
              kind             TEXT NOT NULL,          -- 'energy' or 'design'
              title            TEXT NOT NULL,
              definition       TEXT NOT NULL,          -- JSON: budget, layers, repeats, samples, top, data, recipe, ...
              planned_runs     INT NOT NULL,
              command          TEXT NOT NULL,          -- the command line that (re-)runs it
              runs_dir         TEXT NOT NULL,          -- where the run directories (checkpoints) live
              software_version TEXT NOT NULL,
              created_at       TEXT NOT NULL,          -- ISO-8601 UTC
              updated_at       TEXT NOT NULL
            );
            CREATE TABLE IF NOT EXISTS runs (
              id               ID,
              sweep_id         INT NOT NULL REFERENCES sweeps(id),
              run_key          TEXT NOT NULL,          -- hash of model spec + data + recipe
              position         INT NOT NULL,           -- index in the sweep's plan
              roles            TEXT NOT NULL,          -- 'random', 'top', 'random+top', 'probe', 'rungN', 'final-...'
              model            TEXT NOT NULL,          -- text spec, e.g. plain:35,36,37,43
              model_spec       TEXT NOT NULL,          -- JSON of the model spec
              layout           TEXT NOT NULL,          -- e.g. (35,36,37,43)
              parameters       INT,                    -- all parameters of the built net (BN, classifier)
              conv_weights     INT NOT NULL,           -- Eq. 1 count
              energy           FLOAT NOT NULL,         -- Eq. 3
              data             TEXT NOT NULL,
              recipe           TEXT NOT NULL,          -- JSON of the training recipe
              seed             INT NOT NULL,
              status           TEXT NOT NULL CHECK (status IN ('done', 'failed')),
              top1             FLOAT,
              top5             FLOAT,
              test_loss        FLOAT,
              test_images      INT,
              epochs           INT,
              steps            INT,
              train_seconds    FLOAT,                  -- training loop time (all epochs, also before a resume)
              wall_seconds     FLOAT NOT NULL,         -- this attempt, incl. start-up and evaluation
              resumed          INT NOT NULL DEFAULT 0,
              error            TEXT,
              worker           TEXT,
              host             TEXT,
              software_version TEXT NOT NULL,
              run_dir          TEXT,
              started_at       TEXT NOT NULL,
              finished_at      TEXT NOT NULL,
              val_top1         FLOAT,                  -- last epoch's validation accuracy (designs choose by it)
              val_loss         FLOAT,
              UNIQUE (sweep_id, run_key)
            )
            """;

    /** Columns added to version 1 after its first release: added to older version-1 stores. */
    static final Map<String, String> V1_ADDED_RUN_COLUMNS = new LinkedHashMap<>(Map.of("val_loss", "FLOAT", "val_top1", "FLOAT"));

    static final String V2 = """
            CREATE TABLE IF NOT EXISTS tasks (
              id               ID,
              sweep_id         INT NOT NULL REFERENCES sweeps(id),
              run_key          TEXT NOT NULL,
              position         INT NOT NULL,
              job              TEXT NOT NULL,          -- JSON of the queued run (model, recipe, data, plan fields)
              device           TEXT NOT NULL,          -- the recipe's device: workers take runs of their --device
              state            TEXT NOT NULL CHECK (state IN ('pending', 'running', 'done', 'failed')),
              worker           TEXT,                   -- who holds (or last held) the lease
              lease_token      TEXT,                   -- a finish counts only with the current token
              lease_until      INT,                    -- database clock, ms since 1970
              heartbeat_at     INT,
              epoch            INT NOT NULL DEFAULT 0, -- last epoch whose checkpoint is saved
              attempts         INT NOT NULL DEFAULT 0, -- claims so far (more than one: a lease expired)
              epochs_started   INT NOT NULL DEFAULT 0, -- epochs begun over all attempts (redone = this - epochs)
              checkpoint       BYTES,                  -- the last checkpoint when small enough
              checkpoint_file  TEXT,                   -- else where it is on shared storage
              finished_at      INT,
              UNIQUE (sweep_id, run_key)
            );
            CREATE INDEX IF NOT EXISTS tasks_claim ON tasks(state, lease_until, sweep_id, position)
            """;

    private Schema() {
    }

    /** Creates or upgrades the tables of a store opened for writing. */
    static void migrate(Database db) {
        db.inTransaction(() -> {
            try (Statement st = db.conn.createStatement()) {
                if (db.dialect == Dialect.POSTGRES) {   // workers starting together: one migrates, the others wait
                    st.execute("SELECT pg_advisory_xact_lock(7715015)");
                }
                boolean ours = db.hasTable("store_info");
                if (!ours && db.count(db.dialect.allTables(), ps -> { }) > 0) {
                    throw notOurs(db);
                }
                int version = ours ? version(db) : 0;
                if (version > VERSION) {
                    throw newer(db, version);
                }
                if (version < 1) {
                    execute(st, db.dialect.ddl(V1));
                }
                if (version <= 1) {   // a version-1 store may predate the validation columns
                    var have = db.columns("runs");
                    for (var c : V1_ADDED_RUN_COLUMNS.entrySet()) {
                        if (!have.contains(c.getKey())) {
                            st.execute("ALTER TABLE runs ADD COLUMN " + c.getKey() + " " + db.dialect.type(c.getValue()));
                        }
                    }
                }
                if (version < 2) {
                    execute(st, db.dialect.ddl(V2));
                }
                String upsert = "INSERT INTO store_info(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value";
                for (String[] kv : List.of(new String[] {"format", FORMAT}, new String[] {"schema_version", String.valueOf(VERSION)})) {
                    db.update(upsert, ps -> {
                        ps.setString(1, kv[0]);
                        ps.setString(2, kv[1]);
                    });
                }
            }
            return null;
        });
    }

    /** Checks a store opened for reading: ours, and not newer than this program. Returns its version. */
    static int require(Database db) {
        return db.read(() -> {
            if (!db.hasTable("store_info")) {
                throw notOurs(db);
            }
            int v = version(db);
            if (v > VERSION) {
                throw newer(db, v);
            }
            return v;
        });
    }

    private static int version(Database db) throws SQLException {
        Map<String, String> info = new LinkedHashMap<>();
        try (PreparedStatement ps = db.conn.prepareStatement("SELECT key, value FROM store_info"); ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                info.put(rs.getString(1), rs.getString(2));
            }
        }
        if (!FORMAT.equals(info.get("format"))) {
            throw notOurs(db);
        }
        try {
            return Integer.parseInt(info.getOrDefault("schema_version", "0"));
        } catch (NumberFormatException e) {
            throw new InputException("results store " + db.where + " has schema version '" + info.get("schema_version")
                    + "', not a number; restore it from a copy");
        }
    }

    private static void execute(Statement st, String script) throws SQLException {
        for (String sql : script.split(";")) {
            String s = sql.replaceAll("--[^\n]*", "").strip();
            if (!s.isEmpty()) {
                st.execute(s);
            }
        }
    }

    private static InputException notOurs(Database db) {
        return db.dialect == Dialect.SQLITE
                ? new InputException(db.where + " is an SQLite database but not a Parsimony results store; give another --store file")
                : new InputException("database " + db.where + " holds other tables but no Parsimony results store; give an empty database");
    }

    private static InputException newer(Database db, int v) {
        return new InputException("results store " + db.where + " has schema version " + v + ", newer than this program's "
                + VERSION + "; use a newer parsimony");
    }
}
