package io.parsimony.experiment.sweep;

import io.parsimony.experiment.job.Hashing;
import io.parsimony.experiment.job.JobOutcome;
import io.parsimony.experiment.job.Software;
import io.parsimony.experiment.job.TrainingJob;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * A training worker process. It reads one {@link TrainingJob} per line on stdin, trains it in
 * this JVM, and answers on stdout with lines {@code @@progress TEXT} while training and one
 * {@code @@result JSON} ({@link JobOutcome}) per job; anything else the libraries print goes to
 * stderr. It exits at the end of its input, and at once when the process that started it dies
 * (so a killed sweep leaves no orphan trainings behind).
 *
 * <p>Threads: the sweep starts each worker with {@code -Dai.djl.pytorch.num_threads=T},
 * {@code -Dai.djl.pytorch.num_interop_threads=1} and {@code OMP_NUM_THREADS=T}, read by DJL's
 * PyTorch engine when it loads.
 */
public final class SweepWorker {

    public static final String RESULT = "@@result ";
    public static final String PROGRESS = "@@progress ";

    private SweepWorker() {
    }

    public static void main(String[] args) {
        System.exit(serve(System.in, System.out));
    }

    /** Serves jobs until the end of {@code in}; returns the exit code. */
    public static int serve(InputStream in, PrintStream protocol) {
        System.setOut(System.err);   // stray prints must not mix with the protocol
        watchParent();
        LocalTrainer trainer = new LocalTrainer();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JobOutcome outcome;
                TrainingJob job;
                try {
                    job = Hashing.JSON.readValue(line, TrainingJob.class);
                } catch (java.io.IOException e) {
                    emit(protocol, RESULT + Hashing.json(JobOutcome.failed("?", "unreadable job: " + e.getMessage(), 0, false,
                            Software.describe(), LocalTrainer.host())));
                    continue;
                }
                outcome = trainer.train(job, new EpochLines(job.label(), s -> emit(protocol, PROGRESS + s), 15));
                emit(protocol, RESULT + Hashing.json(outcome));
            }
        } catch (java.io.IOException e) {
            System.err.println("parsimony worker: " + e.getMessage());
            return 1;
        }
        return 0;
    }

    private static synchronized void emit(PrintStream out, String line) {
        out.println(line.replace('\n', ' '));
        out.flush();
    }

    /** Halts this JVM when its parent process is gone (it was killed, or its machine's session ended). */
    static void watchParent() {
        var parent = ProcessHandle.current().parent();
        if (parent.isEmpty()) {
            return;
        }
        long pid = parent.get().pid();
        Thread t = new Thread(() -> {
            while (true) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
                var now = ProcessHandle.current().parent();
                if (now.isEmpty() || now.get().pid() != pid || !now.get().isAlive()) {
                    Runtime.getRuntime().halt(3);
                }
            }
        }, "parent-watch");
        t.setDaemon(true);
        t.start();
    }
}
