package io.parsimony.experiment.sweep;

import io.parsimony.experiment.sweep.EnergySweep.PlannedRun;
import io.parsimony.experiment.store.WorkQueue;
import io.parsimony.experiment.store.ResultStore.RunRow;
import io.parsimony.nn.train.TrainingListener;
import io.parsimony.nn.train.TrainingRecipe;
import io.parsimony.experiment.job.JobOutcome;
import io.parsimony.experiment.job.TrainingJob;
import io.parsimony.experiment.store.QueuedRun;
import io.parsimony.experiment.store.ResultStore;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Trains the runs of a plan that the store does not hold yet, and records each one as soon as
 * it finishes (one transaction per run). With one worker and no launcher the runs train in this
 * JVM; otherwise each of {@code workers} slots drives its own worker process (PyTorch allows one
 * active gradient collector per process, so concurrent trainings need one process each).
 *
 * <p>Runs already {@code done} are skipped; {@code failed} ones (a diverged loss) are skipped
 * too unless {@code retryFailed}. A run that another live sweep is training (its run lock is
 * held) is left to that sweep. A worker that dies takes its run with it: the run is retried once
 * on a fresh worker, and otherwise left unrecorded for the next invocation.
 */
public final class SweepRunner {

    /** What the runner reports while it works; every method may be called from several threads. */
    public interface Listener {
        default void planned(int total, int done, int failed, int toRun) {
        }

        default void started(PlannedRun run, String worker) {
        }

        /** A progress line from a worker process. */
        default void progress(String worker, String line) {
        }

        /** A worker's stderr (library logs, crash output). */
        default void workerOutput(String worker, String line) {
        }

        /**
         * A run finished and {@code row} was written ({@code recorded}), or another process had
         * recorded it first.
         */
        default void finished(PlannedRun run, RunRow row, boolean recorded, int finishedNow, int toRun, double etaSeconds) {
        }

        default void skipped(PlannedRun run, String reason) {
        }

        default void workerDied(String worker, PlannedRun run, String message) {
        }
    }

    /**
     * Runs that a finished run makes due (asynchronous successive halving promotes a candidate the
     * moment its result allows): called once per run this invocation sees finish, from the slot
     * that trained it, before that slot looks for more work, so no slot stops while a promotion
     * can still come.
     */
    @FunctionalInterface
    public interface FollowUp {
        List<PlannedRun> after(PlannedRun run, RunRow row);

        FollowUp NONE = (run, row) -> List.of();
    }

    /**
     * @param workers        concurrent trainings
     * @param launcher       how to start a worker process (its threads are in it), or null to train
     *                       in this JVM (only with one worker)
     * @param gpus           with a GPU recipe, the CUDA device ids dealt round-robin to the workers
     *                       ({@code CUDA_VISIBLE_DEVICES}); empty to leave the environment alone
     * @param retryFailed    train again runs recorded as failed
     * @param localListener  progress of in-JVM trainings, by run label
     */
    public record Options(int workers, WorkerLauncher launcher, List<String> gpus, boolean retryFailed,
                          Function<String, TrainingListener> localListener) {
        public Options {
            if (workers < 1) {
                throw new io.parsimony.InputException("--workers must be at least 1, got " + workers);
            }
            if (launcher == null && workers > 1) {
                throw new IllegalArgumentException("several workers need a launcher");
            }
            gpus = gpus == null ? List.of() : List.copyOf(gpus);
            localListener = localListener == null ? label -> TrainingListener.SILENT : localListener;
        }
    }

    /** What one invocation did. */
    public record Summary(int planned, int alreadyDone, int alreadyFailed, int trained, int failed, int recordedElsewhere,
                          int busyElsewhere, int unfinished, double wallSeconds) {
        public boolean complete() {
            return busyElsewhere == 0 && unfinished == 0;
        }
    }

    /** How long a run's claim lasts without a heartbeat (the runner renews it every third of this). */
    static final java.time.Duration LEASE = java.time.Duration.ofSeconds(60);

    private final String data;
    private final Function<PlannedRun, TrainingRecipe> recipes;
    private final boolean validationOnly;
    private final long sweepId;
    private final ResultStore store;
    private final Path runsDir;
    private final LocalTrainer local;
    /** Set when the JVM shuts down (Ctrl-C, SIGTERM): start nothing new, report nothing more. */
    private volatile boolean stopping;

