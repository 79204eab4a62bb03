package io.parsimony.search;

import io.parsimony.layout.NetworkShape;

/**
 * The exact enumeration: depth-first over n1..n_{N−1} in lexicographic order, the last width
 * solved for directly (the count is monotone in it) or the last two by the divisor scan, and a
 * prefix abandoned as soon as even the cheapest completion overshoots the budget.
 * {@link #forEach} streams the layouts; {@link #count} counts the leaves by range without visiting them.
 */
final class ExactEnumeration {

    private final SearchSpace s;

    ExactEnumeration(SearchSpace space) {
        this.s = space;
    }

    /** Streams every feasible layout in lexicographic order. */
    void forEach(LayoutSearch.Visitor visitor) {
        enumerate(0, s.shape.inputChannels(), 0, visitor);
    }

    private void enumerate(int i, int prev, long used, LayoutSearch.Visitor visitor) {
        int[] widths = s.widths;
        if (s.pairTail(i)) {
            s.pairSolutions(prev, used, (a, b, weights) -> {
                widths[s.depth - 2] = a;
                widths[s.depth - 1] = b;
                visitor.visit(widths, weights);
            });
            return;
        }
        int start = s.start(i, prev);
        if (i == s.depth - 1) {
            for (int[] piece : s.pieces(i, prev, start)) {
                int w = s.firstAtLeast(i, prev, piece[0], piece[1], s.budget.low() - used);
                for (; w <= piece[1]; w++) {
                    s.step(1);
                    long c = NetworkShape.saturatedAdd(used, s.shape.unitWeights(i, prev, w));
                    if (c > s.budget.target()) {
                        break;
                    }
                    widths[i] = w;
                    visitor.visit(widths, c);
                }
            }
            return;
        }
        for (int[] piece : s.pieces(i, prev, start)) {
            for (int w = piece[0]; w <= piece[1]; w++) {
                s.step(1);
                long c = NetworkShape.saturatedAdd(used, s.shape.unitWeights(i, prev, w));
                if (NetworkShape.saturatedAdd(c, s.minTail(i + 1, w)) > s.budget.target()) {
                    break;
                }
                widths[i] = w;
                enumerate(i + 1, w, c, visitor);
            }
        }
    }

    /** Number of feasible layouts; leaves are counted by range, not visited. */
    long count() {
        return count(0, s.shape.inputChannels(), 0);
    }

    private long count(int i, int prev, long used) {
        if (s.pairTail(i)) {
            long[] n = {0};
            s.pairSolutions(prev, used, (a, b, weights) -> n[0]++);
            return n[0];
        }
        int start = s.start(i, prev);
        long total = 0;
        if (i == s.depth - 1) {
            for (int[] piece : s.pieces(i, prev, start)) {
                s.step(1);
                int from = s.firstAtLeast(i, prev, piece[0], piece[1], s.budget.low() - used);
                int to = s.firstAtLeast(i, prev, from, piece[1], s.budget.target() - used + 1);
                total = Math.addExact(total, to - from);
            }
            return total;
        }
        for (int[] piece : s.pieces(i, prev, start)) {
            for (int w = piece[0]; w <= piece[1]; w++) {
                s.step(1);
                long c = NetworkShape.saturatedAdd(used, s.shape.unitWeights(i, prev, w));
                if (NetworkShape.saturatedAdd(c, s.minTail(i + 1, w)) > s.budget.target()) {
                    break;
                }
                total = Math.addExact(total, count(i + 1, w, c));
            }
        }
        return total;
    }
}
