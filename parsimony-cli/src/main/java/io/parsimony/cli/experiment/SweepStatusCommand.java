package io.parsimony.cli.experiment;

import io.parsimony.cli.output.Output;
import io.parsimony.cli.output.Output.Col;
import io.parsimony.experiment.store.StoreLocation;
import io.parsimony.experiment.store.WorkQueue;
import io.parsimony.experiment.store.ResultStore;
import io.parsimony.experiment.store.ResultStore.RunRow;
import io.parsimony.experiment.store.ResultStore.SweepRow;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** {@code parsimony sweep status}: what a store's queue holds and who works on it. Reads only. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show a results store's work: runs pending, running (worker, heartbeat age, epoch), done and failed "
                + "per sweep, and each worker's throughput.")
public final class SweepStatusCommand implements Callable<Integer> {

    @Option(names = "--store", defaultValue = "runs/results.sqlite", paramLabel = "FILE|URL", converter = StoreConverter.class,
            description = "Results store: " + StoreConverter.HELP + " (default: ${DEFAULT-VALUE}).")
    StoreLocation store;

    @Mixin
    Output output;

    @Spec
    CommandSpec spec;

    /** One sweep's counts. */
    record SweepCounts(long sweep, String kind, String title, int planned, int pending, int running, int done, int failed) {
    }

    /** One worker's recorded runs and their rate. */
    record WorkerRate(String worker, int done, int failed, double runsPerHour, double meanWallSeconds) {
    }

    @Override
    public Integer call() {
        List<SweepCounts> counts = new ArrayList<>();
        List<WorkQueue.Task> running = new ArrayList<>();
        Map<String, List<RunRow>> byWorker = new TreeMap<>();
        try (ResultStore s = ResultStore.openExisting(store)) {
            List<WorkQueue.Task> tasks = s.queue().tasks(null);
            for (SweepRow w : s.sweeps()) {
                List<RunRow> runs = s.runs(w.id());
                List<WorkQueue.Task> mine = tasks.stream().filter(t -> t.sweepId() == w.id()).toList();
                int done = (int) runs.stream().filter(RunRow::done).count();
                int failed = runs.size() - done;
                int run = (int) mine.stream().filter(t -> t.state().equals("running")).count();
                int pending = (int) mine.stream().filter(t -> t.state().equals("pending")).count();
                counts.add(new SweepCounts(w.id(), w.kind(), w.title(), Math.max(w.plannedRuns(), mine.size()), pending, run, done,
                        failed));
                mine.stream().filter(t -> t.state().equals("running")).forEach(running::add);
                for (RunRow r : runs) {
                    byWorker.computeIfAbsent(r.worker() == null ? "?" : r.worker(), k -> new ArrayList<>()).add(r);
                }
            }
        }
        List<WorkerRate> rates = new ArrayList<>();
        byWorker.forEach((w, rs) -> rates.add(rate(w, rs)));
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("store", store.toString());
            doc.put("sweeps", counts);
            doc.put("running", running);
            doc.put("workers", rates);
            Output.writeJson(out, doc);
            return 0;
        }
        out.printf("store %s%n", store);
        if (counts.isEmpty()) {
            out.println("no sweeps yet");
            out.flush();
            return 0;
        }
        Output.writeTable(out, counts,
                Col.right("sweep", c -> String.valueOf(c.sweep())),
                Col.left("kind", SweepCounts::kind),
                Col.right("planned", c -> String.valueOf(c.planned())),
                Col.right("pending", c -> String.valueOf(c.pending())),
                Col.right("running", c -> String.valueOf(c.running())),
                Col.right("done", c -> String.valueOf(c.done())),
                Col.right("failed", c -> String.valueOf(c.failed())),
                Col.left("title", SweepCounts::title));
        if (!running.isEmpty()) {
            out.println();
            out.println("running:");
            Output.writeTable(out, running,
                    Col.right("sweep", t -> String.valueOf(t.sweepId())),
                    Col.left("model", WorkQueue.Task::model),
                    Col.left("worker", WorkQueue.Task::worker),
                    Col.right("heartbeat", t -> t.heartbeatAgeMillis() == null ? "-"
                            : String.format(Locale.ROOT, "%.1fs ago", t.heartbeatAgeMillis() / 1000.0)),
                    Col.right("epoch", t -> String.valueOf(t.epoch())),
                    Col.right("attempt", t -> String.valueOf(t.attempts())));
        }
        if (!rates.isEmpty()) {
            out.println();
            out.println("workers:");
            Output.writeTable(out, rates,
                    Col.left("worker", WorkerRate::worker),
                    Col.right("done", r -> String.valueOf(r.done())),
                    Col.right("failed", r -> String.valueOf(r.failed())),
                    Col.right("runs/hour", r -> Double.isFinite(r.runsPerHour()) ? String.format(Locale.ROOT, "%.1f", r.runsPerHour()) : "-"),
                    Col.right("mean run", r -> String.format(Locale.ROOT, "%.1fs", r.meanWallSeconds())));
        }
        out.flush();
        return 0;
    }

    /** Runs per hour between the worker's first start and last finish. */
    private static WorkerRate rate(String worker, List<RunRow> rs) {
        int done = (int) rs.stream().filter(RunRow::done).count();
        Instant first = null, last = null;
        double wall = 0;
        for (RunRow r : rs) {
            wall += r.wallSeconds();
            try {
                Instant a = Instant.parse(r.startedAt()), b = Instant.parse(r.finishedAt());
                first = first == null || a.isBefore(first) ? a : first;
                last = last == null || b.isAfter(last) ? b : last;
            } catch (RuntimeException unparsable) {
                // an old row without ISO times: no rate from it
            }
        }
        double hours = first == null ? Double.NaN : Duration.between(first, last).toMillis() / 3.6e6;
        return new WorkerRate(worker, done, rs.size() - done, hours > 0 ? rs.size() / hours : Double.NaN, wall / rs.size());
    }
}