    public SweepRunner(EnergySweep sweep, long sweepId, ResultStore store, Path runsDir, LocalTrainer local) {
        this(sweep.data(), run -> sweep.recipe(), false, sweepId, store, runsDir, local);
    }

    /**
     * A runner for runs that do not all share one recipe (a design's rungs and seeds).
     *
     * @param recipes        the recipe of each run (part of its run key, so it must be the same on every rerun)
     * @param validationOnly train without reading the test split; rows carry validation figures only
     */
    public SweepRunner(String data, Function<PlannedRun, TrainingRecipe> recipes, boolean validationOnly, long sweepId,
                       ResultStore store, Path runsDir, LocalTrainer local) {
        this.data = data;
        this.recipes = recipes;
        this.validationOnly = validationOnly;
        this.sweepId = sweepId;
        this.store = store;
        this.runsDir = runsDir.toAbsolutePath().normalize();
        this.local = local;
    }

    /** The directory of one run: model and key, so reruns and other sweeps with the same run find it. */
    public Path runDir(PlannedRun run) {
        return runsDir.resolve(run.model().replaceAll("[^A-Za-z0-9]+", "-").replaceAll("-+$", "") + "-" + run.runKey().substring(0, 8));
    }

    public Summary run(List<PlannedRun> plan, Options options, Listener listener) {
        return run(plan, options, listener, FollowUp.NONE);
    }

    /** As {@link #run(List, Options, Listener)}, adding the runs {@code next} makes due as runs finish. */
    public Summary run(List<PlannedRun> plan, Options options, Listener listener, FollowUp next) {
        long t0 = System.nanoTime();
        Map<String, String> statuses = store.statuses(sweepId);
        ConcurrentLinkedDeque<PlannedRun> queue = new ConcurrentLinkedDeque<>();
        int done = 0, failedBefore = 0;
        for (PlannedRun r : plan) {
            String s = statuses.get(r.runKey());
            if ("done".equals(s)) {
                done++;
            } else if ("failed".equals(s) && !options.retryFailed()) {
                failedBefore++;
            } else {
                queue.add(r);
            }
        }
        int toRun = queue.size();
        store.queue().enqueue(sweepId, plan.stream().map(this::queued).toList());   // workers of this store may help
        listener.planned(plan.size(), done, failedBefore, toRun);
        Counters c = new Counters(toRun, next == FollowUp.NONE ? Math.min(options.workers(), Math.max(1, toRun)) : options.workers(),
                next);
        if (toRun > 0) {
            if (options.launcher() == null) {
                drain(queue, null, "local", options, listener, c);
            } else {
                runSlots(queue, options, listener, c);
            }
        }
        for (PlannedRun r : c.deferred) {   // left to another process: has it finished them by now?
            if ("done".equals(store.status(sweepId, r.runKey()))) {
                c.elsewhere.incrementAndGet();
            } else {
                c.busy.incrementAndGet();
            }
        }
        return new Summary(plan.size() + c.added.get(), done, failedBefore, c.trained.get(), c.failed.get(), c.elsewhere.get(), c.busy.get(),
                c.unfinished.get(), (System.nanoTime() - t0) / 1e9);
    }

    private static final class Counters {
        final AtomicInteger toRun;
        final int slots;
        final FollowUp next;
        /** Runs a slot is working on; a slot with an empty queue waits while any is, as it may make more due. */
        final AtomicInteger inFlight = new AtomicInteger(), added = new AtomicInteger();
        final AtomicInteger finished = new AtomicInteger(), trained = new AtomicInteger(), failed = new AtomicInteger(),
                elsewhere = new AtomicInteger(), busy = new AtomicInteger(), unfinished = new AtomicInteger(),
                skipped = new AtomicInteger();
        final java.util.Queue<PlannedRun> deferred = new java.util.concurrent.ConcurrentLinkedQueue<>();
        final Map<String, Integer> deaths = new ConcurrentHashMap<>();
        double wallSum;

