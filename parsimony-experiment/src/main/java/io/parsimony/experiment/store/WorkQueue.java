package io.parsimony.experiment.store;

import io.parsimony.experiment.job.Hashing;
import io.parsimony.experiment.store.ResultStore.RunRow;

import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The runs a store still has to train, as a leased work queue in table {@code tasks}. Defining a
 * sweep or design inserts its runs as {@code pending}; a worker claims the first one with
 * {@code SELECT ... FOR UPDATE SKIP LOCKED} (SQLite: in a transaction that holds its one write
 * lock), holding a lease that its heartbeat renews. A run whose lease expired (its worker was
 * killed, its machine lost) is claimed again and resumes from the checkpoint saved after its
 * last epoch. Finishing is an update conditional on the lease token in the same transaction as
 * the result row, so a run is recorded exactly once however many workers touched it.
 *
 * <p>All times are the database's clock ({@link Dialect#nowMillis()}), never a worker's.
 */
public final class WorkQueue {

    /** A claimed run: its lease {@code token} proves the claim in every later update. */
    public record Claim(long id, long sweepId, String runKey, String token, QueuedRun run, int attempt, int epoch,
                        byte[] checkpoint, String checkpointFile) {
    }

    /** One task as {@code sweep status} shows it. */
    public record Task(long sweepId, String runKey, int position, String model, String state, String worker,
                       Long heartbeatAgeMillis, int epoch, int attempts, int epochsStarted) {
    }

    private final Database db;
    private final JdbcResultStore results;

    WorkQueue(Database db, JdbcResultStore results) {
        this.db = db;
        this.results = results;
    }

    /** False for a version-1 store opened read-only (it has no queue yet). */
    public boolean exists() {
        return db.read(() -> db.hasTable("tasks"));
    }

    /**
     * Inserts the runs of a sweep that are not queued yet: pending, or done/failed when the
     * store already holds their result (trained before the queue existed). Returns how many
     * were added.
     */
    public int enqueue(long sweepId, List<QueuedRun> runs) {
        return db.inTransaction(() -> {
            int added = 0;
            for (QueuedRun r : runs) {
                added += db.update("""
                        INSERT INTO tasks(sweep_id, run_key, position, job, device, state)
                        VALUES (?, ?, ?, ?, ?, COALESCE((SELECT status FROM runs WHERE sweep_id = ? AND run_key = ?), 'pending'))
                        ON CONFLICT(sweep_id, run_key) DO NOTHING""", ps -> {
                    ps.setLong(1, sweepId);
                    ps.setString(2, r.runKey());
                    ps.setInt(3, r.position());
                    ps.setString(4, Hashing.json(r));
                    ps.setString(5, r.job().recipe().device());
                    ps.setLong(6, sweepId);
                    ps.setString(7, r.runKey());
                });
            }
            return added;
        });
    }

    /**
     * Claims the next pending (or lease-expired) run, or null when there is none.
     *
     * @param device  only runs whose recipe trains on this device ("cpu" or "gpu"), or null for any
     * @param sweepId only this sweep's runs, or null for any
     * @param runKey  only this run (a sweep training its own plan), or null; then a failed run is taken too
     */
    public Claim claim(String worker, long leaseMillis, String device, Long sweepId, String runKey) {
        return claim(worker, leaseMillis, device, sweepId, runKey, null);
    }

