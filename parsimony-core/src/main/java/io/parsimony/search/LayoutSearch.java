package io.parsimony.search;

import io.parsimony.energy.Energy;
import io.parsimony.layout.Layout;
import io.parsimony.layout.LayoutException;
import io.parsimony.layout.NetworkShape;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.Set;

/**
 * Exact, streaming search over every layout whose counted weights lie in the budget band
 * (Eq. 4 of seed 001 and its enumeration). Depth-first over n1..n_{N−1} in lexicographic
 * order; the last width is solved for directly (the count is monotone in it), and a prefix is
 * abandoned as soon as even the cheapest completion overshoots the budget. Nothing is ever
 * materialised: {@link #forEach} streams, {@link #count} counts leaves without visiting them,
 * {@link #top} keeps a k-heap and prunes with {@link RelaxationBound}, and {@link #sample}
 * is reservoir sampling over the stream (exactly uniform, reproducible by seed).
 *
 * <p>Widths within one unit's count are monotone except where a counted projection shortcut
 * appears or vanishes (an unstrided residual unit whose width equals its input's), so each
 * unit's range is cut into monotone pieces at that point.
 */
public final class LayoutSearch {

    /** Receives each feasible layout; the array is reused, copy it to keep it. */
    @FunctionalInterface
    public interface Visitor {
        void visit(int[] widths, long weights);
    }

    private final NetworkShape shape;
    private final Budget budget;
    private final Order order;
    private final int depth;
    private final int[] widths;
    private final long pairK2;
    private long lastBoundCalls;
    private long stepLimit = Long.MAX_VALUE;
    private long steps;

    /**
     * The deepest shape a search accepts. Its costs grow with depth² (every candidate checks the
     * cheapest tail) and the relaxation's Newton steps with depth³; at this depth the heuristic
     * still answers within seconds.
     */
    public static final int MAX_DEPTH = 200;

    /**
     * The step limit for a person waiting at a prompt: 100 million steps, about 1 s of exact
     * search on the 2-core development machine (100 million loop steps a second, bound calls
     * weighted as {@link #BOUND_CALL_STEPS}), so that with the JVM's start, an exact attempt and
     * a heuristic fallback every answer or refusal comes well within 10 s, even on a busy
     * machine. The paper's budgets take far less: 4,288 units with N = 4 about 25 thousand
     * steps, 66,304 units about 2 million.
     */
    public static final long INTERACTIVE_STEPS = 100_000_000;

    /** The most layouts {@link #top}, {@link #lowest} and {@link #sample} return (their heaps and lists grow with it). */
    public static final int MAX_RESULTS = 100_000;

    /**
     * What a relaxation-bound evaluation costs in steps: one bound call takes about as long as
     * this many loop iterations of the enumeration (about 45 µs against 100 million iterations a second,
     * measured on the 2-core development machine at N = 6).
     */
    static final long BOUND_CALL_STEPS = 5_000;

    /**
     * The layouts of {@code shape} whose counted weights lie in {@code budget}, widths constrained
     * by {@code order}. Nothing is searched until a query ({@link #top}, {@link #count},
     * {@link #forEach}, {@link #sample}); each query enumerates afresh, exactly, without a step
     * limit unless {@link #limitSteps} sets one.
     *
     * @throws LayoutException if the shape has more than {@link #MAX_DEPTH} units
     */
    public LayoutSearch(NetworkShape shape, Budget budget, Order order) {
        if (shape.depth() > MAX_DEPTH) {
            throw new LayoutException(String.format(Locale.ROOT,
                    "a search supports at most %,d units, got %,d; use fewer layers (or block units with --repeats)",
                    MAX_DEPTH, shape.depth()));
        }
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
        boolean projections = shape.residual() && shape.shortcuts() != io.parsimony.layout.Shortcuts.NONE;
        if (u1.convLayers() != 1 || u2.convLayers() != 1 || u1.kernel() != u2.kernel() || projections) {
            return 0;
        }
        return (long) u1.kernel() * u1.kernel();
    }

