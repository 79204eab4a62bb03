package io.parsimony.experiment.sweep;

import io.parsimony.nn.train.EpochMetrics;
import io.parsimony.nn.train.TrainingListener;

import java.util.function.Consumer;

/**
 * Progress as plain lines (for worker processes and logs, where a redrawn bar is no use): one
 * line per finished epoch, and one every {@code everySeconds} within a long epoch.
 */
public final class EpochLines implements TrainingListener {

    private final String label;
    private final Consumer<String> sink;
    private final long everyNanos;
    private final int minEpochs;
    private int epoch, epochs, batches;
    private long lastNanos;

    public EpochLines(String label, Consumer<String> sink, double everySeconds) {
        this(label, sink, everySeconds, 0);
    }

    private EpochLines(String label, Consumer<String> sink, double everySeconds, int minEpochs) {
        this.label = label;
        this.sink = sink;
        this.everyNanos = (long) (everySeconds * 1e9);
        this.minEpochs = minEpochs;
    }

    /**
     * As these lines, but silent for runs of fewer than {@code epochs} epochs: a design's many
     * short rung runs already get one line each when they finish, its long ones need a pulse.
     */
    public EpochLines onlyForRunsOf(int epochs) {
        return new EpochLines(label, sink, everyNanos / 1e9, epochs);
    }

    @Override
    public void onEpochStart(int epoch, int epochs, int batches) {
        this.epoch = epoch;
        this.epochs = epochs;
        this.batches = batches;
        this.lastNanos = System.nanoTime();
    }

    @Override
    public void onStep(int batch, double runningLoss, double runningAccuracy, double imagesPerSecond) {
        long now = System.nanoTime();
        if (epochs >= minEpochs && now - lastNanos >= everyNanos && batch < batches) {
            lastNanos = now;
            sink.accept(String.format("%s epoch %d/%d %3.0f%% loss %.3f acc %.1f%% %,.0f img/s", label, epoch + 1, epochs,
                    100.0 * batch / Math.max(1, batches), runningLoss, 100 * runningAccuracy, imagesPerSecond));
        }
    }

    @Override
    public boolean onEpochEnd(EpochMetrics m) {
        if (m.epochs() < minEpochs) {
            return true;
        }
        sink.accept(String.format("%s epoch %d/%d: loss %.4f, train acc %.2f%%%s, %.1f s, %,.0f img/s", label, m.epoch(),
                m.epochs(), m.trainLoss(), 100 * m.trainAccuracy(),
                m.validationAccuracy() == null ? "" : String.format(", val acc %.2f%%", 100 * m.validationAccuracy()),
                m.seconds(), m.imagesPerSecond()));
        return true;
    }
}
