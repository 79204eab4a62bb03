package io.parsimony.experiment.design;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AsyncHalvingTest {

    private final SuccessiveHalving sh = new SuccessiveHalving(3);

    @Test
    void promotesAsSoonAsACandidateIsInTheTopThirdOfWhatFinished() {
        AsyncHalving a = new AsyncHalving(sh, sh.rungSizes(9));   // rungs of 9 and 3
        assertEquals(List.of(9, 3), sh.rungSizes(9));
        assertEquals(List.of(), a.record(0, 0, 0.50), "1 of 9 finished: quota 0");
        assertEquals(List.of(), a.record(0, 1, 0.60));
        assertEquals(List.of(2), a.record(0, 2, 0.70), "3 of 9 finished: the best of them moves up at once");
        assertEquals(List.of(), a.record(0, 3, 0.65));
        assertEquals(List.of(), a.record(0, 4, 0.10));
        assertEquals(List.of(3), a.record(0, 5, 0.20), "6 finished: quota 2; the best not yet promoted");
        assertEquals(List.of(), a.record(0, 6, 0.30));
        assertEquals(List.of(), a.record(0, 7, 0.40));
        assertEquals(List.of(8), a.record(0, 8, 0.99), "all finished: quota 3 = keep(9)");
        assertEquals(List.of(2, 3, 8), a.entrants(1, 9));
        assertNull(a.winner());
        assertEquals(List.of(), a.record(1, 8, 0.80));
        assertEquals(List.of(), a.record(1, 2, 0.85), "the last rung promotes only when complete");
        assertEquals(List.of(2), a.record(1, 3, 0.10));
        assertEquals(2, a.winner());
    }

    @Test
    void whenResultsArriveInRungOrderItChoosesWhatSynchronousHalvingChooses() {
        Random rng = new Random(5);
        for (int trial = 0; trial < 50; trial++) {
            int n = 2 + rng.nextInt(30);
            List<Integer> sizes = sh.rungSizes(n);
            double[][] acc = new double[sizes.size()][n];
            for (double[] row : acc) {
                for (int i = 0; i < n; i++) {
                    row[i] = rng.nextDouble();
                }
            }
            // synchronous
            List<Integer> field = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                field.add(i);
            }
            for (int k = 0; k < sizes.size(); k++) {
                List<SuccessiveHalving.Score> scores = new ArrayList<>();
                for (int c : field) {
                    scores.add(new SuccessiveHalving.Score(c, acc[k][c]));
                }
                field = sh.promote(scores);
            }
            // asynchronous, results of each rung in a random order but rung by rung
            AsyncHalving a = new AsyncHalving(sh, sizes);
            for (int k = 0; k < sizes.size(); k++) {
                List<Integer> in = new ArrayList<>(a.entrants(k, n));
                assertEquals((int) sizes.get(k), in.size(), "rung " + k + " holds the schedule's count");
                Collections.shuffle(in, rng);
                for (int c : in) {
                    a.record(k, c, acc[k][c]);
                }
            }
            assertTrue(a.winner() != null);
            // promotions are never taken back, so early luck may differ from the synchronous pick; the
            // winner is the best of the last rung's entrants in both
            List<Integer> last = a.entrants(sizes.size() - 1, n);
            int best = last.stream().max((x, y) -> Double.compare(acc[sizes.size() - 1][x], acc[sizes.size() - 1][y])).orElseThrow();
            assertEquals(best, (int) a.winner());
            if (sizes.size() == 1) {
                assertEquals(field.get(0), a.winner(), "one rung: no early promotion, the same winner");
            }
        }
    }

    @Test
    void aFailedRunRanksLast() {
        AsyncHalving a = new AsyncHalving(new SuccessiveHalving(2), List.of(2));
        assertEquals(List.of(), a.record(0, 0, null));
        assertEquals(List.of(1), a.record(0, 1, 0.01));
    }
}
