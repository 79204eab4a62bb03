package io.parsimony.experiment.store;

import io.parsimony.InputException;
import io.parsimony.experiment.store.ResultStore.RunRow;
import io.parsimony.experiment.job.TrainingJob;
import io.parsimony.nn.model.PlainCnnSpec;
import io.parsimony.layout.Layout;
import io.parsimony.nn.train.TrainingRecipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The store on a real PostgreSQL server (and the same checks on SQLite): schema, queue, leases, hostile names. */
class PgStoreTest {

    static final String HOSTILE = "it's a \"study\"; DROP TABLE runs; -- ');DELETE FROM sweeps;--";

    static RunRow row(long sweep, String key, double top1) {
        String ts = java.time.Instant.now().toString();
        return new RunRow(sweep, key, 0, "random", "plain:" + HOSTILE, "{\"note\":\"" + HOSTILE.replace("\"", "\\\"") + "\"}",
                "(1,2)", 100L, 10, 1.5, HOSTILE, "{}", 0, "done", top1, top1, 0.5, 100, 1, 10L, 1.0, 2.0, false, null,
                HOSTILE, "host", "test", "runs/x", ts, ts);
    }

    static QueuedRun queued(String key, int position) {
        var spec = PlainCnnSpec.of(Layout.of(new int[] {4, 8}), 1, 10, 28);
        TrainingRecipe r = TrainingRecipe.defaults(1);
        return new QueuedRun(new TrainingJob(key, "m" + position, spec, r, "fashion-mnist", "runs/" + key), position, "random",
                "plain:4,8", "(4,8)", 1.0, 12);
    }

    static List<StoreLocation> stores(Path tmp) {
        return List.of(StoreLocation.of(tmp.resolve("s.sqlite")), StoreLocation.parse(PgServer.get().freshDatabase("store")));
    }

    @Test
    void hostileNamesAreDataNotSql(@TempDir Path tmp) {
        for (StoreLocation where : stores(tmp)) {
            try (ResultStore s = ResultStore.open(where)) {
                long id = s.upsertSweep(HOSTILE, "energy", HOSTILE, "{}", 1, "parsimony sweep energy --title '" + HOSTILE + "'",
                        HOSTILE, "test");
                assertTrue(s.record(row(id, HOSTILE, 0.75)), where.toString());
                assertFalse(s.record(row(id, HOSTILE, 0.10)), "a done run is never overwritten");
            }
            try (ResultStore s = ResultStore.openExisting(where)) {
                assertEquals(1, s.sweeps().size(), where.toString());
                assertEquals(HOSTILE, s.sweeps().get(0).title());
                RunRow r = s.runs(s.sweeps().get(0).id()).get(0);
                assertEquals(HOSTILE, r.runKey());
                assertEquals(HOSTILE, r.worker());
                assertEquals(0.75, r.top1(), 0.0, "stored as double precision, not a 4-byte real");
            }
        }
    }

    @Test
    void newerSchemaIsRefusedInOneLine(@TempDir Path tmp) throws Exception {
        for (StoreLocation where : stores(tmp)) {
            ResultStore.open(where).close();
            try (Connection c = connect(where); Statement st = c.createStatement()) {
                st.executeUpdate("UPDATE store_info SET value = '99' WHERE key = 'schema_version'");
            }
            for (var open : List.<java.util.function.Function<StoreLocation, ResultStore>>of(ResultStore::open, ResultStore::openExisting)) {
                InputException e = assertThrows(InputException.class, () -> open.apply(where));
                assertTrue(e.getMessage().contains("schema version 99, newer than this program's " + Schema.VERSION), e.getMessage());
                assertFalse(e.getMessage().contains("\n"));
            }
        }
    }

