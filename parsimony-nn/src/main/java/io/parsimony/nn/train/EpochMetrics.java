package io.parsimony.nn.train;

/**
 * One line of {@code metrics.jsonl}: what an epoch did. {@code dataWaitSeconds} is the time the
 * training loop spent blocked waiting for a batch (near zero when the loader keeps ahead);
 * {@code forwardSeconds}, {@code backwardSeconds} and {@code updateSeconds} split the steps'
 * time, and {@code validationSeconds} is the evaluation after the epoch (not in {@code seconds}),
 * so a sweep can say where its hours go.
 */
public record EpochMetrics(int epoch, int epochs, long step, double lr, double trainLoss, double trainAccuracy,
                           Double validationLoss, Double validationAccuracy, double seconds, double imagesPerSecond,
                           double dataWaitSeconds, double forwardSeconds, double backwardSeconds, double updateSeconds,
                           double validationSeconds) {
}
