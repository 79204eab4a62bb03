package io.parsimony.search;

import io.parsimony.layout.Layout;
import io.parsimony.layout.NetworkShape;
import io.parsimony.layout.Shortcuts;

/**
 * What every strategy of a {@link LayoutSearch} walks: the shape, budget and order, the widths
 * of the layout being built (one array, reused), the step counter with its limit, and the
 * primitives of the tree: each unit's monotone width ranges ({@link #pieces}), the first width
 * reaching a count ({@link #firstAtLeast}), the cheapest tail ({@link #minTail}), and the
 * divisor scan that solves the last two widths of a plain pair at once ({@link #pairSolutions}).
 */
final class SearchSpace {

    final NetworkShape shape;
    final Budget budget;
    final Order order;
    final int depth;
    /** The layout being built; strategies hand it to visitors, which copy what they keep. */
    final int[] widths;
    private final long pairK2;
    private long stepLimit = Long.MAX_VALUE;
    private long steps;

    /** Budget values (in k² units) a divisor scan must cover; wider bands fall back to the general loop. */
    private static final long MAX_PAIR_BAND = 64;

    SearchSpace(NetworkShape shape, Budget budget, Order order) {
        this.shape = shape;
        this.budget = budget;
        this.order = order;
        this.depth = shape.depth();
        this.widths = new int[depth];
        this.pairK2 = plainPairTailKernel2();
    }

    /**
     * k² when the last two units are single convs of one kernel size k with nothing else
     * counted, else 0. Then a prefix ending in width p leaves R weights only if
     * k²·a·(p + b) = R for the last two widths (a, b), so a must divide R/k²: the pair is
     * solved by a divisor scan instead of a search over a and a solve for b.
     */
    private long plainPairTailKernel2() {
        if (depth < 2 || shape.countBiases()) {
            return 0;
        }
        var u1 = shape.unit(depth - 2);
        var u2 = shape.unit(depth - 1);
        boolean projections = shape.residual() && shape.shortcuts() != Shortcuts.NONE;
        if (u1.convLayers() != 1 || u2.convLayers() != 1 || u1.kernel() != u2.kernel() || projections) {
            return 0;
        }
        return (long) u1.kernel() * u1.kernel();
    }

    // ---------------------------------------------------------------- step limit

    void limitSteps(long limit) {
        this.stepLimit = limit;
    }

    long steps() {
        return steps;
    }

    long stepLimit() {
        return stepLimit;
    }

    /** Counts {@code n} steps; past the limit, throws {@link StepLimitException}. */
    void step(long n) {
        steps += n;
        if (steps > stepLimit) {
            throw new StepLimitException(stepLimit);
        }
    }

    // ---------------------------------------------------------------- the plain pair tail

    /** k² of a plain pair tail (see {@link #plainPairTailKernel2}), or 0. */
    long pairK2() {
        return pairK2;
    }

    /** Whether units i and i + 1 are the last two and solved together by a divisor scan. */
    boolean pairTail(int i) {
        return pairK2 > 0 && i == depth - 2 && budget.tolerance() / pairK2 <= MAX_PAIR_BAND;
    }

    /**
     * Every (a, b) finishing a prefix that ends in width p with {@code used} weights: for each
     * budget value M·k² in the band, each divisor a of M with a ≥ minNext(p) and
     * b = M/a − p ≥ minNext(a). Emitted in lexicographic order of (a, b).
     */
    void pairSolutions(int p, long used, PairSink sink) {
        long mLo = Math.max(0, ceilDiv(budget.low() - used, pairK2));
        long mHi = Math.floorDiv(budget.target() - used, pairK2);
        int start = order.minNext(p);
        if (depth == 2) {
            start = 1;
        }
        int aMax = (int) Math.min(Layout.MAX_WIDTH, mHi);
        for (long a = Math.max(1, start); a <= aMax; a++) {
            step(1);
            long minB = order.minNext((int) a);
            if (a * (p + minB) > mHi) {
                break;
            }
            long first = Math.max(mLo, a * (p + minB));
            // M = a·(p + b) for b ≥ minB, M in [first, mHi]: b runs over a contiguous range
            long bFrom = ceilDiv(first, a) - p;
            long bTo = Math.min(mHi / a - p, Layout.MAX_WIDTH);
            for (long bb = Math.max(bFrom, minB); bb <= bTo; bb++) {
                step(1);
                sink.accept((int) a, (int) bb, used + pairK2 * a * (p + bb));
            }
        }
    }

