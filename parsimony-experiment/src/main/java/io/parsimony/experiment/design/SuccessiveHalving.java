package io.parsimony.experiment.design;

import io.parsimony.InputException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Successive halving (Jamieson &amp; Talwalkar 2016) as pure logic: which rungs a field of
 * {@code n} candidates runs through, and who is promoted from a rung given its scores. Rung k
 * holds ⌈n / ηᵏ⌉ candidates; the best ⌈size / η⌉ by score move on, until one remains. No
 * training here, so the rule is tested on constructed scores.
 */
public record SuccessiveHalving(int eta) {

    public SuccessiveHalving {
        if (eta < 2) {
            throw new InputException("--eta must be at least 2 (keep the best 1/eta of each rung), got " + eta);
        }
    }

    /** A candidate's score in a rung: its index in the field and its validation accuracy (null: the run failed). */
    public record Score(int candidate, Double accuracy) {
    }

    /** The sizes of the rungs a field of {@code n} runs through: n, ⌈n/η⌉, ... down to the last rung with more than one. */
    public List<Integer> rungSizes(int n) {
        List<Integer> sizes = new ArrayList<>();
        for (int k = n; k > 1; k = ceilDiv(k, eta)) {
            sizes.add(k);
        }
        return sizes;
    }

    /** How many of a rung of {@code size} move on. */
    public int keep(int size) {
        return ceilDiv(size, eta);
    }

    /**
     * The candidates promoted from a rung, best first: the top {@link #keep} by accuracy; ties go
     * to the candidate listed first (smaller index), failed runs rank last.
     */
    public List<Integer> promote(List<Score> rung) {
        Comparator<Score> best = Comparator.comparing((Score s) -> s.accuracy() == null ? Double.NEGATIVE_INFINITY : s.accuracy())
                .reversed().thenComparingInt(Score::candidate);
        return rung.stream().sorted(best).limit(keep(rung.size())).map(Score::candidate).toList();
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
