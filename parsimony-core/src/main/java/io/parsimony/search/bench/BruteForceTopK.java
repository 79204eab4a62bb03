package io.parsimony.search.bench;

import io.parsimony.energy.Energy;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The reference the paper describes: visit every strictly increasing N-tuple whose running
 * Eq. 1 count (in k² units, n0 input channels) stays within C, keep those that hit C exactly,
 * rank by energy. No bound, no solving for the last width: only the obvious "stop when the
 * count is already over budget" cut-off, so its cost is the size of the tuple space.
 */
final class BruteForceTopK {
    private final int depth;
    private final long budget;
    private final int k;
    private final int[] w;
    private final List<double[]> hits = new ArrayList<>();
    long visited;
    private final long deadline;
    boolean timedOut;

    BruteForceTopK(int depth, long budgetUnits, int k, long timeoutNanos) {
        this.deadline = System.nanoTime() + timeoutNanos;
        this.depth = depth;
        this.budget = budgetUnits;
        this.k = k;
        this.w = new int[depth];
    }

    /** Best k layouts as {energy, n1, ..., nN}, best first (incomplete if {@link #timedOut}). */
    List<double[]> run(int n0) {
        visit(0, n0, 0);
        hits.sort(Comparator.comparingDouble((double[] h) -> -h[0]));
        return hits.subList(0, Math.min(k, hits.size()));
    }

    private void visit(int i, int prev, long used) {
        for (int n = i == 0 ? 1 : prev + 1; ; n++) {
            long c = used + (long) prev * n;
            if (c > budget) {
                return;
            }
            w[i] = n;
            if (i == depth - 1) {
                if ((++visited & 0xFFFFF) == 0 && (System.nanoTime() > deadline || Thread.currentThread().isInterrupted())) {
                    timedOut = true;
                }
                if (c == budget) {
                    double[] h = new double[depth + 1];
                    h[0] = Energy.of(w);
                    for (int j = 0; j < depth; j++) {
                        h[j + 1] = w[j];
                    }
                    hits.add(h);
                }
            } else {
                visit(i + 1, n, c);
            }
            if (timedOut) {
                return;
            }
        }
    }
}
