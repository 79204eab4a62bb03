package io.parsimony.experiment.design;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Asynchronous successive halving (ASHA, Li et al. 2020) over the rungs of a {@link RungSchedule}:
 * a candidate moves up as soon as it ranks in the top 1/η of the runs its rung has *finished so
 * far*, so workers never wait for a rung to complete. Rung k promotes at most
 * ⌊n_k · keep(S_k) / S_k⌋ candidates once n_k of its S_k entrants finished — at most
 * {@link SuccessiveHalving#keep} when all did, the synchronous rule's count — and a promotion is
 * never taken back. From the last rung, the one promotion is the winner (its rung complete).
 * Pure logic, tested on constructed scores; the order results arrive in is the only input.
 */
public final class AsyncHalving {

    private final SuccessiveHalving sh;
    private final List<Integer> sizes;
    private final List<Map<Integer, Double>> finished = new ArrayList<>();
    private final List<LinkedHashSet<Integer>> promoted = new ArrayList<>();

    public AsyncHalving(SuccessiveHalving sh, List<Integer> rungSizes) {
        if (rungSizes.isEmpty()) {
            throw new IllegalArgumentException("no rungs");
        }
        this.sh = sh;
        this.sizes = List.copyOf(rungSizes);
        for (int k = 0; k < sizes.size(); k++) {
            finished.add(new HashMap<>());
            promoted.add(new LinkedHashSet<>());
        }
    }

    public int rungs() {
        return sizes.size();
    }

    /**
     * Records that {@code candidate} finished rung {@code rung} (0-based) with validation
     * accuracy {@code accuracy} (null: the run failed, it ranks last) and returns the candidates
     * this result promotes out of that rung, best first (into rung + 1, or as the winner from the last).
     */
    public synchronized List<Integer> record(int rung, int candidate, Double accuracy) {
        finished.get(rung).put(candidate, accuracy == null ? Double.NEGATIVE_INFINITY : accuracy);
        Map<Integer, Double> done = finished.get(rung);
        int quota = (int) ((long) done.size() * sh.keep(sizes.get(rung)) / sizes.get(rung));
        List<Integer> ranked = done.entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<Integer, Double> e) -> e.getValue()).reversed()
                        .thenComparing(Map.Entry::getKey))
                .map(Map.Entry::getKey).limit(quota).toList();
        List<Integer> now = new ArrayList<>();
        for (int c : ranked) {
            if (promoted.get(rung).size() >= quota) {
                break;
            }
            if (promoted.get(rung).add(c)) {
                now.add(c);
            }
        }
        return now;
    }

    /** Who runs rung {@code rung}: every candidate of the field at rung 0, else those promoted into it, in promotion order. */
    public synchronized List<Integer> entrants(int rung, int field) {
        if (rung == 0) {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < field; i++) {
                all.add(i);
            }
            return all;
        }
        return List.copyOf(promoted.get(rung - 1));
    }

    /** The accuracy a candidate finished a rung with (null: not finished, or failed). */
    public synchronized Double accuracy(int rung, int candidate) {
        Double a = finished.get(rung).get(candidate);
        return a == null || a == Double.NEGATIVE_INFINITY ? null : a;
    }

    /** Candidates promoted out of rung {@code rung}, in promotion order. */
    public synchronized List<Integer> promotedFrom(int rung) {
        return List.copyOf(promoted.get(rung));
    }

    /** The winner, once the last rung has promoted it; null before. */
    public synchronized Integer winner() {
        var last = promoted.get(sizes.size() - 1);
        return last.isEmpty() ? null : last.iterator().next();
    }
}
