package io.parsimony.nn.train;

/** Hooks for progress display and early stop; all methods are optional. */
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
}