        Counters(int toRun, int slots, FollowUp next) {
            this.toRun = new AtomicInteger(toRun);
            this.slots = slots;
            this.next = next;
        }

        /** Runs this invocation trains: those planned (and made due since) less those another process took. */
        int total() {
            return toRun.get() - skipped.get();
        }

        synchronized double eta(double wall) {
            wallSum += wall;
            int n = finished.get();
            int left = total() - n;
            return left <= 0 ? 0 : wallSum / n * Math.ceil((double) left / slots);
        }
    }

    private void runSlots(ConcurrentLinkedDeque<PlannedRun> queue, Options options, Listener listener, Counters c) {
        List<WorkerProcess[]> slots = new ArrayList<>();
        Thread hook = new Thread(() -> {
            stopping = true;
            slots.forEach(s -> {
                if (s[0] != null) {
                    s[0].kill();
                }
            });
        }, "sweep-workers-kill");
        Runtime.getRuntime().addShutdownHook(hook);
        List<Thread> threads = new ArrayList<>();
        try {
            for (int i = 0; i < c.slots; i++) {
                WorkerProcess[] holder = new WorkerProcess[1];
                slots.add(holder);
                String name = "w" + (i + 1);
                WorkerLauncher l = options.gpus().isEmpty() ? options.launcher()
                        : options.launcher().withEnv("CUDA_VISIBLE_DEVICES", options.gpus().get(i % options.gpus().size()));
                Thread t = new Thread(() -> drain(queue, new Slot(name, l, holder, listener), name, options, listener, c), "sweep-" + name);
                threads.add(t);
                t.start();
            }
            for (Thread t : threads) {
                t.join();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            for (WorkerProcess[] s : slots) {
                if (s[0] != null) {
                    s[0].close();
                }
            }
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running
            }
        }
    }

    /** One worker process slot: starts (and after a crash restarts) its process on demand. */
    private record Slot(String name, WorkerLauncher launcher, WorkerProcess[] holder, Listener listener) {
        synchronized WorkerProcess process() throws IOException {
            if (holder[0] == null || !holder[0].alive()) {
                holder[0] = new WorkerProcess(name, launcher, line -> listener.workerOutput(name, line));
            }
            return holder[0];
        }
    }

    private void drain(ConcurrentLinkedDeque<PlannedRun> queue, Slot slot, String worker, Options options, Listener listener,
                       Counters c) {
        while (!stopping && !Thread.currentThread().isInterrupted()) {
            c.inFlight.incrementAndGet();
            PlannedRun run = queue.poll();
            if (run == null) {
                if (c.inFlight.decrementAndGet() == 0 && queue.isEmpty() || c.next == FollowUp.NONE) {
                    return;   // nothing queued and nothing in flight that could make more due
                }
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                continue;
            }
            try {
                drainOne(queue, run, slot, worker, options, listener, c);
            } finally {
                c.inFlight.decrementAndGet();
            }
        }
    }

