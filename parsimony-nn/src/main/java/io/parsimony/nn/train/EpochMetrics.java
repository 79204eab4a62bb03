package io.parsimony.nn.train;

/**
 * One line of {@code metrics.jsonl}: what an epoch did. {@code dataWaitSeconds} is the time the
 * training loop spent blocked waiting for a batch (near zero when the loader keeps ahead).
 */
public record EpochMetrics(int epoch, int epochs, long step, double lr, double trainLoss, double trainAccuracy,
                           Double validationLoss, Double validationAccuracy, double seconds, double imagesPerSecond,
                           double dataWaitSeconds) {
}
