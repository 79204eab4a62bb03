package io.parsimony.search;

import io.parsimony.layout.Layout;
import io.parsimony.layout.LayoutException;
import io.parsimony.layout.NetworkShape;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Budgets, result sizes and search work at and past their stated limits. */
class SearchLimitsTest {

    /** A guard against hanging (the regressions these tests pin ran for minutes); not a speed target. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);

    private static final NetworkShape FOUR = NetworkShape.plain(3, 4, 3);

    @Test
    void aBudgetWhoseWeightsOverflowIsRefusedWithTheTrueProduct() {
        // 2,049,638,230,412,176,690 × 9 wraps to 38,594 in a long: it used to search 4,288 units
        LayoutException e = assertThrows(LayoutException.class, () -> Budget.units(FOUR, 2_049_638_230_412_176_690L, 1));
        assertTrue(e.getMessage().contains("18,446,744,073,709,590,210 weights"), e.getMessage());
        assertTrue(e.getMessage().contains("1,000,000,000,000,000,000"), e.getMessage());
        e = assertThrows(LayoutException.class, () -> Budget.units(FOUR, 2_000_000_000_000_000_000L, 0));
        assertFalse(e.getMessage().contains("positive"), e.getMessage());
    }

    @Test
    void theLargestBudgetIsAcceptedAndOneMoreUnitIsNot() {
        long units = Budget.MAX_WEIGHTS / 9;
        assertEquals(units * 9, Budget.units(FOUR, units, 0).target());
        assertThrows(LayoutException.class, () -> Budget.units(FOUR, units + 1, 0));
        assertThrows(LayoutException.class, () -> new Budget(Budget.MAX_WEIGHTS + 1, 0));
        assertThrows(LayoutException.class, () -> Budget.units(FOUR, 4288, Long.MAX_VALUE));
        assertThrows(LayoutException.class, () -> Budget.units(FOUR, 4288, -1));
    }

    @Test
    void resultCountsAboveTheLimitAreRefusedBeforeAllocating() {
        LayoutSearch s = new LayoutSearch(FOUR, Budget.units(FOUR, 4288, 0), Order.STRICT);
        assertThrows(LayoutException.class, () -> s.sample(2_000_000_000, 0));
        assertThrows(LayoutException.class, () -> s.top(LayoutSearch.MAX_RESULTS + 1));
        assertThrows(LayoutException.class, () -> s.lowest(0));
        // the largest sample returns every one of the 558 layouts
        assertEquals(558, s.sample(LayoutSearch.MAX_RESULTS, 0).size());
    }

    @Test
    void tooDeepASearchIsRefused() {
        NetworkShape deep = NetworkShape.plain(3, LayoutSearch.MAX_DEPTH + 1, 3);
        assertThrows(LayoutException.class, () -> new LayoutSearch(deep, Budget.exact(Budget.MAX_WEIGHTS), Order.STRICT));
    }

    /** The estimate against the real enumeration, counted by the same steps. */
    @Test
    void theWorkEstimateIsCloseToTheRealEnumeration() {
        for (long[] c : new long[][] {{4, 66_304, 0}, {5, 20_000, 0}, {4, 66_304, 100}, {3, 1_000_000, 0}}) {
            NetworkShape shape = NetworkShape.plain(3, (int) c[0], 3);
            Budget budget = Budget.units(shape, c[1], c[2]);
            LayoutSearch.Estimate e = new LayoutSearch(shape, budget, Order.STRICT).estimate();
            LayoutSearch real = new LayoutSearch(shape, budget, Order.STRICT);
            long[] layouts = {0};
            real.forEach((w, weights) -> layouts[0]++);
            String what = java.util.Arrays.toString(c) + " " + e + " real steps " + real.steps() + " layouts " + layouts[0];
            assertTrue(e.steps() > real.steps() / 2.0 && e.steps() < real.steps() * 2.0, what);
            assertTrue(e.layouts() > layouts[0] / 2.0 && e.layouts() < layouts[0] * 2.0, what);
        }
    }

