package io.parsimony.experiment.store;

import io.parsimony.experiment.store.ResultStore.RunRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A store written by the release before the work queue (schema 1, DDL copied verbatim) opens, upgrades and keeps its rows. */
class SchemaUpgradeTest {

    @Test
    void versionOneSqliteStoreIsUpgradedInPlace(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("old.sqlite");
        String ddl;
        try (var in = SchemaUpgradeTest.class.getResourceAsStream("schema-v1-sqlite.sql")) {
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            for (String sql : ddl.replaceAll("--[^\n]*", "").split(";")) {
                if (!sql.isBlank()) {
                    st.execute(sql);
                }
            }
            st.execute("INSERT INTO sweeps(sweep_key, kind, title, definition, planned_runs, command, runs_dir, software_version, "
                    + "created_at, updated_at) VALUES ('k', 'energy', 'old sweep', '{}', 2, 'parsimony sweep energy', 'runs', "
                    + "'old', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z')");
        }
        try (ResultStore s = ResultStore.openExisting(StoreLocation.of(file))) {   // read-only: nothing changes
            assertFalse(s.queue().exists());
            assertEquals(List.of(), s.queue().tasks(null));
        }
        assertEquals(1, PgStoreTest.version(StoreLocation.of(file)));
        try (ResultStore s = ResultStore.open(file)) {
            long id = s.sweeps().get(0).id();
            assertEquals("old sweep", s.sweeps().get(0).title());
            assertTrue(s.record(PgStoreTest.row(id, "r1", 0.5)));
            assertTrue(s.queue().exists());
            assertEquals(1, s.queue().enqueue(id, List.of(PgStoreTest.queued("r2", 1))));
            assertEquals(1, s.queue().enqueue(id, List.of(PgStoreTest.queued("r1", 0))));
            assertEquals("done", s.queue().tasks(id).stream().filter(t -> t.runKey().equals("r1")).findFirst().orElseThrow().state(),
                    "a run recorded before the queue existed is queued as done, never trained again");
            assertEquals("ok", s.integrityCheck());
        }
        assertEquals(Schema.VERSION, PgStoreTest.version(StoreLocation.of(file)));
        try (ResultStore s = ResultStore.openExisting(file)) {
            List<RunRow> runs = s.runs(s.sweeps().get(0).id());
            assertEquals(1, runs.size());
            assertEquals(0.5, runs.get(0).top1());
        }
    }
}
