package io.parsimony.nn.train;

import java.util.List;

/** Hooks for progress display, early stop, checkpoints and metrics files; all methods are optional. */
public interface TrainingListener {

    TrainingListener SILENT = new TrainingListener() {
    };

    default void onEpochStart(int epoch, int epochs, int batches) {
    }

    /** After each step, with running figures of the epoch so far. */
    default void onStep(int batch, double runningLoss, double runningAccuracy, double imagesPerSecond) {
    }

    /** After the epoch's checkpoint is written; return false to stop (the run can be resumed). */
    default boolean onEpochEnd(EpochMetrics metrics) {
        return true;
    }

    /** Every listener in order, each told of every event; the run stops when any of them asks to. */
    static TrainingListener all(TrainingListener... listeners) {
        List<TrainingListener> ls = List.of(listeners);
        return new TrainingListener() {
            @Override
            public void onEpochStart(int epoch, int epochs, int batches) {
                ls.forEach(l -> l.onEpochStart(epoch, epochs, batches));
            }

            @Override
            public void onStep(int batch, double runningLoss, double runningAccuracy, double imagesPerSecond) {
                ls.forEach(l -> l.onStep(batch, runningLoss, runningAccuracy, imagesPerSecond));
            }

            @Override
            public boolean onEpochEnd(EpochMetrics metrics) {
                boolean go = true;
                for (TrainingListener l : ls) {
                    go &= l.onEpochEnd(metrics);
                }
                return go;
            }
        };
    }
}
