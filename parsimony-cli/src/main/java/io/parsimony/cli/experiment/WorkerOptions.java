package io.parsimony.cli.experiment;

import io.parsimony.experiment.sweep.WorkerPlan;
import picocli.CommandLine.Option;

import java.util.List;

/** How many trainings run at once and with how many threads: the same flags for {@code sweep energy} and {@code design}. */
public final class WorkerOptions {

    @Option(names = {"-j", "--workers"}, defaultValue = "1", paramLabel = "N",
            description = "Concurrent trainings, one worker process each (default: ${DEFAULT-VALUE}: train in this process).")
    int workers;

    @Option(names = "--threads", paramLabel = "T",
            description = "PyTorch threads per worker (default: cores / workers, at least 1).")
    Integer threads;

    /** The validated plan for this machine; {@code gpus} (or null) and {@code forceProcesses} as {@link WorkerPlan} takes them. */
    public WorkerPlan plan(List<String> gpus, boolean forceProcesses) {
        return new WorkerPlan(workers, threads, gpus, forceProcesses, WorkerPlan.machineCores());
    }
}
