package io.parsimony.search;

import io.parsimony.layout.Layout;
import io.parsimony.layout.LayoutException;
import io.parsimony.layout.NetworkShape;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Eq. 4 for networks too deep for exact search (seed 001, §3.3 calls it NP-hard): solve the
 * continuous relaxation ({@link RelaxationBound}), round its widths, repair the tail so the
 * count lands in the budget band, then hill-climb. Every candidate fixes the first N−2 widths
 * and takes the best exact completion of the last two, so each step stays feasible even under
 * an exact budget. The relaxation's optimum is also a proven upper bound, so the result comes
 * with its optimality gap.
 */
public final class DeepLayoutHeuristic {

    /**
     * The heuristic's answer: the best layouts found and a proven bound on the optimum's energy.
     * {@code stoppedAtLimit}: the search's step limit ended the local search early, so the
     * layouts are the best found until then (still feasible, the bound still holds).
     */
    public record Result(List<ScoredLayout> best, double upperBound, long evaluations, boolean stoppedAtLimit) {
        /** Relative gap (bound − best) / bound; 0 means proven optimal. */
        public double gap() {
            return best.isEmpty() || upperBound <= 0 ? Double.NaN
                    : Math.max(0, (upperBound - best.get(0).energy()) / upperBound);
        }
    }

    private final LayoutSearch search;
    private final NetworkShape shape;
    private final int depth;
    private int maxRadius = 8;
    private int maxRounds = 10_000;

    public DeepLayoutHeuristic(LayoutSearch search) {
        this.search = search;
        this.shape = search.shape();
        this.depth = shape.depth();
    }

    public DeepLayoutHeuristic maxRadius(int r) {
        this.maxRadius = r;
        return this;
    }

    public Result run(int k) {
        LayoutSearch.requireResultCount("top-k", k);
        search.requireFeasibleBudget();
        RelaxationBound relax = new RelaxationBound(shape, search.order());
        long target = search.budget().target();
        double upper = relax.bound(0, shape.inputChannels(), target);
        double[] cont = relax.lastContinuousOptimum();
        int free = Math.max(0, depth - 2);
        Map<Layout, ScoredLayout> seen = new HashMap<>();
        long[] evals = {0};

        int[] current = new int[depth];
        for (int j = 0; j < free; j++) {
            // no continuous optimum when not even widths of 2 fit: start from the smallest widths
            current[j] = cont.length == depth ? (int) Math.max(1, Math.min(Layout.MAX_WIDTH / 2, Math.round(cont[j]))) : 1;
        }
        enforceOrder(current, free);
        try {
            climb(current, free, k, seen, evals);
        } catch (StepLimitException limit) {
            if (seen.isEmpty()) {
                throw new StepLimitException(limit.limit());
            }
            return result(seen, k, upper, evals[0], true);
        }
        return result(seen, k, upper, evals[0], false);
    }

    private static Result result(Map<Layout, ScoredLayout> seen, int k, double upper, long evals, boolean stopped) {
        List<ScoredLayout> best = new ArrayList<>(seen.values());
        best.sort(ScoredLayout.BEST_FIRST);
        return new Result(List.copyOf(best.subList(0, Math.min(k, best.size()))), upper, evals, stopped);
    }

    private void climb(int[] current, int free, int k, Map<Layout, ScoredLayout> seen, long[] evals) {
        double currentE = evaluate(current, free, k, seen, evals);
        if (currentE < 0) {
            currentE = repair(current, free, k, seen, evals);
        }
        // hill-climb: move one free width by ±s, or shift s between two neighbours
        int rounds = 0;
        boolean improved = currentE >= 0;
        while (improved && rounds++ < maxRounds) {
            improved = false;
            int[] bestMove = null;
            double bestE = currentE;
            for (int s = 1; s <= maxRadius && bestMove == null; s++) {
                for (int j = 0; j < free; j++) {
                    for (int sign : new int[] {1, -1}) {
                        int[] cand = current.clone();
                        cand[j] += sign * s;
                        double e = evaluate(cand, free, k, seen, evals);
                        if (e > bestE) {
                            bestE = e;
                            bestMove = cand;
                        }
                        if (j + 1 < free) {
                            cand = current.clone();
                            cand[j] += sign * s;
                            cand[j + 1] -= sign * s;
                            e = evaluate(cand, free, k, seen, evals);
                            if (e > bestE) {
                                bestE = e;
                                bestMove = cand;
                            }
                        }
                    }
                }
            }
            if (bestMove != null) {
                current = bestMove;
                currentE = bestE;
                improved = true;
            }
        }
    }

    /** Energy of the best exact completion of the first {@code free} widths (−1 if none); records completions. */
    private double evaluate(int[] widths, int free, int k, Map<Layout, ScoredLayout> seen, long[] evals) {
        for (int j = 0; j < free; j++) {
            if (widths[j] < 1 || widths[j] > Layout.MAX_WIDTH) {
                return -1;
            }
        }
        if (!search.order().allows(java.util.Arrays.copyOf(widths, free))) {
            return -1;
        }
        evals[0]++;
        List<ScoredLayout> done = search.bestCompletions(widths, free, k);
        for (ScoredLayout s : done) {
            seen.putIfAbsent(s.layout(), s);
        }
        if (done.isEmpty()) {
            return -1;
        }
        int[] full = done.get(0).layout().widths();
        System.arraycopy(full, free, widths, free, depth - free);
        return done.get(0).energy();
    }

    /** Shrinks the free widths until some exact completion exists. */
    private double repair(int[] widths, int free, int k, Map<Layout, ScoredLayout> seen, long[] evals) {
        for (int attempt = 0; attempt < 2000; attempt++) {
            for (int radius = 1; radius <= maxRadius; radius++) {
                for (int j = 0; j < free; j++) {
                    for (int sign : new int[] {-1, 1}) {
                        int[] cand = widths.clone();
                        cand[j] += sign * radius;
                        double e = evaluate(cand, free, k, seen, evals);
                        if (e >= 0) {
                            System.arraycopy(cand, 0, widths, 0, depth);
                            return e;
                        }
                    }
                }
            }
            for (int j = 0; j < free; j++) {
                widths[j] = Math.max(1, (int) (widths[j] * 0.97));
            }
            enforceOrder(widths, free);
            double e = evaluate(widths, free, k, seen, evals);
            if (e >= 0) {
                return e;
            }
        }
        throw new LayoutException("no layout found near the relaxed optimum that meets the budget exactly; "
                + "widen the band with a tolerance");
    }

    private void enforceOrder(int[] w, int upto) {
        for (int j = 1; j < upto; j++) {
            w[j] = Math.max(w[j], search.order().minNext(w[j - 1]));
        }
    }
}
