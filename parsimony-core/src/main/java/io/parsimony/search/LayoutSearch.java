package io.parsimony.search;

import io.parsimony.energy.Energy;
import io.parsimony.layout.Layout;
import io.parsimony.layout.LayoutException;
import io.parsimony.layout.NetworkShape;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;
import java.util.SplittableRandom;

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
 *
 * <p>This class is the facade; the strategies are one class each, over one shared
 * {@code SearchSpace} (widths being built, step counter, the tree's primitives):
 * {@code ExactEnumeration} ({@link #forEach}, {@link #count}), {@code TopKSearch} with its
 * {@code TopKCollector} ({@link #top}), and {@code WorkEstimate} ({@link #estimate}).
 */
public final class LayoutSearch {

    /** Receives each feasible layout; the array is reused, copy it to keep it. */
    @FunctionalInterface
    public interface Visitor {
        void visit(int[] widths, long weights);
    }

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

    private final NetworkShape shape;
    private final Budget budget;
    private final Order order;
    private final SearchSpace space;
    private final ExactEnumeration enumeration;
    private final TopKSearch topK;

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
        this.space = new SearchSpace(shape, budget, order);
        this.enumeration = new ExactEnumeration(space);
        this.topK = new TopKSearch(space);
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
        space.limitSteps(limit);
        return this;
    }

    /** Steps taken so far by all calls on this search. */
    public long steps() {
        return space.steps();
    }

    public long stepLimit() {
        return space.stepLimit();
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
        return space.minTail(0, shape.inputChannels());
    }

    /** Throws a one-line {@link LayoutException} when no layout can possibly fit the budget. */
    public void requireFeasibleBudget() {
        long min = minimumWeights();
        if (min > budget.target()) {
            int[] smallest = space.smallestLayout();
            String needs = min == Long.MAX_VALUE ? "more than " + String.format(Locale.ROOT, "%,d", Long.MAX_VALUE - 1)
                    : String.format(Locale.ROOT, "%,d", min);
            throw new LayoutException(String.format(Locale.ROOT, "budget of %,d weights is too small for %,d conv units with %s"
                    + " widths: the smallest layout %s already needs %s weights; raise the budget or use fewer layers",
                    budget.target(), shape.depth(), order.name().toLowerCase(Locale.ROOT).replace('_', '-'),
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
        for (int i = 0; i < shape.depth(); i++) {
            int start = space.start(i, prev);
            if (space.fitsWith(i, prev, used, start)) {
                widest = Math.max(widest, space.largestFitting(i, prev, used, start, (long) Layout.MAX_WIDTH + 1));
            }
            used = NetworkShape.saturatedAdd(used, shape.unitWeights(i, prev, start));
            prev = start;
        }
        return widest;
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

    /**
     * The size of a full enumeration estimated by {@code WorkEstimate} (Knuth's estimator of a
     * backtrack tree's size, seeded, so the same problem gives the same figure). Its own steps
     * count against {@link #limitSteps} like any other call's.
     */
    public Estimate estimate() {
        return new WorkEstimate(space).estimate(minimumWeights());
    }

    // ---------------------------------------------------------------- enumeration

    /** Streams every feasible layout in lexicographic order. */
    public void forEach(Visitor visitor) {
        enumeration.forEach(visitor);
    }

    /** Number of feasible layouts; leaves are counted by range, not visited. */
    public long count() {
        return enumeration.count();
    }

    // ---------------------------------------------------------------- top-k

    /** Relaxation-bound evaluations of the last {@link #top} call (a measure of pruning). */
    public long lastBoundCalls() {
        return topK.lastBoundCalls();
    }

    /**
     * The k best completions of a fixed prefix (widths of units 0..len−1), by the same exact
     * search; used by {@link DeepLayoutHeuristic} to repair and polish a layout.
     */
    List<ScoredLayout> bestCompletions(int[] prefix, int len, int k) {
        return topK.bestCompletions(prefix, len, k);
    }

    /** The k feasible layouts of highest energy, best first (ties: lexicographically smaller first). */
    public List<ScoredLayout> top(int k) {
        requireResultCount("top-k", k);
        requireFeasibleBudget();
        if (shape.depth() <= 2) {
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
        return topK.top(k, seeds);
    }

    /**
     * The k feasible layouts of lowest energy, lowest first (ties: lexicographically smaller
     * first): the contrast to {@link #top}. Streams every layout (no bound prunes toward low
     * energy), so it costs one full enumeration; a k-heap keeps memory constant.
     */
    public List<ScoredLayout> lowest(int k) {
        requireResultCount("lowest-k", k);
        requireFeasibleBudget();
        Comparator<ScoredLayout> lowFirst = Comparator.comparingDouble(ScoredLayout::energy)
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
}