    @Test
    void passwordInTheUrlIsRefused() {
        InputException e = assertThrows(InputException.class,
                () -> StoreLocation.parse("jdbc:postgresql://db:5432/study?user=me&password=hunter2"));
        assertFalse(e.getMessage().contains("hunter2"), e.getMessage());
        assertTrue(e.getMessage().contains("PGPASSWORD"), e.getMessage());
        assertThrows(InputException.class, () -> StoreLocation.parse("jdbc:mysql://db/study"));
        assertEquals("study", StoreLocation.parse("jdbc:postgresql://db:5432/study?user=me").database());
        assertEquals(Path.of("study.postgresql"), StoreLocation.parse("jdbc:postgresql://db/study").anchor());
    }

    @Test
    void wrongPasswordIsOneLineWithoutThePassword(@TempDir Path tmp) {
        PgServer server = PgServer.get();
        String url = server.freshDatabase("auth").replace("user=postgres", "user=nobody");
        InputException e = assertThrows(InputException.class, () -> ResultStore.open(StoreLocation.parse(url)));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        if (server.password != null) {
            assertFalse(e.getMessage().contains(server.password), e.getMessage());
        }
    }

    /** Leases: a claim skips runs others hold; an expired lease is claimed again; only the current lease may finish. */
    @Test
    void leasesExpireAndOnlyTheCurrentHolderRecords(@TempDir Path tmp) throws Exception {
        for (StoreLocation where : stores(tmp)) {
            try (ResultStore a = ResultStore.open(where); ResultStore b = ResultStore.open(where)) {
                long id = a.upsertSweep("q", "energy", "queue", "{}", 3, "cmd", "runs", "test");
                assertEquals(3, a.queue().enqueue(id, List.of(queued("k0", 0), queued("k1", 1), queued("k2", 2))));
                assertEquals(0, b.queue().enqueue(id, List.of(queued("k0", 0))), "queued once");
                WorkQueue.Claim first = a.queue().claim("A", 1500, "cpu", null, null);
                WorkQueue.Claim second = b.queue().claim("B", 60_000, null, null, null);
                assertEquals("k0", first.runKey());
                assertEquals("k1", second.runKey(), "a held run is skipped");
                assertNull(b.queue().claim("B", 60_000, "gpu", null, null), "no gpu runs");
                assertTrue(a.queue().saveCheckpoint(first, 1, new byte[] {1, 2, 3}, null));
                Thread.sleep(1800);   // A stops beating: its lease ends
                WorkQueue.Claim taken = b.queue().claim("B", 60_000, null, null, null);
                assertEquals("k0", taken.runKey(), "an expired lease is claimed again");
                assertEquals(2, taken.attempt());
                assertEquals(1, taken.epoch());
                assertEquals(3, taken.checkpoint().length, "with the checkpoint saved after epoch 1");
                assertFalse(a.queue().heartbeat(first, 1500), "the old holder learns it lost the lease");
                assertFalse(a.queue().finish(first, row(id, "k0", 0.5)), "the old holder cannot record");
                assertTrue(b.queue().finish(taken, row(id, "k0", 0.6)));
                assertFalse(b.queue().finish(taken, row(id, "k0", 0.6)), "recorded once");
                assertEquals(1, a.runs(id).size());
                assertEquals(0.6, a.runs(id).get(0).top1());
                assertEquals("done", a.queue().tasks(id).get(0).state());
                assertNotEquals(first.token(), taken.token());
                assertNotNull(a.queue().claim("A", 60_000, null, id, null));   // k2
                assertNull(a.queue().claim("A", 60_000, null, id, null), "nothing left");
            }
        }
    }

    static Connection connect(StoreLocation where) throws Exception {
        return where.postgres() ? DriverManager.getConnection(where.url(), PgServer.credentials(where.url()))
                : DriverManager.getConnection("jdbc:sqlite:" + where.file());
    }

    static int version(StoreLocation where) throws Exception {
        try (Connection c = connect(where); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT value FROM store_info WHERE key = 'schema_version'")) {
            rs.next();
            return Integer.parseInt(rs.getString(1));
        }
    }
}
