package io.parsimony.cli.experiment;

import io.parsimony.experiment.sweep.SweepWorker;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/**
 * {@code parsimony sweep worker} (hidden): the training worker process a sweep with
 * {@code --workers N} starts N of; it reads jobs on stdin and answers on stdout
 * (see {@link SweepWorker}).
 */
@Command(name = "worker", hidden = true, description = "Training worker process of 'sweep' (jobs on stdin, results on stdout).")
public final class SweepWorkerCommand implements Callable<Integer> {

    /** What a sweep runs to start a worker: this program's main class and this command. */
    static final java.util.List<String> MAIN = java.util.List.of("io.parsimony.cli.Parsimony", "sweep", "worker");

    @Override
    public Integer call() {
        return SweepWorker.serve(System.in, System.out);
    }
}
