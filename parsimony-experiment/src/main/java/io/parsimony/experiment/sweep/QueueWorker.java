package io.parsimony.experiment.sweep;

import io.parsimony.experiment.store.WorkQueue;
import io.parsimony.nn.train.Checkpoint;
import io.parsimony.nn.train.EpochMetrics;
import io.parsimony.nn.train.TrainingListener;
import io.parsimony.experiment.job.JobOutcome;
import io.parsimony.experiment.store.QueuedRun;
import io.parsimony.experiment.store.ResultStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code parsimony worker}: drains a store's work queue, one run at a time, until the queue has
 * been empty for {@code idleExit} or {@code maxRuns} runs are done. Each run is claimed with a
 * lease that a heartbeat renews ({@link Lease}); after every epoch its checkpoint is saved where
 * any machine can resume it: in the store up to {@code checkpointLimit} bytes, else in
 * {@code checkpoints} (shared storage). A claim of a run that another worker left behind restores
 * that checkpoint first, so a killed worker costs at most the epoch it was in.
 *
 * @param name            this worker in the store ({@code runs.worker}, {@code sweep status})
 * @param device          "cpu" or "gpu": only runs of that device; null for any
 * @param maxRuns         stop after this many runs (0: no limit)
 * @param idleExit        stop when no run could be claimed for this long
 * @param lease           lease length (a killed worker's run waits this long before another takes it)
 * @param workDir         this machine's run directories
 * @param checkpoints     shared directory for checkpoints above the limit, or null
 * @param checkpointLimit largest checkpoint kept in the store, in bytes
 */
public record QueueWorker(String name, String device, int maxRuns, Duration idleExit, Duration lease, Path workDir,
                          Path checkpoints, long checkpointLimit) {

    /** Checkpoints up to 64 MiB live in the store (a plain CNN of the paper's budgets: well under 1 MiB). */
    public static final long DEFAULT_CHECKPOINT_LIMIT = 64L << 20;

    /** What a worker did. */
    public record Summary(int done, int failed, int lost, int resumed) {
    }

    /** A default worker name: host and process id. */
    public static String defaultName() {
        return LocalTrainer.host() + "-" + ProcessHandle.current().pid();
    }

    public Summary run(ResultStore store, Consumer<String> log) {
        WorkQueue queue = store.queue();
        LocalTrainer trainer = new LocalTrainer();
        int done = 0, failed = 0, lost = 0, resumed = 0;
        long idleSince = System.nanoTime();
        boolean warnedLarge = false;
        while (maxRuns == 0 || done + failed < maxRuns) {
            WorkQueue.Claim claim = queue.claim(name, lease.toMillis(), device, null, null);
            if (claim == null) {
                if (System.nanoTime() - idleSince >= idleExit.toNanos()) {
                    break;
                }
                sleep(Math.min(2000, Math.max(100, idleExit.toMillis() / 10)));
                continue;
            }
            Path dir = workDir.resolve(claim.run().model().replaceAll("[^A-Za-z0-9]+", "-").replaceAll("-+$", "") + "-"
                    + claim.runKey().substring(0, 8));
            boolean restored = restore(claim, dir);
            log.accept(String.format("claimed %s (%s, attempt %d%s)", claim.run().model(), claim.runKey(), claim.attempt(),
                    restored ? ", resuming after epoch " + claim.epoch() : ""));
            String startedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
            QueuedRun run = claim.run().in(dir.toString());
            JobOutcome o;
            boolean[] large = {false};
            try (Lease l = new Lease(queue, claim, lease)) {
                TrainingListener saver = new TrainingListener() {
                    @Override
                    public void onEpochStart(int epoch, int epochs, int batches) {
                        if (!queue.epochStarted(claim)) {
                            l.lose();
                        }
                    }

                    @Override
                    public boolean onEpochEnd(EpochMetrics m) {
                        large[0] |= !save(queue, claim, m.epoch(), dir);
                        return !l.lost();
                    }
                };
                o = trainer.train(run.job(), TrainingListener.all(saver, new EpochLines(run.job().label(), log, 15)));
                if (l.lost()) {
                    lost++;
                    log.accept("lost the lease of " + claim.run().model() + " (another worker took it); its result is dropped");
                    continue;
                }
            }
            if (large[0] && !warnedLarge) {
                warnedLarge = true;
                log.accept("note: checkpoints above " + checkpointLimit + " bytes stay on this machine; give --checkpoints DIR "
                        + "on shared storage so that other machines can resume them");
            }
            if (queue.finish(claim, run.row(claim.sweepId(), o, name, startedAt))) {
                if (o.ok()) {
                    done++;
                } else {
                    failed++;
                }
                resumed += o.resumed() ? 1 : 0;
                log.accept(String.format("%s %s: %s", o.ok() ? "done" : "failed", claim.run().model(),
                        o.ok() ? (o.top1() != null ? String.format("top-1 %.2f%%", 100 * o.top1())
                                : String.format("val %.2f%%", 100 * (o.valTop1() == null ? 0 : o.valTop1()))) : o.error()));
            } else {
                lost++;
                log.accept("not recorded: " + claim.run().model() + " was recorded or taken by another worker meanwhile");
            }
            idleSince = System.nanoTime();
        }
        return new Summary(done, failed, lost, resumed);
    }

    /** Puts the run's saved checkpoint (if any) into a clean run directory; true when there was one. */
    private static boolean restore(WorkQueue.Claim claim, Path dir) {
        try {
            deleteTree(dir);
            Files.createDirectories(dir);
            Path ckpt = Checkpoint.path(dir);
            if (claim.checkpoint() != null) {
                Files.write(ckpt, claim.checkpoint());
                return true;
            }
            if (claim.checkpointFile() != null && Files.isRegularFile(Path.of(claim.checkpointFile()))) {
                Files.copy(Path.of(claim.checkpointFile()), ckpt);
                return true;
            }
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare run directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Saves the checkpoint just written; false when it was too large for the store and no shared directory was given. */
    private boolean save(WorkQueue queue, WorkQueue.Claim claim, int epoch, Path dir) {
        try {
            Path ckpt = Checkpoint.path(dir);
            long size = Files.size(ckpt);
            if (size <= checkpointLimit) {
                queue.saveCheckpoint(claim, epoch, Files.readAllBytes(ckpt), null);
                return true;
            }
            if (checkpoints == null) {
                queue.saveCheckpoint(claim, epoch, null, null);
                return false;
            }
            Files.createDirectories(checkpoints);
            Path target = checkpoints.resolve(claim.runKey() + ".ckpt");
            Path tmp = checkpoints.resolve(claim.runKey() + ".ckpt." + name + ".tmp");
            Files.copy(ckpt, tmp, StandardCopyOption.REPLACE_EXISTING);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            queue.saveCheckpoint(claim, epoch, null, target.toString());
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the checkpoint of " + claim.run().model() + ": " + e.getMessage(), e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.parsimony.InterruptedWorkException("the worker was interrupted");
        }
    }
}
