package io.parsimony.nn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * What the network's outputs mean: the cross-entropy loss, the predicted class (top-1) and the
 * rank of the true class (top-5), each defined once for training and evaluation alike.
 */
final class Logits {

    private Logits() {
    }

    /** Mean cross-entropy of a batch of logits against integer labels. */
    static NDArray crossEntropy(NDArray logits, NDArray labels) {
        NDArray logp = logits.logSoftmax(1);
        return logp.gather(labels.reshape(-1, 1), 1).neg().mean();
    }

    /** Labels as the int64 tensor {@link #crossEntropy} gathers with. */
    static NDArray labels(NDManager manager, int[] labels) {
        long[] l = new long[labels.length];
        for (int i = 0; i < labels.length; i++) {
            l[i] = labels[i];
        }
        return manager.create(l);
    }

    /** The predicted class of row {@code row} of host-side logits: the first maximum. */
    static int top1(float[] z, int row, int classes) {
        int base = row * classes, best = 0;
        for (int c = 1; c < classes; c++) {
            if (z[base + c] > z[base + best]) {
                best = c;
            }
        }
        return best;
    }

    /** How many classes rank before {@code truth} (ties go to the lower class, as {@link #top1} does). */
    static int rankOf(float[] z, int row, int classes, int truth) {
        int base = row * classes, rank = 0;
        float t = z[base + truth];
        for (int c = 0; c < classes; c++) {
            float v = z[base + c];
            if (v > t || (v == t && c < truth)) {
                rank++;
            }
        }
        return rank;
    }

    /** Top-1 hits of a batch. */
    static int correct(float[] z, int[] labels) {
        int classes = z.length / labels.length, hits = 0;
        for (int i = 0; i < labels.length; i++) {
            hits += top1(z, i, classes) == labels[i] ? 1 : 0;
        }
        return hits;
    }
}
