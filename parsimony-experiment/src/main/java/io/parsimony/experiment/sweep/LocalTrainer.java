package io.parsimony.experiment.sweep;

import io.parsimony.InputException;
import io.parsimony.nn.data.DataSets;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.Split;
import io.parsimony.nn.train.Checkpoint;
import io.parsimony.nn.train.TrainingListener;
import io.parsimony.nn.train.TrainingRun;
import io.parsimony.experiment.job.Hashing;
import io.parsimony.experiment.job.JobOutcome;
import io.parsimony.experiment.job.Software;
import io.parsimony.experiment.job.TrainingJob;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Trains jobs in this JVM, one at a time (PyTorch allows one active gradient collector per
 * process). Data sets are read once and kept. A run directory that holds an unfinished
 * checkpoint of the same model is resumed (so a killed sweep loses at most the epoch in
 * flight); an unreadable or foreign checkpoint is set aside and the run starts over.
 */
public final class LocalTrainer {

    private final Map<String, ImageSet> trainSets = new HashMap<>();
    /** Test sets are read on first need only: a validation-only job never causes one to be read. */
    private final Map<String, Supplier<ImageSet>> testSets = new HashMap<>();
    private String software;

    /** Lets the trainer use sets the caller has already read. */
    public LocalTrainer preload(String name, ImageSet train, ImageSet test) {
        return preload(name, train, () -> test);
    }

    /** As {@link #preload(String, ImageSet, ImageSet)}, the test set supplied when a job first needs it. */
    public LocalTrainer preload(String name, ImageSet train, Supplier<ImageSet> test) {
        trainSets.put(name, train);
        testSets.put(name, memoized(test));
        return this;
    }

    private static Supplier<ImageSet> memoized(Supplier<ImageSet> s) {
        ImageSet[] held = new ImageSet[1];
        return () -> {
            synchronized (held) {
                if (held[0] == null) {
                    held[0] = s.get();
                }
                return held[0];
            }
        };
    }

    public synchronized JobOutcome train(TrainingJob job, TrainingListener listener) {
        long t0 = System.nanoTime();
        boolean resume = false;
        try {
            ImageSet train = trainSets.computeIfAbsent(job.data(), n -> DataSets.load(n, Split.TRAIN));
            Supplier<ImageSet> test = testSets.computeIfAbsent(job.data(), n -> memoized(() -> DataSets.load(n, Split.TEST)));
            Path dir = Path.of(job.runDir());
            resume = prepare(dir, job);
            TrainingRun.Result r = new TrainingRun(job.spec(), job.recipe(), dir).listener(listener)
                    .run(train, test, !job.validationOnly(), resume);
            return JobOutcome.of(job.runKey(), r, seconds(t0), resume, software(), host());
        } catch (io.parsimony.InterruptedWorkException e) {
            throw e;   // the sweep was stopped, the run did not fail: it resumes from its checkpoint when rerun
        } catch (InputException e) {   // includes a diverged loss
            return JobOutcome.failed(job.runKey(), e.getMessage(), seconds(t0), resume, software(), host());
        } catch (RuntimeException e) {
            return JobOutcome.failed(job.runKey(), e.getClass().getSimpleName() + ": " + e.getMessage(), seconds(t0), resume,
                    software(), host());
        }
    }

    /** True when the directory holds a usable checkpoint of this model to continue. */
    static boolean prepare(Path dir, TrainingJob job) {
        Path ckpt = Checkpoint.path(dir);
        if (!Files.isRegularFile(ckpt)) {
            return false;
        }
        try {
            Checkpoint.Header h = Checkpoint.readHeader(ckpt);
            int e = h.recipe().epochs();
            if (Hashing.json(h.spec()).equals(Hashing.json(job.spec()))
                    && Hashing.json(h.recipe()).equals(Hashing.json(job.recipe().withEpochs(e)))) {
                return true;
            }
        } catch (RuntimeException unreadable) {
            // a torn or foreign file: start over below
        }
        try {
            Path aside = dir.resolveSibling(dir.getFileName() + ".discarded-" + System.currentTimeMillis());
            Files.move(dir, aside);
        } catch (IOException e) {
            throw new InputException("run directory " + dir + " holds a checkpoint of another run and cannot be moved aside: "
                    + e.getMessage());
        }
        return false;
    }

    private synchronized String software() {
        if (software == null) {
            software = Software.describeWithEngine();
        }
        return software;
    }

    static String host() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double seconds(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }
}
