package io.parsimony.cli.experiment;

import io.parsimony.cli.Parsimony;
import io.parsimony.experiment.store.PgServer;
import io.parsimony.experiment.store.StoreLocation;
import io.parsimony.experiment.store.WorkQueue;
import io.parsimony.experiment.store.ResultStore;
import io.parsimony.experiment.store.ResultStore.RunRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Four {@code parsimony worker} processes drain a 12-run sweep queued in a real PostgreSQL
 * store; every run is recorded once, with the results of the same sweep trained by one process
 * into SQLite; the store's password appears in no output, report or command line.
 */
class WorkerQueueTest {

    /** 12 random layouts of the paper's budget, one epoch on 512 images. */
    static List<String> sweepArgs(String store) {
        return List.of("sweep", "energy", "--budget", "4288", "--layers", "4", "--samples", "12", "--top", "0",
                "--epochs", "1", "--batch", "64", "--lr", "0.05", "--limit-train", "512", "--limit-test", "300",
                "--store", store, "-q");
    }

    static Process worker(Path tmp, String url, String name) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Dai.djl.offline=true",
                "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1", "-XX:ActiveProcessorCount=1",
                "-cp", System.getProperty("java.class.path"), Parsimony.class.getName(),
                "worker", "--store", url, "--idle-exit", "4s", "--lease", "20s", "--work-dir", tmp.resolve(name).toString(),
                "--name", name);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(tmp.toFile()).redirectErrorStream(true)
                .redirectOutput(tmp.resolve(name + ".log").toFile());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }

    @Test
    void fourWorkersDrainASweepOnceWithTheResultsOfOneProcess(@TempDir Path tmp) throws Exception {
        PgServer pg = PgServer.get();
        String url = pg.freshDatabase("drain; it's");
        List<String> queue = new ArrayList<>(sweepArgs(url));
        queue.add("--queue-only");
        SweepCommandsTest.Run q = SweepCommandsTest.cli(queue.toArray(String[]::new));
        assertEquals(0, q.code(), q.out() + q.err());
        assertTrue(q.out().contains("queued 12 new runs of 12"), q.out());

        List<Process> workers = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            workers.add(worker(tmp, url, "w" + i));
        }
        Set<String> commandLines = new HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(300);
        while (workers.stream().anyMatch(Process::isAlive) && System.nanoTime() < deadline) {
            ProcessHandle.current().descendants().forEach(p -> {   // as ps shows them: /proc/PID/cmdline
                try {
                    commandLines.add(Files.readString(Path.of("/proc", String.valueOf(p.pid()), "cmdline")).replace('\0', ' '));
                } catch (java.io.IOException gone) {
                    // the process ended meanwhile
                }
            });
            Thread.sleep(200);
        }
        StringBuilder logs = new StringBuilder();
        for (int i = 0; i < 4; i++) {
            assertTrue(workers.get(i).waitFor(1, TimeUnit.SECONDS), "worker " + (i + 1) + " still running");
            String log = Files.readString(tmp.resolve("w" + (i + 1) + ".log"));
            logs.append(log);
            assertEquals(0, workers.get(i).exitValue(), log);
        }

        Map<String, RunRow> queued;
        try (ResultStore s = ResultStore.openExisting(StoreLocation.parse(url))) {
            long id = s.sweeps().get(0).id();
            List<RunRow> runs = s.runs(id);
            assertEquals(12, runs.size(), logs.toString());
            assertTrue(runs.stream().allMatch(RunRow::done), logs.toString());
            assertEquals(12, runs.stream().map(RunRow::runKey).distinct().count(), "every run recorded once");
            List<WorkQueue.Task> tasks = s.queue().tasks(id);
            assertEquals(12, tasks.size());
            assertTrue(tasks.stream().allMatch(t -> t.state().equals("done") && t.attempts() == 1), tasks.toString());
            assertTrue(runs.stream().map(RunRow::worker).distinct().count() >= 2, "the work was shared: " + logs);
            queued = runs.stream().collect(Collectors.toMap(RunRow::runKey, Function.identity()));
        }

        SweepCommandsTest.Run status = SweepCommandsTest.cli("sweep", "status", "--store", url);
        assertEquals(0, status.code(), status.err());
        assertTrue(status.out().contains("runs/hour"), status.out());
        SweepCommandsTest.Run json = SweepCommandsTest.cli("sweep", "status", "--store", url, "--json");
        var doc = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
        var sweep = doc.path("sweeps").get(0);
        assertEquals(List.of(12, 0, 0, 12, 0), List.of(sweep.path("planned").asInt(), sweep.path("pending").asInt(),
                sweep.path("running").asInt(), sweep.path("done").asInt(), sweep.path("failed").asInt()), json.out());
        assertTrue(doc.path("workers").size() >= 2, json.out());

        // the same sweep, one process, SQLite: the same runs (keys) and the same results within float noise
        Path sqlite = tmp.resolve("one.sqlite");
        SweepCommandsTest.Run one = SweepCommandsTest.cli(sweepArgs(sqlite.toString()).toArray(String[]::new));
        assertEquals(0, one.code(), one.out() + one.err());
        double maxDiff = 0;
        try (ResultStore s = ResultStore.openExisting(sqlite)) {
            List<RunRow> runs = s.runs(s.sweeps().get(0).id());
            assertEquals(queued.keySet(), runs.stream().map(RunRow::runKey).collect(Collectors.toSet()));
            for (RunRow r : runs) {
                maxDiff = Math.max(maxDiff, Math.abs(r.top1() - queued.get(r.runKey()).top1()));
            }
        }
        System.out.printf("WorkerQueueTest: 12 runs by 4 workers vs 1 process: top-1 differs by up to %.4f%n", maxDiff);
        assertTrue(maxDiff <= 0.01, "top-1 of the queued and the one-process sweep differ by up to " + maxDiff);

        Path html = tmp.resolve("report.html");
        SweepCommandsTest.Run report = SweepCommandsTest.cli("report", url, "--out", html.toString());
        assertEquals(0, report.code(), report.err());
        if (pg.password != null) {
            for (String text : List.of(logs.toString(), q.out(), q.err(), status.out(), report.out(), Files.readString(html),
                    String.join("\n", commandLines))) {
                assertFalse(text.contains(pg.password), "the store password leaked");
            }
            assertTrue(commandLines.stream().anyMatch(c -> c.contains(" worker --store ")), "the workers' command lines were seen");
        }
    }
}