    @FunctionalInterface
    interface PairSink {
        void accept(int a, int b, long weights);
    }

    static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }

    // ---------------------------------------------------------------- widths of one unit

    /** The unit's first width after width prev: 1 for the first unit, else what the order allows. */
    int start(int i, int prev) {
        return i == 0 ? 1 : order.minNext(prev);
    }

    /**
     * The ranges [from, to] of widths for unit i after width prev, starting at {@code start},
     * on each of which the unit's count is increasing.
     */
    int[][] pieces(int i, int prev, int start) {
        // a unit costs at least n weights (k²·p·n with p, k ≥ 1), so no width exceeds the budget
        int max = (int) Math.min(Layout.MAX_WIDTH, budget.target());
        if (!shape.hasConditionalProjection(i) || prev < start) {
            return new int[][] {{start, max}};
        }
        if (prev == start) {
            return new int[][] {{prev, prev}, {prev + 1, max}};
        }
        return new int[][] {{start, prev - 1}, {prev, prev}, {prev + 1, max}};
    }

    /**
     * Smallest w in [from, to] whose unit count is ≥ target, or to + 1. The count is the
     * polynomial α·w² + β·w on the range (one projection status), so the root is computed in
     * closed form and then corrected with exact integer counts.
     */
    int firstAtLeast(int i, int prev, int from, int to, long target) {
        step(1);
        if (from > to) {
            return to + 1;
        }
        if (shape.unitWeights(i, prev, from) >= target) {
            return from;
        }
        if (shape.unitWeights(i, prev, to) < target) {
            return to + 1;
        }
        double[] poly = shape.unitPolynomial(i, prev, shape.projects(i, prev, from));
        double alpha = poly[0], beta = poly[1];
        double root = alpha == 0 ? target / beta
                : (-beta + Math.sqrt(beta * beta + 4 * alpha * (double) target)) / (2 * alpha);
        long w = Math.max(from + 1L, Math.min((long) to, (long) Math.ceil(root)));
        while (w > from + 1 && shape.unitWeights(i, prev, w - 1) >= target) {
            w--;
        }
        while (shape.unitWeights(i, prev, w) < target) {
            w++;
        }
        return (int) w;
    }

    /** Fewest weights units i.. can have after a unit of width p. */
    long minTail(int i, int p) {
        step(depth - i);
        long sum = 0;
        int prev = p;
        for (int j = i; j < depth && sum < Long.MAX_VALUE; j++) {
            int w = start(j, prev);
            sum = NetworkShape.saturatedAdd(sum, shape.unitWeights(j, prev, w));
            prev = w;
        }
        return sum;
    }

    /** Whether width w for unit i (after width prev, with {@code used} weights before it) leaves room for the smallest tail. */
    boolean fitsWith(int i, int prev, long used, long w) {
        long c = NetworkShape.saturatedAdd(used, shape.unitWeights(i, prev, w));
        long tail = i + 1 < depth ? minTail(i + 1, (int) Math.min(w, Layout.MAX_WIDTH)) : 0;
        return NetworkShape.saturatedAdd(c, tail) <= budget.target();
    }

    /**
     * The largest width w in [lo, hi] with used + unit(w) + cheapest tail(w) within the target, given that
     * {@code lo} fits (the test is monotone in w, so a binary search finds the edge).
     */
    long largestFitting(int i, int prev, long used, long lo, long hi) {
        while (lo < hi) {
            long mid = (lo + hi + 1) >>> 1;
            if (fitsWith(i, prev, used, mid)) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** The smallest layout the order allows: 1, then each unit at its first allowed width. */
    int[] smallestLayout() {
        int[] w = new int[depth];
        int prev = 0;
        for (int i = 0; i < depth; i++) {
            w[i] = i == 0 ? 1 : order.minNext(prev);
            prev = w[i];
        }
        return w;
    }
}
