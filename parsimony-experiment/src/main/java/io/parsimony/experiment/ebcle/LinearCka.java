package io.parsimony.experiment.ebcle;

import ai.djl.ndarray.NDArray;

/**
 * Linear centred kernel alignment between two layers' activations on the same n inputs
 * (Kornblith et al. 2019), via n×n Gram matrices so that wide feature maps cost nothing extra:
 * CKA = HSIC(K, L) / √(HSIC(K, K)·HSIC(L, L)). 1 means the second layer is a linear
 * re-coding of the first (a near-identity transformation), 0 means unrelated.
 */
public final class LinearCka {
    private LinearCka() {
    }

    /** @param x activations n×… and @param y activations n×… (flattened per input) */
    public static double of(NDArray x, NDArray y) {
        long n = x.getShape().get(0);
        NDArray xf = x.reshape(n, -1), yf = y.reshape(n, -1);
        NDArray k = center(xf.matMul(xf.transpose())), l = center(yf.matMul(yf.transpose()));
        double kl = k.mul(l).sum().getFloat(), kk = k.mul(k).sum().getFloat(), ll = l.mul(l).sum().getFloat();
        return kk <= 0 || ll <= 0 ? 0 : kl / Math.sqrt(kk * ll);
    }

    /** H·G·H with H = I − 1/n: subtract row and column means, add back the grand mean. */
    private static NDArray center(NDArray g) {
        NDArray rowMean = g.mean(new int[] {1}, true), colMean = g.mean(new int[] {0}, true);
        return g.sub(rowMean).sub(colMean).add(g.mean());
    }
}
