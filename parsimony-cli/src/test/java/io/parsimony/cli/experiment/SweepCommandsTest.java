package io.parsimony.cli.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parsimony.cli.Parsimony;
import io.parsimony.experiment.report.HeadlessChromium;
import io.parsimony.experiment.store.ResultStore;
import io.parsimony.experiment.store.ResultStore.RunRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code sweep energy} and {@code report} through the real command line, on a small
 * Fashion-MNIST slice: a sweep killed after its first finished run, resumed with two worker
 * processes, then reported and rendered by headless Chromium.
 */
class SweepCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    record Run(int code, String out, String err) {
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        var cl = Parsimony.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** 2 top-energy + 3 random layouts of the paper's budget, one epoch on 1,500 images. */
    static List<String> sweepArgs(Path store) {
        return List.of("sweep", "energy", "--budget", "4288", "--layers", "4", "--samples", "3", "--top", "2",
                "--epochs", "1", "--batch", "64", "--lr", "0.05", "--limit-train", "1500", "--limit-test", "400",
                "--store", store.toString(), "-q");
    }

    private static List<String> doneKeys(Path store) {
        if (!Files.exists(store)) {
            return List.of();
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + store); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT run_key FROM runs WHERE status = 'done'")) {
            List<String> keys = new ArrayList<>();
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
            return keys;
        } catch (Exception e) {
            return List.of();   // schema not there yet
        }
    }

    @Test
    void killedSweepResumesWithTwoWorkersAndReports(@TempDir Path tmp) throws Exception {
        Path store = tmp.resolve("results.sqlite");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), Parsimony.class.getName()));
        cmd.addAll(sweepArgs(store));
        Process sweep = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve("first.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        List<String> before = List.of();
        while (before.isEmpty() && sweep.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            before = doneKeys(store);
        }
        sweep.destroyForcibly();   // SIGKILL right after the first finished run
        assertTrue(sweep.waitFor(20, TimeUnit.SECONDS));
        String firstLog = Files.readString(tmp.resolve("first.log"));
        before = doneKeys(store);
        assertFalse(before.isEmpty(), "a run finished before the kill: " + firstLog);
        assertTrue(before.size() < 5, "killed mid-sweep, " + before.size() + " runs done: " + firstLog);
        Map<String, RunRow> finished;
        try (ResultStore s = ResultStore.openExisting(store)) {
            assertEquals("ok", s.integrityCheck());
            finished = s.runs(s.sweeps().get(0).id()).stream().collect(Collectors.toMap(RunRow::runKey, Function.identity()));
        }

        List<String> again = new ArrayList<>(sweepArgs(store));
        again.addAll(List.of("--workers", "2", "--json"));
        Run resumed = cli(again.toArray(String[]::new));
        assertEquals(0, resumed.code(), resumed.err() + resumed.out());
        JsonNode doc = JSON.readTree(resumed.out());
        assertEquals(before.size(), doc.get("summary").get("alreadyDone").asInt(), "finished runs are skipped");
        assertEquals(5 - before.size(), doc.get("summary").get("trained").asInt());
        assertTrue(doc.get("analysis").get("spearman").has("value"));
        assertEquals(2, doc.get("plots").size());
        assertTrue(Files.isRegularFile(Path.of(doc.get("plots").get(0).asText())));

        try (ResultStore s = ResultStore.openExisting(store)) {
            assertEquals("ok", s.integrityCheck());
            assertEquals(1, s.sweeps().size(), "the rerun is the same sweep");
            assertTrue(s.sweeps().get(0).command().contains("--workers 2"), s.sweeps().get(0).command());
            List<RunRow> rows = s.runs(s.sweeps().get(0).id());
            assertEquals(5, rows.size());
            assertEquals(5, rows.stream().map(RunRow::runKey).distinct().count(), "no duplicate rows");
            for (RunRow r : rows) {
                assertEquals("done", r.status(), r.error());
                assertTrue(r.top1() > 0.2 && r.top5() >= r.top1(), r.layout() + " top-1 " + r.top1());
                assertTrue(r.parameters() > 0 && r.epochs() == 1 && r.testImages() == 400 && r.wallSeconds() > 0);
                assertTrue(r.softwareVersion().contains("DJL") && r.softwareVersion().contains("PyTorch"), r.softwareVersion());
                assertTrue(r.softwareVersion().contains("; cpu ") && r.softwareVersion().contains("; numerics "), "provenance: " + r.softwareVersion());
                assertTrue(r.recipe().contains("\"lr\":0.05"), r.recipe());
                assertEquals(4288L * 9, r.convWeights());
                RunRow old = finished.get(r.runKey());
                if (old != null) {
                    assertEquals(old, r, "a finished row is never rewritten");
                } else {
                    assertTrue(r.worker().equals("w1") || r.worker().equals("w2"), r.worker());
                }
            }
            assertEquals(2, rows.stream().filter(RunRow::top).count());
        }

        Run report = cli("report", store.toString(), "--out", tmp.resolve("report.html").toString());
        assertEquals(0, report.code(), report.err());
        assertTrue(report.out().contains("5/5 runs done; Spearman ρ = "), report.out());
        HeadlessChromium chromium = HeadlessChromium.require();   // fails (not skips) without chromium: CI installs it
        String dom = chromium.dumpDom(tmp.resolve("report.html"));
        assertTrue(dom.contains("<svg class=\"plot\""), "plot in the rendered page");
        Matcher body = Pattern.compile("(?s)<table class=\"runs\">.*?<tbody>(.*?)</tbody>").matcher(dom);
        assertTrue(body.find(), "runs table in the rendered page");
        assertEquals(5, body.group(1).split("<tr").length - 1);
        assertTrue(dom.contains("parsimony sweep energy --budget 4288"), "the command to re-run");
    }

    @Test
    void userMistakesAreOneLineAndExitTwo(@TempDir Path tmp) throws Exception {
        Path notes = Files.writeString(tmp.resolve("notes.sqlite"), "not a database");
        Run bad = cli("sweep", "energy", "--budget", "4288", "--samples", "1", "--top", "1", "--limit-train", "100",
                "--store", notes.toString(), "-q");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().startsWith("parsimony: error: ") && bad.err().contains("not an SQLite database"), bad.err());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());

        Run tiny = cli("sweep", "energy", "--budget", "3", "--layers", "4", "--store", tmp.resolve("s.sqlite").toString());
        assertEquals(2, tiny.code());
        assertTrue(tiny.err().contains("too small"), tiny.err());
        assertFalse(Files.exists(tmp.resolve("s.sqlite")), "nothing written for an impossible budget");

        Run workers = cli("sweep", "energy", "--workers", "0", "--store", tmp.resolve("s.sqlite").toString());
        assertEquals(2, workers.code());
        assertTrue(workers.err().contains("--workers must be at least 1"), workers.err());

        Run missing = cli("report", tmp.resolve("nope.sqlite").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no results store"), missing.err());

        Run plan = cli("sweep", "energy", "--budget", "4288", "--samples", "4", "--top", "3", "--dry-run", "--json",
                "--store", tmp.resolve("s.sqlite").toString());
        assertEquals(0, plan.code(), plan.err());
        assertEquals(7, JSON.readTree(plan.out()).get("runs").size());
        assertFalse(Files.exists(tmp.resolve("s.sqlite")), "a dry run writes nothing");
    }

    @Test
    void reportReadsAndNeverRewritesTheStore(@TempDir Path tmp) throws Exception {
        Path empty = Files.createFile(tmp.resolve("empty.sqlite"));
        Run r = cli("report", empty.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("parsimony: error: " + empty + " is an empty file, not a results store; give a store written by "
                + "'parsimony sweep energy --store FILE'", r.err().strip());
        assertEquals(0, Files.size(empty), "the 0-byte file stays 0 bytes");
        assertFalse(Files.exists(tmp.resolve("empty.html")), "no report for a non-store");

        Path text = Files.writeString(tmp.resolve("notes.txt"), "hello");
        r = cli("report", text.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains(text + " is not a results store (not an SQLite database)"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertEquals("hello", Files.readString(text));

        Path dryRunStore = tmp.resolve("plan.sqlite");
        Files.createFile(dryRunStore);
        Run plan = cli("sweep", "energy", "--samples", "1", "--top", "1", "--dry-run", "--store", dryRunStore.toString());
        assertEquals(0, plan.code(), plan.err());
        assertTrue(plan.out().contains("todo"), plan.out());
        assertEquals(0, Files.size(dryRunStore), "a dry run reads the store only");
    }
}