    private void drainOne(ConcurrentLinkedDeque<PlannedRun> queue, PlannedRun run, Slot slot, String worker, Options options,
                          Listener listener, Counters c) {
        {
            boolean again = false;
            try (RunLock lock = RunLock.tryLock(runsDir, run.runKey())) {
                if (lock == null) {
                    c.skipped.incrementAndGet();
                    c.deferred.add(run);
                    listener.skipped(run, "being trained by another sweep process");
                    return;
                }
                String now = store.status(sweepId, run.runKey());
                if ("done".equals(now) || ("failed".equals(now) && !options.retryFailed())) {
                    c.skipped.incrementAndGet();
                    c.elsewhere.incrementAndGet();
                    listener.skipped(run, "recorded meanwhile by another sweep process");
                    followUp(queue, run, recordedRow(run), c);
                    return;
                }
                // holding the run lock, this process may take the run over from a dead sweep process of this machine
                String sweepers = "sweep@" + LocalTrainer.host() + "/";
                WorkQueue.Claim claim = store.queue().claim(sweepers + ProcessHandle.current().pid() + "/" + worker,
                        LEASE.toMillis(), null, sweepId, run.runKey(), sweepers);
                if (claim == null) {   // a queue worker ('parsimony worker') holds it, or has just recorded it
                    c.skipped.incrementAndGet();
                    if (store.queue().leased(sweepId, run.runKey())) {
                        c.deferred.add(run);
                        listener.skipped(run, "being trained by a queue worker");
                    } else {
                        c.elsewhere.incrementAndGet();
                        listener.skipped(run, "recorded meanwhile by a queue worker");
                        followUp(queue, run, recordedRow(run), c);
                    }
                    return;
                }
                try (Lease lease = new Lease(store.queue(), claim, LEASE)) {
                    again = trainAndRecord(queue, run, claim, slot, worker, options, listener, c);
                }
                if (again) {
                    store.queue().release(claim);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot lock run " + run.model() + " under " + runsDir + ": " + e.getMessage(), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (again) {
                queue.addFirst(run);   // once more, on a fresh process (after its lock is released)
            }
        }
    }

    /** Trains and records one run; true when its worker died and it should be tried once more. */
    private boolean trainAndRecord(ConcurrentLinkedDeque<PlannedRun> queue, PlannedRun run, WorkQueue.Claim claim, Slot slot,
                                   String worker, Options options, Listener listener, Counters c)
            throws IOException, InterruptedException {
        // this runner's directory, not the one stored with the task: a design or sweep resumed from
        // another working directory (or given another --runs) must find its checkpoints where its locks are
        QueuedRun here = claim.run().in(runDir(run).toString());
        TrainingJob job = here.job();
        String startedAt = Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS).toString();
        listener.started(run, worker);
        JobOutcome o;
        if (slot == null) {
            o = local.train(job, options.localListener().apply(job.label()));
        } else {
            try {
                o = slot.process().run(job, line -> listener.progress(worker, line));
            } catch (WorkerProcess.Died d) {
                if (stopping) {
                    return false;
                }
                listener.workerDied(worker, run, d.getMessage());
                if (c.deaths.merge(run.runKey(), 1, Integer::sum) < 2) {
                    return true;
                }
                c.unfinished.incrementAndGet();
                c.skipped.incrementAndGet();
                return false;
            }
        }
        RunRow row = here.row(sweepId, o, worker, startedAt);
        boolean recorded = store.queue().finish(claim, row);
        if (!recorded) {
            c.elsewhere.incrementAndGet();
        } else if (o.ok()) {
            c.trained.incrementAndGet();
        } else {
            c.failed.incrementAndGet();
        }
        c.finished.incrementAndGet();
        listener.finished(run, row, recorded, c.finished.get(), c.total(), c.eta(o.wallSeconds()));
        followUp(queue, run, recorded ? row : recordedRow(run), c);
        return false;
    }

    /** Queues what {@code run}'s result makes due (in the store's work queue too, for its workers). */
    private void followUp(ConcurrentLinkedDeque<PlannedRun> queue, PlannedRun run, RunRow row, Counters c) {
        if (row == null || c.next == FollowUp.NONE) {
            return;
        }
        List<PlannedRun> more = c.next.after(run, row);
        if (!more.isEmpty()) {
            store.queue().enqueue(sweepId, more.stream().map(this::queued).toList());
            c.toRun.addAndGet(more.size());
            c.added.addAndGet(more.size());
            for (int i = more.size() - 1; i >= 0; i--) {
                queue.addFirst(more.get(i));   // due runs go first (ASHA prefers a promotion to a new start)
            }
        }
    }

    /** The row another process recorded for {@code run}, or null. */
    private RunRow recordedRow(PlannedRun run) {
        return store.runs(sweepId).stream().filter(r -> r.runKey().equals(run.runKey())).findFirst().orElse(null);
    }

    /** A run of the plan as the work queue holds it. */
    QueuedRun queued(PlannedRun run) {
        TrainingJob job = new TrainingJob(run.runKey(), run.spec().describe(), run.spec(), recipes.apply(run), data,
                runDir(run).toString(), validationOnly);
        return new QueuedRun(job, run.position(), run.roles(), run.model(), run.layout().toString(), run.energy(), run.convWeights());
    }

    /** Sends every line to {@code sink}, for listeners that only print. */
    public static Consumer<String> printer(java.io.PrintStream out) {
        return line -> {
            synchronized (out) {
                out.println(line);
                out.flush();
            }
        };
    }
}
