package io.parsimony.balance;

import io.parsimony.layout.LayoutException;

/**
 * The balanced-distribution guideline of seed 000: keep a backbone's parameter count and
 * re-choose its stage widths so that every (non-fixed) stage holds the same share of the conv
 * parameters. The seed states the guideline, not an algorithm; this is the direct reading.
 *
 * <p>Given a per-stage share T, stage widths follow one after another (each stage's count
 * depends only on its input and its own width, and grows with the width), so the layout is
 * a function of T; T is then found by bisection so the total matches the original. Widths are
 * integers, so shares are equal up to one width step, and the total within {@link #TOLERANCE}.
 */
public final class BalancedDistribution {

    /** Largest allowed relative difference between balanced and original totals. */
    public static final double TOLERANCE = 0.005;

    private BalancedDistribution() {
    }

    public static Backbone balance(Backbone original) {
        long target = original.totalWeights();
        long fixed = 0;
        int free = 0;
        long[] sw = original.stageWeights();
        for (int s = 0; s < sw.length; s++) {
            if (original.stages().get(s).fixed()) {
                fixed += sw[s];
            } else {
                free++;
            }
        }
        if (free == 0) {
            throw new LayoutException("backbone " + original.name() + " has no stage to balance: mark at least one stage as free");
        }
        double lo = 1, hi = Math.max(2, target - fixed);
        Backbone best = null;
        double bestErr = Double.POSITIVE_INFINITY;
        for (int it = 0; it < 200 && hi - lo > 1e-6 * hi; it++) {
            double mid = Math.sqrt(lo * hi);
            Backbone b = widthsFor(original, mid);
            long total = b.saturatedTotalWeights();
            double err = Math.abs(total - target) / (double) target;
            if (err < bestErr) {
                bestErr = err;
                best = b;
            }
            if (total < target) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        if (best == null || bestErr > TOLERANCE) {
            throw new LayoutException(String.format(
                    "no balanced layout of %s matches its %,d weights within 0.5%% (closest is off by %.2f%%): widths are too coarse for this budget; use wider stages",
                    original.name(), target, 100 * bestErr));
        }
        return best;
    }

    /** The widths that give every free stage (as nearly as integers allow) {@code share} weights. */
    private static Backbone widthsFor(Backbone original, double share) {
        int[] widths = original.widths();
        int in = original.inputChannels();
        for (int s = 0; s < widths.length; s++) {
            Stage st = original.stages().get(s);
            if (!st.fixed()) {
                widths[s] = closestWidth(st, in, share);
            }
            in = st.kind().outChannels(widths[s]);
        }
        return original.withWidths(widths);
    }

    private static int closestWidth(Stage st, int in, double share) {
        int lo = 1, hi = 1;
        while (st.weights(in, hi) < share && hi < (1 << 24)) {
            lo = hi;
            hi *= 2;
        }
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (st.weights(in, mid) < share) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return Math.abs(st.weights(in, lo) - share) <= Math.abs(st.weights(in, hi) - share) ? lo : hi;
    }
}
