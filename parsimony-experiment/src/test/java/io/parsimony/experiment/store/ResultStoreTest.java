package io.parsimony.experiment.store;

import io.parsimony.InputException;
import io.parsimony.experiment.store.ResultStore.RunRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResultStoreTest {

    @Test
    void doneRowsAreKeptFailedRowsAreReplaced(@TempDir Path tmp) {
        Path file = tmp.resolve("sub/dir/store.sqlite");
        try (ResultStore s = ResultStore.open(file)) {
            assertEquals("wal", s.journalMode());
            long id = StoreRows.sweep(s);
            assertEquals(id, StoreRows.sweep(s), "same key, same sweep");
            assertTrue(s.record(StoreRows.row(id, "a", 0, 1.0, 0.8, "w1", 1)));
            assertFalse(s.record(StoreRows.row(id, "a", 0, 1.0, 0.1, "w2", 1)), "a done run is never overwritten");
            assertEquals(0.8, s.runs(id).get(0).top1());
            RunRow failed = StoreRows.row(id, "b", 1, 2.0, 0.0, "w1", 1);
            failed = new RunRow(failed.sweepId(), failed.runKey(), failed.position(), failed.roles(), failed.model(), failed.modelSpec(),
                    failed.layout(), null, failed.convWeights(), failed.energy(), failed.data(), failed.recipe(), failed.seed(),
                    "failed", null, null, null, null, null, null, null, 0.2, false, "loss became NaN", "w1", "host", "test",
                    null, failed.startedAt(), failed.finishedAt());
            assertTrue(s.record(failed));
            assertEquals("failed", s.status(id, "b"));
            assertTrue(s.record(StoreRows.row(id, "b", 1, 2.0, 0.7, "w1", 1)), "a retried failure replaces its row");
            assertEquals("done", s.status(id, "b"));
            assertEquals(2, s.runs(id).size());
            assertEquals("ok", s.integrityCheck());
        }
        try (ResultStore s = ResultStore.openExisting(file)) {
            assertEquals(1, s.sweeps().size());
        }
    }

    @Test
    void foreignFilesAreOneLineInputErrors(@TempDir Path tmp) throws Exception {
        Path text = Files.writeString(tmp.resolve("notes.sqlite"), "these are my notes, not a database\n");
        InputException e = assertThrows(InputException.class, () -> ResultStore.open(text));
        assertTrue(e.getMessage().contains("not an SQLite database"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertEquals("these are my notes, not a database\n", Files.readString(text), "left untouched");

        Path foreign = tmp.resolve("other.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + foreign); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT)");
        }
        e = assertThrows(InputException.class, () -> ResultStore.open(foreign));
        assertTrue(e.getMessage().contains("not a Parsimony results store"), e.getMessage());

        e = assertThrows(InputException.class, () -> ResultStore.openExisting(tmp.resolve("missing.sqlite")));
        assertTrue(e.getMessage().contains("no results store"), e.getMessage());
        e = assertThrows(InputException.class, () -> ResultStore.open(tmp));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());

        Path empty = Files.createFile(tmp.resolve("empty.sqlite"));
        try (ResultStore s = ResultStore.open(empty)) {
            assertEquals("ok", s.integrityCheck(), "an empty file becomes a store");
        }
    }

    @Test
    void readingNeverCreatesOrChangesTheFile(@TempDir Path tmp) throws Exception {
        Path missing = tmp.resolve("missing.sqlite");
        InputException e = assertThrows(InputException.class, () -> ResultStore.openExisting(missing));
        assertOneLine(e, "no results store at " + missing);
        assertFalse(Files.exists(missing), "a missing store is not created");

        Path empty = Files.createFile(tmp.resolve("empty.sqlite"));
        e = assertThrows(InputException.class, () -> ResultStore.openExisting(empty));
        assertOneLine(e, empty + " is an empty file, not a results store");
        assertEquals(0, Files.size(empty), "the empty file stays empty");

        Path text = Files.writeString(tmp.resolve("notes.sqlite"), "my notes\n");
        e = assertThrows(InputException.class, () -> ResultStore.openExisting(text));
        assertOneLine(e, text + " is not a results store (not an SQLite database)");
        assertEquals("my notes\n", Files.readString(text));

        Path foreign = tmp.resolve("other.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + foreign); Statement st = c.createStatement()) {
            st.execute("CREATE TABLE customers(id INTEGER PRIMARY KEY, name TEXT)");
        }
        byte[] before = Files.readAllBytes(foreign);
        e = assertThrows(InputException.class, () -> ResultStore.openExisting(foreign));
        assertOneLine(e, foreign + " is an SQLite database but not a Parsimony results store");
        assertArrayEquals(before, Files.readAllBytes(foreign), "the foreign database is left byte for byte");

        Path blank = tmp.resolve("blank.db");   // SQLite with no tables at all
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + blank); Statement st = c.createStatement()) {
            st.execute("PRAGMA user_version = 7");
        }
        e = assertThrows(InputException.class, () -> ResultStore.openExisting(blank));
        assertOneLine(e, "not a Parsimony results store");

        Path ours = tmp.resolve("store.sqlite");
        try (ResultStore s = ResultStore.open(ours)) {
            StoreRows.sweep(s);
        }
        try (ResultStore s = ResultStore.openExisting(ours)) {
            assertEquals(1, s.sweeps().size());
            assertThrows(InputException.class, () -> StoreRows.sweep(s), "a store opened for reading refuses writes");
        }
    }

    @Test
    void damagedRowsAreOneLineErrorsNamingTheStore(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("store.sqlite");
        long id;
        try (ResultStore s = ResultStore.open(file)) {
            id = StoreRows.sweep(s);
            assertTrue(s.record(StoreRows.row(id, "a", 0, 1.0, 0.8, "w1", 1)));
        }
        List<String[]> damage = List.of(
                new String[] {"UPDATE runs SET recipe = '{\"lr\": 0.1,'", "run a of sweep " + id + " recipe is not valid JSON"},
                new String[] {"UPDATE runs SET model_spec = '[1, 2]'", "model spec is not a JSON object"},
                new String[] {"UPDATE runs SET parameters = -5", "has parameters -5"},
                new String[] {"UPDATE runs SET epochs = -1", "has epochs -1"},
                new String[] {"UPDATE runs SET top1 = 1.5", "accuracy 1.5 outside [0, 1]"},
                new String[] {"UPDATE runs SET roles = 'best'", "roles 'best'"},
                new String[] {"UPDATE sweeps SET planned_runs = -3", "sweep " + id + " plans -3 runs"},
                new String[] {"UPDATE sweeps SET definition = 'not json'", "sweep " + id + " definition is not valid JSON"});
        for (String[] d : damage) {
            Path copy = tmp.resolve("copy.sqlite");
            Files.copy(file, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + copy); Statement st = c.createStatement()) {
                st.execute(d[0]);
            }
            try (ResultStore s = ResultStore.openExisting(copy)) {
                InputException e = assertThrows(InputException.class, () -> s.runs(s.sweeps().get(0).id()), d[0]);
                assertOneLine(e, "results store " + copy + " is damaged: ");
                assertTrue(e.getMessage().contains(d[1]), d[0] + " -> " + e.getMessage());
            }
        }
    }

    private static void assertOneLine(InputException e, String expected) {
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    private static Process writer(Path store, String worker, int first, int count, int payload) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), StoreRows.class.getName(), store.toString(), worker,
                String.valueOf(first), String.valueOf(count), String.valueOf(payload)));
        return new ProcessBuilder(cmd).redirectErrorStream(true).start();
    }

    @Test
    void twoProcessesWritingAtOnceLoseNothing(@TempDir Path tmp) throws Exception {
        Path store = tmp.resolve("shared.sqlite");
        // overlapping key ranges: k100..k199 are written by both; the first writer of each wins
        Process a = writer(store, "A", 0, 200, 4), b = writer(store, "B", 100, 200, 4);
        for (Process p : List.of(a, b)) {
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "writer finished");
            assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
        }
        try (ResultStore s = ResultStore.openExisting(store)) {
            assertEquals("ok", s.integrityCheck());
            List<RunRow> rows = s.runs(s.sweeps().get(0).id());
            assertEquals(1, s.sweeps().size(), "one sweep row for one key");
            assertEquals(300, rows.size(), "k0..k299, each once");
            assertEquals(300, rows.stream().map(RunRow::runKey).distinct().count());
            assertTrue(rows.stream().anyMatch(r -> r.worker().equals("A")) && rows.stream().anyMatch(r -> r.worker().equals("B")));
        }
    }

    @Test
    void aWriterKilledMidStreamLeavesOnlyWholeRows(@TempDir Path tmp) throws Exception {
        Path store = tmp.resolve("killed.sqlite");
        int payload = 2000;   // 32 KB per row: a torn write would show as a short payload
        Process p = writer(store, "K", 0, 100_000, payload);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream()))) {
            assertEquals("ready", r.readLine());
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int seen = 0;
        while (seen < 40 && System.nanoTime() < deadline) {
            Thread.sleep(20);
            seen = count(store);
        }
        p.destroyForcibly();   // SIGKILL, mid-transaction or not
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        try (ResultStore s = ResultStore.open(store)) {
            assertEquals("ok", s.integrityCheck());
            List<RunRow> rows = s.runs(s.sweeps().get(0).id());
            assertTrue(rows.size() >= 40 && rows.size() < 100_000, "killed mid-stream after " + rows.size() + " rows");
            for (RunRow row : rows) {
                assertEquals(payload * StoreRows.PAYLOAD_UNIT.length(), row.error().length(), "whole row " + row.runKey());
                assertEquals("done", row.status());
            }
            assertEquals(rows.size(), rows.stream().map(RunRow::runKey).distinct().count());
            // rows 0..n-1 in order: nothing committed out of order, nothing lost before the last one
            for (int i = 0; i < rows.size(); i++) {
                assertEquals("k" + i, rows.get(i).runKey());
            }
        }
    }

    private static int count(Path store) {
        if (!Files.exists(store)) {
            return 0;
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FROM runs")) {
            return rs.next() ? rs.getInt(1) : 0;
        } catch (Exception e) {
            return 0;   // not created yet
        }
    }
}
