package io.parsimony.experiment.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.parsimony.experiment.job.Hashing;
import io.parsimony.experiment.store.ResultStore.RunRow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * How fast a sweep trains and where its hours go: runs per hour of busy time, the union of the
 * runs' [start, finish] intervals (so parallel workers count and a sweep paused overnight is not
 * charged for the night; the span from first start to last finish is kept too), the median images per second of one
 * run, and the run time split into data wait, forward, backward, update and validation (from
 * each run's {@code metrics.jsonl}) and the rest (start-up, loading, the test evaluation,
 * checkpoints). Runs whose directory is not on this machine count in the rates but not in the split.
 */
public record SweepThroughput(int runs, double spanHours, double busyHours, double runsPerHour, double medianImagesPerSecond,
                              double wallSeconds, int splitRuns, Split split) {

    /** Seconds summed over the runs with metrics; {@code other} is their wall time not in any phase. */
    public record Split(double dataWait, double forward, double backward, double update, double validation, double other) {
        public double total() {
            return dataWait + forward + backward + update + validation + other;
        }
    }

    /** Null when no finished run has times. */
    public static SweepThroughput of(List<RunRow> rows) {
        List<RunRow> done = rows.stream().filter(r -> r.done() && r.trainSeconds() != null && r.steps() != null).toList();
        if (done.isEmpty()) {
            return null;
        }
        Instant first = null, last = null;
        List<Instant[]> intervals = new java.util.ArrayList<>();
        double wall = 0;
        double[] rates = new double[done.size()];
        double data = 0, fwd = 0, bwd = 0, upd = 0, val = 0, other = 0;
        int split = 0;
        for (int i = 0; i < done.size(); i++) {
            RunRow r = done.get(i);
            Instant s = parse(r.startedAt()), f = parse(r.finishedAt());
            first = s != null && (first == null || s.isBefore(first)) ? s : first;
            last = f != null && (last == null || f.isAfter(last)) ? f : last;
            if (s != null && f != null && f.isAfter(s)) {
                intervals.add(new Instant[]{s, f});
            }
            wall += r.wallSeconds();
            rates[i] = r.trainSeconds() > 0 ? r.steps() * (double) batch(r) / r.trainSeconds() : 0;
            double[] p = phases(r.runDir());
            if (p != null) {
                split++;
                data += p[0];
                fwd += p[1];
                bwd += p[2];
                upd += p[3];
                val += p[4];
                other += Math.max(0, r.wallSeconds() - (p[0] + p[1] + p[2] + p[3] + p[4]));
            }
        }
        java.util.Arrays.sort(rates);
        double median = rates.length % 2 == 1 ? rates[rates.length / 2] : (rates[rates.length / 2 - 1] + rates[rates.length / 2]) / 2;
        double span = first != null && last != null && last.isAfter(first) ? Duration.between(first, last).toMillis() / 3.6e6 : wall / 3600;
        double busy = intervals.isEmpty() ? span : busyHours(intervals);
        return new SweepThroughput(done.size(), span, busy, done.size() / busy, median, wall, split,
                split == 0 ? null : new Split(data, fwd, bwd, upd, val, other));
    }

    /** Length of the union of the intervals, in hours. */
    private static double busyHours(List<Instant[]> intervals) {
        intervals.sort(java.util.Comparator.comparing(i -> i[0]));
        long millis = 0;
        Instant from = intervals.get(0)[0], to = intervals.get(0)[1];
        for (Instant[] i : intervals) {
            if (i[0].isAfter(to)) {
                millis += Duration.between(from, to).toMillis();
                from = i[0];
                to = i[1];
            } else if (i[1].isAfter(to)) {
                to = i[1];
            }
        }
        millis += Duration.between(from, to).toMillis();
        return millis / 3.6e6;
    }

    /** "38 runs in 1.02 h: 37.3 runs/h; one run trains at 1,650 img/s (median); of 57 min of run time: ..." */
    public String line() {
        String pauses = busyHours < spanHours - 1e-9 ? String.format(" (%.2f h from first start to last finish, with pauses)", spanHours) : "";
        StringBuilder sb = new StringBuilder(String.format("%d runs in %.2f h of training%s: %.1f runs/h; one run trains at %,.0f img/s (median)",
                runs, busyHours, pauses, runsPerHour, medianImagesPerSecond));
        if (split != null) {
            double t = split.total();
            sb.append(String.format("; where %d runs' %.0f min went: data wait %.1f%%, forward %.1f%%, backward %.1f%%, update %.1f%%, "
                            + "validation %.1f%%, other (start-up, test evaluation, checkpoints) %.1f%%", splitRuns, t / 60,
                    100 * split.dataWait / t, 100 * split.forward / t, 100 * split.backward / t, 100 * split.update / t,
                    100 * split.validation / t, 100 * split.other / t));
        } else {
            sb.append("; no per-phase times (runs trained before they were recorded, or run directories not here)");
        }
        return sb.toString();
    }

    private static int batch(RunRow r) {
        try {
            return Hashing.JSON.readTree(r.recipe()).path("batchSize").asInt(0);
        } catch (IOException e) {
            return 0;
        }
    }

    /** Summed {data wait, forward, backward, update, validation} seconds of a run directory, or null without them. */
    static double[] phases(String runDir) {
        if (runDir == null) {
            return null;
        }
        Path metrics = Path.of(runDir).resolve("metrics.jsonl");
        if (!Files.isRegularFile(metrics)) {
            return null;
        }
        double[] sum = new double[5];
        try {
            for (String line : Files.readAllLines(metrics)) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode m = Hashing.JSON.readTree(line);
                if (!m.has("forwardSeconds")) {
                    return null;   // trained before phases were recorded
                }
                sum[0] += m.path("dataWaitSeconds").asDouble();
                sum[1] += m.path("forwardSeconds").asDouble();
                sum[2] += m.path("backwardSeconds").asDouble();
                sum[3] += m.path("updateSeconds").asDouble();
                sum[4] += m.path("validationSeconds").asDouble();
            }
        } catch (IOException e) {
            return null;
        }
        return sum;
    }

    private static Instant parse(String iso) {
        try {
            return iso == null ? null : Instant.parse(iso);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }
}
