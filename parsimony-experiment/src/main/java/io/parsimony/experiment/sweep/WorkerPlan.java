package io.parsimony.experiment.sweep;

import io.parsimony.InputException;
import io.parsimony.nn.train.TrainingListener;

import java.util.List;
import java.util.function.Function;

/**
 * How a sweep uses the machine: concurrent trainings, PyTorch threads per training, GPUs, and
 * whether one training runs in this JVM or each in a worker process (PyTorch allows one active
 * gradient collector per process, so concurrent trainings need one process each).
 *
 * @param workers          concurrent trainings (≥ 1)
 * @param threads          PyTorch threads per worker, or null for cores / workers (at least 1)
 * @param gpus             CUDA device ids dealt round-robin to the workers, or empty
 * @param workerProcesses  train in a worker process even with one worker
 * @param cores            the cores to share (normally {@link #machineCores()})
 */
public record WorkerPlan(int workers, Integer threads, List<String> gpus, boolean workerProcesses, int cores) {

    public WorkerPlan {
        if (workers < 1) {
            throw new InputException("--workers must be at least 1, got " + workers);
        }
        if (threads != null && threads < 1) {
            throw new InputException("--threads must be at least 1, got " + threads);
        }
        gpus = gpus == null ? List.of() : List.copyOf(gpus);
    }

    public static int machineCores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** Threads each training gets. */
    public int threadsPerWorker() {
        return threads != null ? threads : Math.max(1, cores / workers);
    }

    /** Whether trainings run in worker processes (else in this JVM). */
    public boolean processes() {
        return workers > 1 || workerProcesses;
    }

    /**
     * For training in this JVM with an explicit thread count: sets the properties DJL's PyTorch
     * engine reads when it loads (no effect if it is already loaded).
     */
    public void applyToThisJvm() {
        if (!processes() && threads != null) {
            System.setProperty("ai.djl.pytorch.num_threads", String.valueOf(threadsPerWorker()));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
    }

    /** e.g. "; 2 worker processes x 1 thread (2 cores)" or "; training in this process". */
    public String describe() {
        if (!processes()) {
            return "; training in this process";
        }
        int t = threadsPerWorker();
        return String.format("; %d worker process%s x %d thread%s (%d cores)", workers, workers == 1 ? "" : "es",
                t, t == 1 ? "" : "s", cores);
    }

    /**
     * The runner's options.
     *
     * @param workerMain     the worker's main class and arguments (e.g. the CLI's hidden {@code sweep worker})
     * @param localListener  progress of in-JVM trainings, by run label
     */
    public SweepRunner.Options options(List<String> workerMain, boolean retryFailed,
                                       Function<String, TrainingListener> localListener) {
        return new SweepRunner.Options(workers, processes() ? WorkerLauncher.java(workerMain, threadsPerWorker()) : null,
                gpus, retryFailed, localListener);
    }
}