    /**
     * Caps the work of every later call on this search at {@code limit} steps in total (a step
     * is one candidate width, pair or leaf looked at; a bound evaluation counts
     * {@value #BOUND_CALL_STEPS}); past it a call throws {@link StepLimitException}. Unlimited by
     * default, so library callers keep the exact answer however long it takes.
     */
    public LayoutSearch limitSteps(long limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("step limit must be positive, got " + limit);
        }
        this.stepLimit = limit;
        return this;
    }

    /** Steps taken so far by all calls on this search. */
    public long steps() {
        return steps;
    }

    public long stepLimit() {
        return stepLimit;
    }

    private void step(long n) {
        steps += n;
        if (steps > stepLimit) {
            throw new StepLimitException(stepLimit);
        }
    }

    /** Budget values (in k² units) a divisor scan must cover; wider bands fall back to the general loop. */
    private static final long MAX_PAIR_BAND = 64;

    private boolean pairTail(int i) {
        return pairK2 > 0 && i == depth - 2 && budget.tolerance() / pairK2 <= MAX_PAIR_BAND;
    }

    /**
     * Every (a, b) finishing a prefix that ends in width p with {@code used} weights: for each
     * budget value M·k² in the band, each divisor a of M with a ≥ minNext(p) and
     * b = M/a − p ≥ minNext(a). Emitted in lexicographic order of (a, b).
     */
    private void pairSolutions(int p, long used, PairSink sink) {
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
    private interface PairSink {
        void accept(int a, int b, long weights);
    }

    private static long ceilDiv(long x, long y) {
        return -Math.floorDiv(-x, y);
    }

    public NetworkShape shape() {
        return shape;
    }

    public Budget budget() {
        return budget;
    }

    public Order order() {
        return order;
    }

    /** The fewest weights any layout of this shape and order can have ({@link Long#MAX_VALUE} if past a long). */
    public long minimumWeights() {
        return minTail(0, shape.inputChannels());
    }

    /** Throws a one-line {@link LayoutException} when no layout can possibly fit the budget. */
    public void requireFeasibleBudget() {
        long min = minimumWeights();
        if (min > budget.target()) {
            int[] smallest = smallestLayout();
            String needs = min == Long.MAX_VALUE ? "more than " + String.format(Locale.ROOT, "%,d", Long.MAX_VALUE - 1)
                    : String.format(Locale.ROOT, "%,d", min);
            throw new LayoutException(String.format(Locale.ROOT, "budget of %,d weights is too small for %,d conv units with %s"
                    + " widths: the smallest layout %s already needs %s weights; raise the budget or use fewer layers",
                    budget.target(), depth, order.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                    Layout.of(smallest).brief(), needs));
        }
    }

    /**
     * The widest any unit can be in a feasible layout: unit i at its widest while every other
     * unit takes its smallest width. Widths are searched up to {@link Layout#MAX_WIDTH} only (a
     * wider unit is not a supported layout), so where this exceeds it callers should say so.
     */
    public long widestFeasibleWidth() {
        long widest = 0;
        int prev = shape.inputChannels();
        long used = 0;
        for (int i = 0; i < depth; i++) {
            int start = i == 0 ? 1 : order.minNext(prev);
            if (fitsWith(i, prev, used, start)) {
                widest = Math.max(widest, largestFitting(i, prev, used, start, (long) Layout.MAX_WIDTH + 1));
            }
            used = NetworkShape.saturatedAdd(used, shape.unitWeights(i, prev, start));
            prev = start;
        }
        return widest;
    }

    /** Whether width w for unit i (after width prev, with {@code used} weights before it) leaves room for the smallest tail. */
    private boolean fitsWith(int i, int prev, long used, long w) {
        long c = NetworkShape.saturatedAdd(used, shape.unitWeights(i, prev, w));
        long tail = i + 1 < depth ? minTail(i + 1, (int) Math.min(w, Layout.MAX_WIDTH)) : 0;
        return NetworkShape.saturatedAdd(c, tail) <= budget.target();
    }

    private int[] smallestLayout() {
        int[] w = new int[depth];
        int prev = 0;
        for (int i = 0; i < depth; i++) {
            w[i] = i == 0 ? 1 : order.minNext(prev);
            prev = w[i];
        }
        return w;
    }

    // ---------------------------------------------------------------- work estimate

    /**
     * The size of a full enumeration ({@link #forEach}, {@link #count}, {@link #sample}),
     * estimated before running it: the steps it would take and the feasible layouts it would
     * find. {@code probes} says how many random paths the estimate rests on; 0 means the shape
     * is too deep to estimate cheaply and both figures are NaN.
     */
    public record Estimate(double steps, double layouts, int probes) {
    }

    /** Random root-to-leaf paths of {@link #estimate}, at most. */
    static final int ESTIMATE_PROBES = 2_000;

    /** Steps the estimate itself may take (a few tens of milliseconds). */
    static final long ESTIMATE_STEPS = 20_000_000;

    /**
     * Knuth's estimator of a backtrack tree's size (Math. Comp. 29, 1975): walk from the root
     * to a leaf choosing a child uniformly at random; the product of the branching factors along
     * the way is an unbiased estimate of the nodes at each level. Children are counted exactly
     * by binary search (a unit's count grows with its width), leaves in a pair tail by the
     * expected number of divisors in its range. Seeded, so the same problem gives the same
     * figure. Its own steps count against {@link #limitSteps} like any other call's.
     */
    public Estimate estimate() {
        if (minimumWeights() > budget.target()) {
            return new Estimate(1, 0, 1);
        }
        SplittableRandom rng = new SplittableRandom(0x5EED);
        long before = steps;
        double sumSteps = 0, sumLayouts = 0;
        int probes = 0;
        while (probes < ESTIMATE_PROBES && steps - before < ESTIMATE_STEPS) {
            double weight = 1, pathSteps = 0, pathLayouts = 0;
            int prev = shape.inputChannels();
            long used = 0;
            for (int i = 0; i < depth; i++) {
                if (pairTail(i)) {
                    double[] pair = pairEstimate(prev, used);
                    pathSteps += weight * (pair[0] + pair[1]);
                    pathLayouts += weight * pair[1];
                    break;
                }
                int start = i == 0 ? 1 : order.minNext(prev);
                int[][] pieces = pieces(i, prev, start);
                if (i == depth - 1) {
                    long leaves = 0;
                    for (int[] piece : pieces) {
                        int from = firstAtLeast(i, prev, piece[0], piece[1], budget.low() - used);
                        leaves += firstAtLeast(i, prev, from, piece[1], budget.target() - used + 1) - from;
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
                used = NetworkShape.saturatedAdd(used, shape.unitWeights(i, prev, w));
                prev = w;
                weight *= total;
            }
            sumSteps += pathSteps;
            sumLayouts += pathLayouts;
            probes++;
        }
        return new Estimate(sumSteps / probes, sumLayouts / probes, probes);
    }

    /** How many widths of one monotone piece the enumeration descends into: those that leave room for the cheapest tail. */
    private long childrenIn(int i, int prev, long used, int[] piece) {
        if (piece[0] > piece[1] || !fitsWith(i, prev, used, piece[0])) {
            return 0;
        }
        return largestFitting(i, prev, used, piece[0], piece[1]) - piece[0] + 1;
    }

    /**
     * The largest width w in [lo, hi] with used + unit(w) + cheapest tail(w) within the target, given that
     * {@code lo} fits (the test is monotone in w, so a binary search finds the edge).
     */
    private long largestFitting(int i, int prev, long used, long lo, long hi) {
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

    /**
     * {iterations of a, expected leaves} of {@link #pairSolutions} after width p: a runs until
     * a·(p + minNext(a)) passes the band, and for each a the band's multiples of a give the
     * leaves, about (band + 1)/a of them.
     */
    private double[] pairEstimate(int p, long used) {
        long mLo = Math.max(0, ceilDiv(budget.low() - used, pairK2));
        long mHi = Math.floorDiv(budget.target() - used, pairK2);
        long aStart = Math.max(1, depth == 2 ? 1 : order.minNext(p));
        long lo = aStart - 1, hi = Math.min(Layout.MAX_WIDTH, mHi);
        while (lo < hi) {   // last a with a·(p + minNext(a)) ≤ mHi
            long mid = (lo + hi + 1) >>> 1;
            if (mid * (p + order.minNext((int) mid)) <= mHi) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        step(40);
        long aEnd = lo;
        if (aEnd < aStart) {
            return new double[] {1, 0};
        }
        double leaves = (mHi - mLo + 1) * (Math.log(aEnd + 0.5) - Math.log(aStart - 0.5));
        return new double[] {aEnd - aStart + 2, leaves};
    }

    // ---------------------------------------------------------------- enumeration

    /** Streams every feasible layout in lexicographic order. */
    public void forEach(Visitor visitor) {
        enumerate(0, shape.inputChannels(), 0, visitor);
    }

    private void enumerate(int i, int prev, long used, Visitor visitor) {
        if (pairTail(i)) {
            pairSolutions(prev, used, (a, b, weights) -> {
                widths[depth - 2] = a;
                widths[depth - 1] = b;
                visitor.visit(widths, weights);
            });
            return;
        }
        int start = i == 0 ? 1 : order.minNext(prev);
        if (i == depth - 1) {
            for (int[] piece : pieces(i, prev, start)) {
                int w = firstAtLeast(i, prev, piece[0], piece[1], budget.low() - used);
                for (; w <= piece[1]; w++) {
                    step(1);
                    long c = NetworkShape.saturatedAdd(used, shape.unitWeights(i, prev, w));
                    if (c > budget.target()) {
                        break;
                    }
                    widths[i] = w;
                    visitor.visit(widths, c);
                }
            }
            return;
        }
        for (int[] piece : pieces(i, prev, start)) {
            for (int w = piece[0]; w <= piece[1]; w++) {
                step(1);
                long c = NetworkShape.saturatedAdd(used, shape.unitWeights(i, prev, w));
                if (NetworkShape.saturatedAdd(c, minTail(i + 1, w)) > budget.target()) {
                    break;
                }
                widths[i] = w;
                enumerate(i + 1, w, c, visitor);
            }
        }
    }

    /** Relaxation-bound evaluations of the last {@link #top} call (a measure of pruning). */
    public long lastBoundCalls() {
        return lastBoundCalls;
    }

    /**
     * The k best completions of a fixed prefix (widths of units 0..len−1), by the same exact
     * search; used by {@link DeepLayoutHeuristic} to repair and polish a layout.
     */
    List<ScoredLayout> bestCompletions(int[] prefix, int len, int k) {
        TopK state = new TopK(k, new RelaxationBound(shape, order));
        int prev = shape.inputChannels();
        long used = 0;
        double pre = 1.0;
        for (int j = 0; j < len; j++) {
            if (j > 0 && prefix[j] < order.minNext(prev)) {
                return List.of();
            }
            used = NetworkShape.saturatedAdd(used, shape.unitWeights(j, prev, prefix[j]));
            pre *= Math.log(prefix[j]);
            prev = prefix[j];
            widths[j] = prefix[j];
        }
        if (NetworkShape.saturatedAdd(used, len < depth ? minTail(len, prev) : 0) > budget.target()) {
            return List.of();
        }
        if (len == depth) {
            if (budget.contains(used)) {
                state.offer(widths, used, pre);
            }
        } else {
            top(len, prev, used, pre, state);
        }
        List<ScoredLayout> out = new ArrayList<>(state.heap);
        out.sort(ScoredLayout.BEST_FIRST);
        return out;
    }

    /** Number of feasible layouts; leaves are counted by range, not visited. */
    public long count() {
        return count(0, shape.inputChannels(), 0);
    }

    private long count(int i, int prev, long used) {
        if (pairTail(i)) {
            long[] n = {0};
            pairSolutions(prev, used, (a, b, weights) -> n[0]++);
            return n[0];
        }
        int start = i == 0 ? 1 : order.minNext(prev);
        long total = 0;
        if (i == depth - 1) {
            for (int[] piece : pieces(i, prev, start)) {
                step(1);
                int from = firstAtLeast(i, prev, piece[0], piece[1], budget.low() - used);
                int to = firstAtLeast(i, prev, from, piece[1], budget.target() - used + 1);
                total = Math.addExact(total, to - from);
            }
            return total;
        }
        for (int[] piece : pieces(i, prev, start)) {
            for (int w = piece[0]; w <= piece[1]; w++) {
                step(1);
                long c = NetworkShape.saturatedAdd(used, shape.unitWeights(i, prev, w));
                if (NetworkShape.saturatedAdd(c, minTail(i + 1, w)) > budget.target()) {
                    break;
                }
                total = Math.addExact(total, count(i + 1, w, c));
            }
        }
        return total;
    }

    // ---------------------------------------------------------------- top-k

    /** The k feasible layouts of highest energy, best first (ties: lexicographically smaller first). */
    public List<ScoredLayout> top(int k) {
        requireResultCount("top-k", k);
        requireFeasibleBudget();
        if (depth <= 2) {
            return top(k, List.of());
        }
        List<Layout> seeds;
        try {
            seeds = new DeepLayoutHeuristic(this).run(k).best().stream().map(ScoredLayout::layout).toList();
        } catch (LayoutException noneNearby) {
            seeds = List.of();   // seeds only speed pruning; the exact search decides
        }
        return top(k, seeds);
    }

    /**
     * As {@link #top(int)}, with known feasible layouts (e.g. from {@link DeepLayoutHeuristic})
     * to start the heap with: they only speed up pruning, the result is the same.
     */
    public List<ScoredLayout> top(int k, List<Layout> seeds) {
        requireResultCount("top-k", k);
        TopK state = new TopK(k, new RelaxationBound(shape, order));
        for (Layout s : seeds) {
            long w = shape.totalWeights(s.widths());
            if (budget.contains(w) && order.allows(s.widths())) {
                state.offer(s.widths(), w, Energy.of(s));
            }
        }
        top(0, shape.inputChannels(), 0, 1.0, state);
        lastBoundCalls = state.boundCalls;
        List<ScoredLayout> out = new ArrayList<>(state.heap);
        out.sort(ScoredLayout.BEST_FIRST);
        return out;
    }

    private final class TopK {
        final int k;
        final RelaxationBound bound;
        final PriorityQueue<ScoredLayout> heap;
        final Set<Layout> inHeap = new HashSet<>();
        long boundCalls;

        TopK(int k, RelaxationBound bound) {
            this.k = k;
            this.bound = bound;
            this.heap = new PriorityQueue<>(ScoredLayout.BEST_FIRST.reversed());
        }

        /** Energy a candidate must beat to matter; −∞ until the heap is full. */
        double threshold() {
            return heap.size() < k ? Double.NEGATIVE_INFINITY : heap.peek().energy();
        }

        void offer(int[] w, long weights, double energy) {
            if (heap.size() >= k && energy < heap.peek().energy()) {
                return;
            }
            ScoredLayout s = new ScoredLayout(new Layout(w), weights, energy);
            if (inHeap.contains(s.layout())) {
                return;
            }
            if (heap.size() < k) {
                heap.add(s);
                inHeap.add(s.layout());
            } else if (ScoredLayout.BEST_FIRST.compare(s, heap.peek()) < 0) {
                inHeap.remove(heap.poll().layout());
                heap.add(s);
                inHeap.add(s.layout());
            }
        }
    }

    /** Slack on floating-point bounds so that a true tie is never pruned. */
    private static final double SLACK = 1 + 1e-9;

    private void top(int i, int prev, long used, double prefix, TopK st) {
        if (pairTail(i)) {
            pairSolutions(prev, used, (a, b, weights) -> {
                double e = prefix * Math.log(a) * Math.log(b);
                if (e * SLACK >= st.threshold()) {
                    widths[depth - 2] = a;
                    widths[depth - 1] = b;
                    st.offer(widths, weights, e);
                }
            });
            return;
        }
        int start = i == 0 ? 1 : order.minNext(prev);
        if (i == depth - 1) {
            for (int[] piece : pieces(i, prev, start)) {
                int w = firstAtLeast(i, prev, piece[0], piece[1], budget.low() - used);
                for (; w <= piece[1]; w++) {
                    step(1);
                    long c = NetworkShape.saturatedAdd(used, shape.unitWeights(i, prev, w));
                    if (c > budget.target()) {
                        break;
                    }
                    widths[i] = w;
                    st.offer(widths, c, prefix * Math.log(w));
                }
            }
            return;
        }
        // the relaxation pays off where ≥ 2 units are left, unless they are an exact divisor-scan pair
        boolean useRelaxation = depth - i >= 3 && !pairTail(i + 1);
        for (int[] piece : pieces(i, prev, start)) {
            for (int w = piece[0]; w <= piece[1]; w++) {
                step(1);
                long c = NetworkShape.saturatedAdd(used, shape.unitWeights(i, prev, w));
                if (NetworkShape.saturatedAdd(c, minTail(i + 1, w)) > budget.target()) {
                    break;
                }
                double pre = prefix * Math.log(w);
                double threshold = st.threshold();
                if (threshold > Double.NEGATIVE_INFINITY) {
                    if (pre * SLACK < threshold && pre <= 0) {
                        continue;
                    }
                    if (useRelaxation) {
                        st.boundCalls++;
                        step(BOUND_CALL_STEPS);
                        if (pre * st.bound.bound(i + 1, w, budget.target() - c) * SLACK < threshold) {
                            continue;
                        }
                    } else if (i + 1 == depth - 1
                            && pre * lastUnitLogBound(i + 1, w, budget.target() - c) * SLACK < threshold) {
                        continue;
                    }
                }
                widths[i] = w;
                top(i + 1, w, c, pre, st);
            }
        }
    }

    /** ln of the largest width the last unit can take after width p within R weights (exact). */
    private double lastUnitLogBound(int i, int p, long remaining) {
        // only called for i == depth − 1
        int start = order.minNext(p);
        int best = 0;
        for (int[] piece : pieces(i, p, start)) {
            int w = firstAtLeast(i, p, piece[0], piece[1], remaining + 1) - 1;
            if (w >= piece[0]) {
                best = Math.max(best, w);
            }
        }
        return best == 0 ? Double.NEGATIVE_INFINITY : Math.log(best);
    }

    /**
     * The k feasible layouts of lowest energy, lowest first (ties: lexicographically smaller
     * first): the contrast to {@link #top}. Streams every layout (no bound prunes toward low
     * energy), so it costs one full enumeration; a k-heap keeps memory constant.
     */
    public List<ScoredLayout> lowest(int k) {
        requireResultCount("lowest-k", k);
        requireFeasibleBudget();
        java.util.Comparator<ScoredLayout> lowFirst = java.util.Comparator.comparingDouble(ScoredLayout::energy)
                .thenComparing(ScoredLayout::layout);
        PriorityQueue<ScoredLayout> heap = new PriorityQueue<>(lowFirst.reversed());
        forEach((w, weights) -> {
            double e = Energy.of(w);
            if (heap.size() < k || e < heap.peek().energy()) {
                heap.add(new ScoredLayout(new Layout(w.clone()), weights, e));
                if (heap.size() > k) {
                    heap.poll();
                }
            }
        });
        List<ScoredLayout> out = new ArrayList<>(heap);
        out.sort(lowFirst);
        return out;
    }

    // ---------------------------------------------------------------- sampling

    /**
     * A uniform random sample of min(m, count) distinct feasible layouts (Algorithm R over the
     * lexicographic stream): every m-subset is equally likely, and the same seed gives the
     * same sample. Returned in stream order. This is the paper's 32-sample protocol.
     */
    public List<Layout> sample(int m, long seed) {
        requireResultCount("sample size", m);
        SplittableRandom rng = new SplittableRandom(seed);
        List<int[]> reservoir = new ArrayList<>();   // grows with the layouts found, not with m
        long[] seen = {0};
        forEach((w, weights) -> {
            long t = seen[0]++;
            if (t < m) {
                reservoir.add(w.clone());
            } else {
                long j = rng.nextLong(t + 1);
                if (j < m) {
                    reservoir.set((int) j, w.clone());
                }
            }
        });
        return reservoir.stream().map(Layout::new).sorted().toList();
    }

    /** Refuses a result count below 1 or above {@link #MAX_RESULTS} before any heap or list is sized by it. */
    public static void requireResultCount(String what, long k) {
        if (k < 1 || k > MAX_RESULTS) {
            throw new LayoutException(String.format(Locale.ROOT, "%s must be in [1, %,d], got %,d", what, MAX_RESULTS, k));
        }
    }

    // ---------------------------------------------------------------- helpers

    /**
     * The ranges [from, to] of widths for unit i after width prev, starting at {@code start},
     * on each of which the unit's count is increasing.
     */
    private int[][] pieces(int i, int prev, int start) {
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
    private int firstAtLeast(int i, int prev, int from, int to, long target) {
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
            int w = j == 0 ? 1 : order.minNext(prev);
            sum = NetworkShape.saturatedAdd(sum, shape.unitWeights(j, prev, w));
            prev = w;
        }
        return sum;
    }
}