    @Test
    void aSearchStopsAtItsStepLimit() {
        NetworkShape shape = FOUR;
        Budget huge = Budget.units(shape, 1_000_000_000_000L, 0);
        LayoutSearch s = new LayoutSearch(shape, huge, Order.STRICT).limitSteps(2_000_000);
        assertTrue(s.estimate().steps() > 1e15);
        StepLimitException e = assertTimeoutPreemptively(HANG_GUARD,
                () -> assertThrows(StepLimitException.class, s::count));
        assertTrue(e.getMessage().contains("2,000,000 steps"), e.getMessage());
        assertThrows(StepLimitException.class, () -> new LayoutSearch(shape, huge, Order.STRICT).limitSteps(2_000_000).top(6));
    }

    @Test
    void theHeuristicStoppedByTheLimitStillReturnsFeasibleLayouts() {
        // unlimited, this one takes about 5.1 million steps
        Budget budget = Budget.units(FOUR, 1_000_000_000_000L, 0);
        LayoutSearch s = new LayoutSearch(FOUR, budget, Order.STRICT).limitSteps(2_000_000);
        DeepLayoutHeuristic.Result r = assertTimeoutPreemptively(HANG_GUARD, () -> new DeepLayoutHeuristic(s).run(3));
        assertTrue(r.stoppedAtLimit());
        assertFalse(r.best().isEmpty());
        for (ScoredLayout l : r.best()) {
            assertEquals(budget.target(), FOUR.totalWeights(l.layout().widths()));
            assertTrue(Order.STRICT.allows(l.layout().widths()));
            assertTrue(l.energy() <= r.upperBound());
        }
    }

    @Test
    void widthsStopAtTheLargestSupported() {
        // one 3x3 unit after 3 channels: width = weights / 27
        NetworkShape one = NetworkShape.plain(3, 1, 3);
        LayoutSearch s = new LayoutSearch(one, Budget.exact(27L * 1000 + 5), Order.STRICT);
        assertEquals(1000, s.widestFeasibleWidth());
        // the only layout of 10^18 / 27 channels is past the limit: none within it, found at once
        LayoutSearch past = new LayoutSearch(one, new Budget(27L * (Layout.MAX_WIDTH + 1L), 0), Order.STRICT);
        assertTrue(past.widestFeasibleWidth() > Layout.MAX_WIDTH);
        assertEquals(List.of(), assertTimeoutPreemptively(HANG_GUARD, () -> past.top(1)));
        assertEquals(0, past.count());
        // the widest supported width itself is found
        LayoutSearch edge = new LayoutSearch(one, Budget.exact(27L * Layout.MAX_WIDTH), Order.STRICT);
        assertEquals(Layout.MAX_WIDTH, edge.top(1).get(0).layout().width(0));
    }

    @Test
    void theLargestBudgetDoesNotOverflowTheSearch() {
        // kernels of 10^6 keep widths small (10^18 weights = 10^6 units), so layouts near the limit exist
        NetworkShape three = NetworkShape.plain(3, 3, 1_000_000);
        Budget band = new Budget(Budget.MAX_WEIGHTS, Budget.MAX_WEIGHTS / 1000);
        LayoutSearch s = new LayoutSearch(three, band, Order.STRICT);
        // every layout it streams really lies in the band (no wrapped sums), and the count agrees
        long[] seen = {0};
        assertTimeoutPreemptively(HANG_GUARD, () -> s.forEach((w, weights) -> {
            assertEquals(three.totalWeights(w), weights);
            assertTrue(band.contains(weights), java.util.Arrays.toString(w));
            seen[0]++;
        }));
        assertEquals(seen[0], new LayoutSearch(three, band, Order.STRICT).count());
        assertTrue(seen[0] > 0);
    }
}
