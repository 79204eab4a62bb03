package io.parsimony.search;

import io.parsimony.energy.Energy;
import io.parsimony.layout.Layout;
import io.parsimony.layout.NetworkShape;
import io.parsimony.layout.Shortcuts;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The search against an independent brute force on small random problems. */
class SearchPropertiesTest {

    record Problem(NetworkShape shape, Budget budget, Order order) {
        @Override
        public String toString() {
            return shape + " " + budget + " " + order;
        }
    }

    @Provide
    Arbitrary<Problem> problems() {
        Arbitrary<NetworkShape> plain = Combinators.combine(
                Arbitraries.integers().between(1, 3), Arbitraries.integers().between(1, 4),
                Arbitraries.of(1, 2), Arbitraries.of(false, true))
                .as((n0, depth, k, bias) -> NetworkShape.plain(n0, depth, k).withBiases(bias));
        Arbitrary<NetworkShape> residual = Combinators.combine(
                Arbitraries.integers().between(1, 3), Arbitraries.of(new int[] {1, 2}, new int[] {1, 2, 2}, new int[] {2, 2, 4}),
                Arbitraries.of(Shortcuts.NONE, Shortcuts.PROJECTION), Arbitraries.of(false, true))
                .as((n0, reps, sc, bias) -> NetworkShape.residual(n0, reps, 1).withShortcuts(sc).withBiases(bias));
        return Combinators.combine(Arbitraries.oneOf(plain, residual),
                        Arbitraries.longs().between(8, 420), Arbitraries.longs().between(0, 30),
                        Arbitraries.of(Order.values()))
                .as((shape, target, tol, order) -> new Problem(shape, new Budget(target, Math.min(tol, target - 1)), order));
    }

    /** All layouts in the band, by plain recursion over widths and the per-layer breakdown count. */
    static List<Layout> bruteForce(Problem p) {
        List<Layout> out = new ArrayList<>();
        recurse(p, new int[p.shape().depth()], 0, out);
        return out;
    }

    private static void recurse(Problem p, int[] w, int i, List<Layout> out) {
        if (i == w.length) {
            long total = p.shape().count(new Layout(w)).total();
            if (p.budget().contains(total) && p.order().allows(w)) {
                out.add(new Layout(w));
            }
            return;
        }
        for (int n = 1; ; n++) {
            w[i] = n;
            // the prefix's count without shortcut weights grows with n (with them it can dip
            // where a projection vanishes at n = previous width), so stop once that is over
            int[] prefix = java.util.Arrays.copyOf(w, i + 1);
            long partial = 0;
            for (var row : truncated(p.shape(), i + 1).withShortcuts(Shortcuts.NONE).count(new Layout(prefix)).layers()) {
                partial += row.total();
            }
            if (partial > p.budget().target()) {
                break;
            }
            recurse(p, w, i + 1, out);
        }
    }

    private static NetworkShape truncated(NetworkShape s, int units) {
        return new NetworkShape(s.inputChannels(), s.units().subList(0, units), s.residual(), s.shortcuts(), s.countBiases());
    }

    @Property(tries = 300)
    void enumerationEqualsBruteForce(@ForAll("problems") Problem p) {
        LayoutSearch search = new LayoutSearch(p.shape(), p.budget(), p.order());
        Set<Layout> expected = new HashSet<>(bruteForce(p));
        Set<Layout> streamed = new HashSet<>();
        List<Layout> inOrder = new ArrayList<>();
        search.forEach((w, weights) -> {
            Layout l = new Layout(w);
            assertEquals(p.shape().count(l).total(), weights, "reported weights of " + l);
            assertTrue(p.budget().contains(weights), l + " outside the band");
            assertTrue(p.order().allows(w), l + " breaks the order");
            streamed.add(l);
            inOrder.add(l);
        });
        assertEquals(expected, streamed);
        assertEquals(streamed.size(), inOrder.size(), "no layout streamed twice");
        assertEquals(expected.size(), search.count());
        List<Layout> sorted = new ArrayList<>(inOrder);
        sorted.sort(Comparator.naturalOrder());
        assertEquals(sorted, inOrder, "stream is lexicographic");
    }

