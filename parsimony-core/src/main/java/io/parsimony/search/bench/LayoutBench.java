package io.parsimony.search.bench;

import io.parsimony.InputException;
import io.parsimony.InterruptedWorkException;
import io.parsimony.layout.NetworkShape;
import io.parsimony.search.Budget;
import io.parsimony.search.LayoutSearch;
import io.parsimony.search.Order;
import io.parsimony.search.ScoredLayout;

import java.util.Arrays;
import java.util.List;

/**
 * Exact top-6 strict search times (median after warm-up) beside a brute-force enumeration of
 * all N-tuples ({@link BruteForceTopK}) measured in the same run, and a check that both find the
 * same best layout. Plain shapes with n0 = 3 input channels and 3×3 kernels.
 */
public final class LayoutBench {

    /** One budget (in k² units) and depth. */
    public record Case(long budgetUnits, int layers) {
    }

    /** The benchmark's cases: the paper's two budgets at N = 4, and a million units at N = 6. */
    public static final List<Case> CASES = List.of(new Case(4_288, 4), new Case(66_304, 4), new Case(1_000_000, 6));

    /**
     * One case timed: the best layout and its energy, the search's median and fastest time, and
     * the brute force's time and tuples ({@code bruteForce} "ran", or why it stopped with
     * {@code bruteForceMillis} null).
     */
    public record Row(long budgetUnits, int layers, String best, double energy, double medianMillis, double minMillis,
                      String bruteForce, Double bruteForceMillis, Long bruteForceTuples, Double speedup) {
    }

    private final int runs;
    private final long bruteForceTimeoutSeconds;

    /**
     * @param runs                     timed runs per case after warm-up (a fifth of them, at least 3, at N ≥ 6)
     * @param bruteForceTimeoutSeconds a brute force still running after this long stops and is reported as a lower bound
     */
    public LayoutBench(int runs, long bruteForceTimeoutSeconds) {
        if (runs < 1) {
            throw new InputException("--runs must be at least 1, got " + runs);
        }
        if (bruteForceTimeoutSeconds < 0 || bruteForceTimeoutSeconds > 86_400) {
            throw new InputException("--brute-force-timeout must be in [0, 86400] seconds, got " + bruteForceTimeoutSeconds);
        }
        this.runs = runs;
        this.bruteForceTimeoutSeconds = bruteForceTimeoutSeconds;
    }

    /** Times one case: the exact search first (warmed up), then the brute force. */
    public Row measure(Case c) {
        NetworkShape shape = NetworkShape.plain(3, c.layers(), 3);
        LayoutSearch search = new LayoutSearch(shape, Budget.units(shape, c.budgetUnits(), 0), Order.STRICT);
        List<ScoredLayout> top = search.top(6);
        // warm-up by time as well as count, so the JIT has compiled the search before timing
        long warmUntil = System.nanoTime() + 2_000_000_000L;
        for (int i = 0; i < 3 || System.nanoTime() < warmUntil && i < 50; i++) {
            stopIfInterrupted();
            search.top(6);
        }
        int n = c.layers() >= 6 ? Math.max(3, runs / 5) : runs;
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            stopIfInterrupted();
            long t = System.nanoTime();
            search.top(6);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        String best = top.get(0).layout().toString();
        BruteForceTopK brute = new BruteForceTopK(c.layers(), c.budgetUnits(), 6, bruteForceTimeoutSeconds * 1_000_000_000L);
        long t = System.nanoTime();
        List<double[]> ref = brute.run(3);
        stopIfInterrupted();
        double bruteMs = (System.nanoTime() - t) / 1e6;
        if (brute.timedOut) {
            return new Row(c.budgetUnits(), c.layers(), best, top.get(0).energy(), ms[n / 2], ms[0],
                    String.format("> %,.0f (stopped, %,d tuples seen)", bruteMs, brute.visited), null, brute.visited,
                    bruteMs / ms[n / 2]);
        }
        double[] refBest = ref.get(0);
        int[] refWidths = Arrays.stream(refBest, 1, refBest.length).mapToInt(v -> (int) v).toArray();
        if (Math.abs(refBest[0] - top.get(0).energy()) > 1e-9 * refBest[0]) {
            throw new IllegalStateException("search and brute force disagree: " + best + " vs " + Arrays.toString(refWidths));
        }
        return new Row(c.budgetUnits(), c.layers(), best, top.get(0).energy(), ms[n / 2], ms[0], "ran",
                bruteMs, brute.visited, bruteMs / ms[n / 2]);
    }

    /** A benchmark is long by design; an embedding program (or a test's time cap) may stop it between timings. */
    private static void stopIfInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new InterruptedWorkException("bench layout interrupted; no figures were printed for the unfinished case");
        }
    }
}