    /**
     * As above; a run held by a worker whose name starts with {@code takeOverFrom} is taken even
     * while its lease runs (a sweep process that holds the run's file lock knows that the
     * previous sweep process holding the run on this machine is dead).
     */
    public Claim claim(String worker, long leaseMillis, String device, Long sweepId, String runKey, String takeOverFrom) {
        String token = UUID.randomUUID().toString();
        String now = db.dialect.nowMillis();
        List<Object> args = new ArrayList<>();
        StringBuilder where = new StringBuilder(runKey == null
                ? "(state = 'pending' OR (state = 'running' AND lease_until < " + now + ")"
                : "(state IN ('pending', 'failed') OR (state = 'running' AND lease_until < " + now + ")");
        if (takeOverFrom != null) {
            where.append(" OR (state = 'running' AND substr(worker, 1, ?) = ?)");
            args.add(takeOverFrom.length());
            args.add(takeOverFrom);
        }
        where.append(")");
        if (device != null) {
            where.append(" AND (device = ? OR device LIKE ?)");
            args.add(device);
            args.add(device + ":%");
        }
        if (sweepId != null) {
            where.append(" AND sweep_id = ?");
            args.add(sweepId);
        }
        if (runKey != null) {
            where.append(" AND run_key = ?");
            args.add(runKey);
        }
        return db.inTransaction(() -> {
            Claim c = null;
            try (PreparedStatement ps = db.conn.prepareStatement("SELECT id, sweep_id, run_key, job, attempts, epoch, checkpoint, "
                    + "checkpoint_file FROM tasks WHERE " + where + " ORDER BY sweep_id, position LIMIT 1" + db.dialect.lockForClaim())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        QueuedRun run;
                        try {
                            run = Hashing.JSON.readValue(rs.getString(4), QueuedRun.class);
                        } catch (IOException e) {
                            throw new io.parsimony.InputException("results store " + db.where + " is damaged: task "
                                    + rs.getString(3) + " holds an unreadable job (" + e.getMessage().replace('\n', ' ') + ")");
                        }
                        c = new Claim(rs.getLong(1), rs.getLong(2), rs.getString(3), token, run, rs.getInt(5) + 1, rs.getInt(6),
                                rs.getBytes(7), rs.getString(8));
                    }
                }
            }
            if (c == null) {
                return null;
            }
            long id = c.id();
            db.update("UPDATE tasks SET state = 'running', worker = ?, lease_token = ?, lease_until = " + now + " + ?, "
                    + "heartbeat_at = " + now + ", attempts = attempts + 1 WHERE id = ?", ps -> {
                ps.setString(1, worker);
                ps.setString(2, token);
                ps.setLong(3, leaseMillis);
                ps.setLong(4, id);
            });
            return c;
        });
    }

    /** Renews the lease; false when it was lost (expired and claimed by another worker, or finished). */
    public boolean heartbeat(Claim c, long leaseMillis) {
        String now = db.dialect.nowMillis();
        return db.inTransaction(() -> db.update("UPDATE tasks SET lease_until = " + now + " + ?, heartbeat_at = " + now
                + " WHERE id = ? AND lease_token = ? AND state = 'running'", ps -> {
            ps.setLong(1, leaseMillis);
            ps.setLong(2, c.id());
            ps.setString(3, c.token());
        }) == 1);
    }

    /** Counts an epoch begun (epochs begun beyond the run's epochs were redone after an interruption). */
    public boolean epochStarted(Claim c) {
        return db.inTransaction(() -> db.update("UPDATE tasks SET epochs_started = epochs_started + 1 WHERE id = ? AND lease_token = ?"
                + " AND state = 'running'", ps -> {
            ps.setLong(1, c.id());
            ps.setString(2, c.token());
        }) == 1);
    }

    /**
     * Saves the checkpoint after {@code epoch}: its bytes in the store, or (too large) the path
     * of its copy on shared storage. False when the lease was lost.
     */
    public boolean saveCheckpoint(Claim c, int epoch, byte[] bytes, String file) {
        return db.inTransaction(() -> db.update("UPDATE tasks SET epoch = ?, checkpoint = ?, checkpoint_file = ?, heartbeat_at = "
                + db.dialect.nowMillis() + " WHERE id = ? AND lease_token = ? AND state = 'running'", ps -> {
            ps.setInt(1, epoch);
            ps.setBytes(2, bytes);
            ps.setString(3, file);
            ps.setLong(4, c.id());
            ps.setString(5, c.token());
        }) == 1);
    }

    /**
     * Records the run's result and ends its task, both in one transaction and only while the
     * lease is still this claim's. False when the lease was lost or the run was recorded already.
     */
    public boolean finish(Claim c, RunRow row) {
        return db.inTransaction(() -> {
            int ended = db.update("UPDATE tasks SET state = ?, lease_token = NULL, checkpoint = NULL, finished_at = "
                    + db.dialect.nowMillis() + " WHERE id = ? AND lease_token = ? AND state = 'running'", ps -> {
                ps.setString(1, row.status());
                ps.setLong(2, c.id());
                ps.setString(3, c.token());
            });
            if (ended != 1) {
                return false;
            }
            if (!results.insertRun(row)) {
                db.rollbackQuietly();   // recorded by another process meanwhile: leave everything as it was
                return false;
            }
            return true;
        });
    }

    /** Gives a claimed run back (a stopped worker): pending again at once, its checkpoint kept. */
    public void release(Claim c) {
        db.inTransaction(() -> db.update("UPDATE tasks SET state = 'pending', lease_token = NULL, lease_until = NULL "
                + "WHERE id = ? AND lease_token = ? AND state = 'running'", ps -> {
            ps.setLong(1, c.id());
            ps.setString(2, c.token());
        }));
    }

    /** True while another process holds a live lease on the run. */
    public boolean leased(long sweepId, String runKey) {
        if (!exists()) {
            return false;
        }
        return db.read(() -> db.count("SELECT count(*) FROM tasks WHERE sweep_id = ? AND run_key = ? AND state = 'running' "
                + "AND lease_until >= " + db.dialect.nowMillis(), ps -> {
            ps.setLong(1, sweepId);
            ps.setString(2, runKey);
        }) > 0);
    }

    /** Every task (of one sweep, or all), in plan order. */
    public List<Task> tasks(Long sweepId) {
        if (!exists()) {
            return List.of();
        }
        return db.read(() -> {
            List<Task> out = new ArrayList<>();
            String sql = "SELECT sweep_id, run_key, position, job, state, worker, " + db.dialect.nowMillis() + " - heartbeat_at, "
                    + "epoch, attempts, epochs_started FROM tasks" + (sweepId == null ? "" : " WHERE sweep_id = ?")
                    + " ORDER BY sweep_id, position";
            try (PreparedStatement ps = db.conn.prepareStatement(sql)) {
                if (sweepId != null) {
                    ps.setLong(1, sweepId);
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        String model;
                        try {
                            model = Hashing.JSON.readTree(rs.getString(4)).path("model").asText("?");
                        } catch (IOException e) {
                            model = "?";
                        }
                        out.add(new Task(rs.getLong(1), rs.getString(2), rs.getInt(3), model, rs.getString(5), rs.getString(6),
                                Database.getLong(rs, 7), rs.getInt(8), rs.getInt(9), rs.getInt(10)));
                    }
                }
            }
            return out;
        });
    }
}