    @Property(tries = 300)
    void topKEqualsBruteForce(@ForAll("problems") Problem p) {
        List<Layout> all = bruteForce(p);
        if (all.isEmpty()) {
            return;
        }
        List<ScoredLayout> expected = new ArrayList<>(all.stream()
                .map(l -> new ScoredLayout(l, p.shape().count(l).total(), Energy.of(l))).toList());
        expected.sort(ScoredLayout.BEST_FIRST);
        int k = Math.min(5, expected.size());
        List<ScoredLayout> top = new LayoutSearch(p.shape(), p.budget(), p.order()).top(5);
        assertEquals(k, top.size());
        for (int i = 0; i < k; i++) {
            assertEquals(expected.get(i).energy(), top.get(i).energy(), 1e-9, "rank " + i);
        }
    }

    @Property(tries = 200)
    void lowestKEqualsBruteForce(@ForAll("problems") Problem p) {
        List<Layout> all = bruteForce(p);
        if (all.isEmpty()) {
            return;
        }
        List<Double> energies = all.stream().map(Energy::of).sorted().toList();
        List<ScoredLayout> low = new LayoutSearch(p.shape(), p.budget(), p.order()).lowest(3);
        assertEquals(Math.min(3, energies.size()), low.size());
        for (int i = 0; i < low.size(); i++) {
            assertEquals(energies.get(i), low.get(i).energy(), 1e-9, "rank " + i);
            assertTrue(p.budget().contains(p.shape().totalWeights(low.get(i).layout().widths())));
        }
    }

    @Property(tries = 100)
    void samplesAreFeasibleDistinctAndReproducible(@ForAll("problems") Problem p) {
        LayoutSearch search = new LayoutSearch(p.shape(), p.budget(), p.order());
        long count = search.count();
        if (count == 0) {
            return;
        }
        List<Layout> s1 = search.sample(7, 42);
        assertEquals(Math.min(7, count), s1.size());
        assertEquals(s1, search.sample(7, 42), "same seed, same sample");
        assertEquals(s1.size(), new HashSet<>(s1).size(), "distinct");
        for (Layout l : s1) {
            assertTrue(p.budget().contains(p.shape().count(l).total()));
            assertTrue(p.order().allows(l.widths()));
        }
    }

    /**
     * Chi-square goodness of fit: single draws over 20,000 seeds must hit each of the
     * feasible layouts equally often. The threshold is the 0.999 quantile for the degrees of
     * freedom, and the seeds are fixed, so the test is deterministic.
     */
    @Test
    void sampleIsUniform() {
        NetworkShape shape = NetworkShape.plain(3, 3, 1);
        LayoutSearch search = new LayoutSearch(shape, new Budget(120, 0), Order.STRICT);
        int cells = (int) search.count();
        assertTrue(cells >= 5 && cells <= 40, "a small case: " + cells + " layouts");
        Map<Layout, Integer> hits = new HashMap<>();
        int draws = 20_000;
        for (int seed = 0; seed < draws; seed++) {
            hits.merge(search.sample(1, seed).get(0), 1, Integer::sum);
        }
        assertEquals(cells, hits.size(), "every layout drawn at least once");
        double expected = (double) draws / cells;
        double chi2 = hits.values().stream().mapToDouble(h -> (h - expected) * (h - expected) / expected).sum();
        double critical = chiSquare999(cells - 1);
        assertTrue(chi2 < critical, "chi² = " + chi2 + " ≥ " + critical + " with " + (cells - 1) + " d.f.");
        // and a 3-of-n sample covers each layout about 3/n of the time
        Map<Layout, Integer> triple = new HashMap<>();
        for (int seed = 0; seed < 6000; seed++) {
            search.sample(3, seed).forEach(l -> triple.merge(l, 1, Integer::sum));
        }
        double e3 = 6000.0 * 3 / cells;
        triple.values().forEach(h -> assertTrue(Math.abs(h - e3) < 6 * Math.sqrt(e3), "3-sample frequency " + h + " vs " + e3));
    }

    /** Wilson–Hilferty approximation of the 0.999 chi-square quantile. */
    private static double chiSquare999(int df) {
        double z = 3.0902;
        double a = 2.0 / (9 * df);
        return df * Math.pow(1 - a + z * Math.sqrt(a), 3);
    }
}
