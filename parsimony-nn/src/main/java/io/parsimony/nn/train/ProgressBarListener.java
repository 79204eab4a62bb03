package io.parsimony.nn.train;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;

/**
 * Training progress: on a terminal a progress bar per epoch (steps, ETA) with running loss,
 * accuracy and images/s, redrawn in place; written to a file or a pipe, only the one summary
 * line per epoch, so logs do not fill with carriage-return frames.
 */
public final class ProgressBarListener implements TrainingListener {

    /** How progress is shown. */
    public enum Mode {
        /** Bars when the program runs on a terminal ({@code System.console() != null}), lines otherwise. */
        AUTO,
        /** Bars always (e.g. a terminal the JVM cannot see, behind a wrapper script). */
        BARS,
        /** One line per epoch. */
        LINES;

        boolean bars() {
            return this == BARS || (this == AUTO && System.console() != null);
        }
    }

    private final String label;
    private final PrintStream out;
    private final boolean bars;
    private ProgressBar bar;

    /** Bars only on a terminal ({@link Mode#AUTO}). */
    public ProgressBarListener(String label, PrintStream out) {
        this(label, out, Mode.AUTO);
    }

    public ProgressBarListener(String label, PrintStream out, Mode mode) {
        this.label = label;
        this.out = out;
        this.bars = mode.bars();
    }

    @Override
    public void onEpochStart(int epoch, int epochs, int batches) {
        if (!bars) {
            return;
        }
        bar = new ProgressBarBuilder()
                .setTaskName(String.format("%s epoch %d/%d", label, epoch + 1, epochs))
                .setInitialMax(batches)
                .setStyle(ProgressBarStyle.ASCII)
                .setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(out, 160))
                .setUpdateIntervalMillis(250)
                .showSpeed()
                .setUnit(" steps", 1)
                .build();
    }

    @Override
    public void onStep(int batch, double runningLoss, double runningAccuracy, double imagesPerSecond) {
        if (bar == null) {
            return;
        }
        bar.stepTo(batch);
        bar.setExtraMessage(String.format(" loss %.3f acc %.1f%% %,.0f img/s", runningLoss, 100 * runningAccuracy, imagesPerSecond));
    }

    @Override
    public boolean onEpochEnd(EpochMetrics m) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
        out.printf("%s epoch %d/%d: loss %.4f, train acc %.2f%%%s, lr %.4g, %.1f s, %,.0f img/s, data wait %.2f s%n",
                label, m.epoch(), m.epochs(), m.trainLoss(), 100 * m.trainAccuracy(),
                m.validationAccuracy() == null ? "" : String.format(", val acc %.2f%%", 100 * m.validationAccuracy()),
                m.lr(), m.seconds(), m.imagesPerSecond(), m.dataWaitSeconds());
        return true;
    }
}
