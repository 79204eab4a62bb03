package io.parsimony.search;

import io.parsimony.layout.Layout;
import io.parsimony.layout.LayoutException;
import io.parsimony.layout.NetworkShape;
import io.parsimony.layout.PaperTables;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PaperSearchTest {

    private static List<Layout> top6(long units) {
        NetworkShape shape = NetworkShape.plain(3, 4, 3);
        LayoutSearch search = new LayoutSearch(shape, Budget.units(shape, units, 0), Order.STRICT);
        return search.top(6).stream().map(ScoredLayout::layout).toList();
    }

    /** Table 5 lists the six layouts; the paper's order within them is not by energy, so compare as sets and check ours is sorted. */
    @Test
    void table5IsTheStrictTop6For4288() {
        List<Layout> ours = top6(4288);
        assertEquals(new java.util.HashSet<>(PaperTables.parseList(PaperTables.T5_4288)), new java.util.HashSet<>(ours));
        assertSortedByEnergy(ours);
    }

    /** Eq. 2–3 of seed 001, written out here: the product of ln(n_i). */
    private static double energy(int[] widths) {
        double e = 1;
        for (int n : widths) {
            e *= Math.log(n);
        }
        return e;
    }

    private static void assertSortedByEnergy(List<Layout> layouts) {
        for (int i = 1; i < layouts.size(); i++) {
            double before = energy(layouts.get(i - 1).widths()), here = energy(layouts.get(i).widths());
            assertTrue(before >= here, "rank " + i + " " + layouts.get(i - 1) + " (" + before + ") before rank " + (i + 1)
                    + " " + layouts.get(i) + " (" + here + ")");
        }
    }

    /** The ranking is by energy, highest first, with the energy reported, and nothing left out beats the sixth. */
    @Test
    void top6IsSortedByEnergyAndBeatsEveryOtherFeasibleLayout() {
        NetworkShape shape = NetworkShape.plain(3, 4, 3);
        LayoutSearch search = new LayoutSearch(shape, Budget.units(shape, 4288, 0), Order.STRICT);
        List<ScoredLayout> top = search.top(6);
        assertEquals(6, top.size());
        for (ScoredLayout s : top) {
            assertEquals(energy(s.layout().widths()), s.energy(), 1e-9 * s.energy(), s.layout().toString());
        }
        assertSortedByEnergy(top.stream().map(ScoredLayout::layout).toList());
        java.util.Set<Layout> chosen = new java.util.HashSet<>(top.stream().map(ScoredLayout::layout).toList());
        double sixth = top.get(5).energy();
        double[] bestOutside = {Double.NEGATIVE_INFINITY};
        search.forEach((w, weights) -> {
            if (!chosen.contains(new Layout(w.clone()))) {
                bestOutside[0] = Math.max(bestOutside[0], energy(w));
            }
        });
        assertTrue(bestOutside[0] <= sixth, "a layout outside the top 6 has energy " + bestOutside[0] + " > " + sixth);
    }

    @Test
    void table5IsTheStrictTop6For66304() {
        List<Layout> ours = top6(66304);
        assertEquals(new java.util.HashSet<>(PaperTables.parseList(PaperTables.T5_66304)), new java.util.HashSet<>(ours));
        assertSortedByEnergy(ours);
    }

    @Test
    void paperSampledLayoutsAreAllFeasibleForTheSearch() {
        NetworkShape shape = NetworkShape.plain(3, 4, 3);
        LayoutSearch search = new LayoutSearch(shape, Budget.units(shape, 4288, 0), Order.STRICT);
        java.util.Set<Layout> all = new java.util.HashSet<>();
        search.forEach((w, weights) -> all.add(new Layout(w)));
        assertEquals(search.count(), all.size());
        assertTrue(all.containsAll(PaperTables.corrected(PaperTables.T1_FOUR)));
    }

    @Test
    void impossibleBudgetIsAOneLineError() {
        NetworkShape shape = NetworkShape.plain(3, 6, 3);
        LayoutSearch search = new LayoutSearch(shape, Budget.units(shape, 20, 0), Order.STRICT);
        LayoutException e = assertThrows(LayoutException.class, search::requireFeasibleBudget);
        assertTrue(e.getMessage().contains("too small"), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
    }
}
