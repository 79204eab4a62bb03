package io.parsimony.search;

import io.parsimony.layout.Layout;
import io.parsimony.layout.NetworkShape;

import java.util.SplittableRandom;

/**
 * The size of a full enumeration estimated before running it, by Knuth's estimator of a
 * backtrack tree's size (Math. Comp. 29, 1975): walk from the root to a leaf choosing a child
 * uniformly at random; the product of the branching factors along the way is an unbiased
 * estimate of the nodes at each level. Children are counted exactly by binary search (a unit's
 * count grows with its width), leaves in a pair tail by the expected number of divisors in its
 * range. Seeded, so the same problem gives the same figure.
 */
final class WorkEstimate {

    /** Random root-to-leaf paths of an estimate, at most. */
    static final int ESTIMATE_PROBES = 2_000;

    /** Steps the estimate itself may take (a few tens of milliseconds). */
    static final long ESTIMATE_STEPS = 20_000_000;

    private final SearchSpace s;

    WorkEstimate(SearchSpace space) {
        this.s = space;
    }

    LayoutSearch.Estimate estimate(long minimumWeights) {
        if (minimumWeights > s.budget.target()) {
            return new LayoutSearch.Estimate(1, 0, 1);
        }
        SplittableRandom rng = new SplittableRandom(0x5EED);
        long before = s.steps();
        double sumSteps = 0, sumLayouts = 0;
        int probes = 0;
        int depth = s.depth;
        while (probes < ESTIMATE_PROBES && s.steps() - before < ESTIMATE_STEPS) {
            double weight = 1, pathSteps = 0, pathLayouts = 0;
            int prev = s.shape.inputChannels();
            long used = 0;
            for (int i = 0; i < depth; i++) {
                if (s.pairTail(i)) {
                    double[] pair = pairEstimate(prev, used);
                    pathSteps += weight * (pair[0] + pair[1]);
                    pathLayouts += weight * pair[1];
                    break;
                }
                int start = s.start(i, prev);
                int[][] pieces = s.pieces(i, prev, start);
                if (i == depth - 1) {
                    long leaves = 0;
                    for (int[] piece : pieces) {
                        int from = s.firstAtLeast(i, prev, piece[0], piece[1], s.budget.low() - used);
                        leaves += s.firstAtLeast(i, prev, from, piece[1], s.budget.target() - used + 1) - from;
                    }
                    pathSteps += weight * (pieces.length + leaves);
                    pathLayouts += weight * leaves;
                    break;
                }
                long[] children = new long[pieces.length];
                long total = 0;
                for (int q = 0; q < pieces.length; q++) {
                    children[q] = childrenIn(i, prev, used, pieces[q]);
                    total += children[q];
                }
                // each child costs one iteration and a cheapest-tail check of the units after it
                pathSteps += weight * (total + pieces.length) * (depth - i);
                if (total == 0) {
                    break;
                }
                long r = rng.nextLong(total);
                int q = 0;
                while (r >= children[q]) {
                    r -= children[q];
                    q++;
                }
                int w = (int) (pieces[q][0] + r);
                used = NetworkShape.saturatedAdd(used, s.shape.unitWeights(i, prev, w));
                prev = w;
                weight *= total;
            }
            sumSteps += pathSteps;
            sumLayouts += pathLayouts;
            probes++;
        }
        return new LayoutSearch.Estimate(sumSteps / probes, sumLayouts / probes, probes);
    }

    /** How many widths of one monotone piece the enumeration descends into: those that leave room for the cheapest tail. */
    private long childrenIn(int i, int prev, long used, int[] piece) {
        if (piece[0] > piece[1] || !s.fitsWith(i, prev, used, piece[0])) {
            return 0;
        }
        return s.largestFitting(i, prev, used, piece[0], piece[1]) - piece[0] + 1;
    }

    /**
     * {iterations of a, expected leaves} of {@link SearchSpace#pairSolutions} after width p: a runs until
     * a·(p + minNext(a)) passes the band, and for each a the band's multiples of a give the
     * leaves, about (band + 1)/a of them.
     */
    private double[] pairEstimate(int p, long used) {
        long pairK2 = s.pairK2();
        long mLo = Math.max(0, SearchSpace.ceilDiv(s.budget.low() - used, pairK2));
        long mHi = Math.floorDiv(s.budget.target() - used, pairK2);
        long aStart = Math.max(1, s.depth == 2 ? 1 : s.order.minNext(p));
        long lo = aStart - 1, hi = Math.min(Layout.MAX_WIDTH, mHi);
        while (lo < hi) {   // last a with a·(p + minNext(a)) ≤ mHi
            long mid = (lo + hi + 1) >>> 1;
            if (mid * (p + s.order.minNext((int) mid)) <= mHi) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        s.step(40);
        long aEnd = lo;
        if (aEnd < aStart) {
            return new double[] {1, 0};
        }
        double leaves = (mHi - mLo + 1) * (Math.log(aEnd + 0.5) - Math.log(aStart - 0.5));
        return new double[] {aEnd - aStart + 2, leaves};
    }
}
