package io.parsimony.nn.train;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;

/** A terminal progress bar per epoch (steps, ETA) with running loss, accuracy and images/s. */
public final class ProgressBarListener implements TrainingListener {

    private final String label;
    private final PrintStream out;
    private ProgressBar bar;

    public ProgressBarListener(String label, PrintStream out) {
        this.label = label;
        this.out = out;
    }

    @Override
    public void onEpochStart(int epoch, int epochs, int batches) {
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
        bar.stepTo(batch);
        bar.setExtraMessage(String.format(" loss %.3f acc %.1f%% %,.0f img/s", runningLoss, 100 * runningAccuracy, imagesPerSecond));
    }

    @Override
    public boolean onEpochEnd(EpochMetrics m) {
        bar.close();
        out.printf("%s epoch %d/%d: loss %.4f, train acc %.2f%%%s, lr %.4g, %.1f s, %,.0f img/s, data wait %.2f s%n",
                label, m.epoch(), m.epochs(), m.trainLoss(), 100 * m.trainAccuracy(),
                m.validationAccuracy() == null ? "" : String.format(", val acc %.2f%%", 100 * m.validationAccuracy()),
                m.lr(), m.seconds(), m.imagesPerSecond(), m.dataWaitSeconds());
        return true;
    }
}
