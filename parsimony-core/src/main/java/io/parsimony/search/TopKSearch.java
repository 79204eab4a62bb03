package io.parsimony.search;

import io.parsimony.energy.Energy;
import io.parsimony.layout.Layout;
import io.parsimony.layout.NetworkShape;

import java.util.List;

/**
 * The exact top-k search: the enumeration's tree, with a prefix pruned as soon as its energy
 * times an upper bound on any completion's ({@link RelaxationBound} where three or more units
 * are left, the exact last width where one is) cannot beat the k-th best kept so far
 * ({@link TopKCollector}). Seeds (known feasible layouts) only fill the collector early.
 */
final class TopKSearch {

    /** Slack on floating-point bounds so that a true tie is never pruned. */
    private static final double SLACK = 1 + 1e-9;

    private final SearchSpace s;
    private long lastBoundCalls;

    TopKSearch(SearchSpace space) {
        this.s = space;
    }

    /** Relaxation-bound evaluations of the last {@link #top} call (a measure of pruning). */
    long lastBoundCalls() {
        return lastBoundCalls;
    }

    /** The k best layouts, best first, the heap started with {@code seeds} (those feasible). */
    List<ScoredLayout> top(int k, List<Layout> seeds) {
        Run run = new Run(k);
        for (Layout seed : seeds) {
            long w = s.shape.totalWeights(seed.widths());
            if (s.budget.contains(w) && s.order.allows(seed.widths())) {
                run.kept.offer(seed.widths(), w, Energy.of(seed));
            }
        }
        run.top(0, s.shape.inputChannels(), 0, 1.0);
        lastBoundCalls = run.boundCalls;
        return run.kept.bestFirst();
    }

    /** The k best completions of a fixed prefix (widths of units 0..len−1), by the same search. */
    List<ScoredLayout> bestCompletions(int[] prefix, int len, int k) {
        Run run = new Run(k);
        int prev = s.shape.inputChannels();
        long used = 0;
        double pre = 1.0;
        for (int j = 0; j < len; j++) {
            if (j > 0 && prefix[j] < s.order.minNext(prev)) {
                return List.of();
            }
            used = NetworkShape.saturatedAdd(used, s.shape.unitWeights(j, prev, prefix[j]));
            pre *= Math.log(prefix[j]);
            prev = prefix[j];
            s.widths[j] = prefix[j];
        }
        if (NetworkShape.saturatedAdd(used, len < s.depth ? s.minTail(len, prev) : 0) > s.budget.target()) {
            return List.of();
        }
        if (len == s.depth) {
            if (s.budget.contains(used)) {
                run.kept.offer(s.widths, used, pre);
            }
        } else {
            run.top(len, prev, used, pre);
        }
        return run.kept.bestFirst();
    }

    /** One call's collector, bound and count of bound evaluations. */
    private final class Run {
        final TopKCollector kept;
        final RelaxationBound bound = new RelaxationBound(s.shape, s.order);
        long boundCalls;

        Run(int k) {
            this.kept = new TopKCollector(k);
        }

        void top(int i, int prev, long used, double prefix) {
            int[] widths = s.widths;
            int depth = s.depth;
            if (s.pairTail(i)) {
                s.pairSolutions(prev, used, (a, b, weights) -> {
                    double e = prefix * Math.log(a) * Math.log(b);
                    if (e * SLACK >= kept.threshold()) {
                        widths[depth - 2] = a;
                        widths[depth - 1] = b;
                        kept.offer(widths, weights, e);
                    }
                });
                return;
            }
            int start = s.start(i, prev);
            if (i == depth - 1) {
                for (int[] piece : s.pieces(i, prev, start)) {
                    int w = s.firstAtLeast(i, prev, piece[0], piece[1], s.budget.low() - used);
                    for (; w <= piece[1]; w++) {
                        s.step(1);
                        long c = NetworkShape.saturatedAdd(used, s.shape.unitWeights(i, prev, w));
                        if (c > s.budget.target()) {
                            break;
                        }
                        widths[i] = w;
                        kept.offer(widths, c, prefix * Math.log(w));
                    }
                }
                return;
            }
            // the relaxation pays off where ≥ 2 units are left, unless they are an exact divisor-scan pair
            boolean useRelaxation = depth - i >= 3 && !s.pairTail(i + 1);
            for (int[] piece : s.pieces(i, prev, start)) {
                for (int w = piece[0]; w <= piece[1]; w++) {
                    s.step(1);
                    long c = NetworkShape.saturatedAdd(used, s.shape.unitWeights(i, prev, w));
                    if (NetworkShape.saturatedAdd(c, s.minTail(i + 1, w)) > s.budget.target()) {
                        break;
                    }
                    double pre = prefix * Math.log(w);
                    double threshold = kept.threshold();
                    if (threshold > Double.NEGATIVE_INFINITY) {
                        if (pre * SLACK < threshold && pre <= 0) {
                            continue;
                        }
                        if (useRelaxation) {
                            boundCalls++;
                            s.step(LayoutSearch.BOUND_CALL_STEPS);
                            if (pre * bound.bound(i + 1, w, s.budget.target() - c) * SLACK < threshold) {
                                continue;
                            }
                        } else if (i + 1 == depth - 1
                                && pre * lastUnitLogBound(i + 1, w, s.budget.target() - c) * SLACK < threshold) {
                            continue;
                        }
                    }
                    widths[i] = w;
                    top(i + 1, w, c, pre);
                }
            }
        }
    }

    /** ln of the largest width the last unit can take after width p within R weights (exact). */
    private double lastUnitLogBound(int i, int p, long remaining) {
        // only called for i == depth − 1
        int start = s.order.minNext(p);
        int best = 0;
        for (int[] piece : s.pieces(i, p, start)) {
            int w = s.firstAtLeast(i, p, piece[0], piece[1], remaining + 1) - 1;
            if (w >= piece[0]) {
                best = Math.max(best, w);
            }
        }
        return best == 0 ? Double.NEGATIVE_INFINITY : Math.log(best);
    }
}
