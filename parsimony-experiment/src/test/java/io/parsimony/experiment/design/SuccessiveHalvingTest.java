package io.parsimony.experiment.design;

import io.parsimony.InputException;
import io.parsimony.experiment.design.SuccessiveHalving.Score;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SuccessiveHalvingTest {

    @Test
    void rungsShrinkByEtaUntilOneRemains() {
        assertEquals(List.of(27, 9, 3), new SuccessiveHalving(3).rungSizes(27));
        assertEquals(List.of(37, 13, 5, 2), new SuccessiveHalving(3).rungSizes(37));
        assertEquals(List.of(5, 3, 2), new SuccessiveHalving(2).rungSizes(5));
        assertEquals(List.of(), new SuccessiveHalving(3).rungSizes(1));
    }

    @Test
    void theBestThirdByValidationAccuracyIsPromotedFailuresLastTiesToTheFirstListed() {
        SuccessiveHalving sh = new SuccessiveHalving(3);
        List<Score> rung = List.of(new Score(0, 0.50), new Score(1, 0.71), new Score(2, null), new Score(3, 0.70),
                new Score(4, 0.71), new Score(5, 0.10), new Score(6, 0.69));
        assertEquals(List.of(1, 4, 3), sh.promote(rung));   // ⌈7/3⌉ = 3; 1 and 4 tie, 1 listed first
        // one of three kept: the only finished run, though listed between two failed ones
        assertEquals(List.of(9), sh.promote(List.of(new Score(8, null), new Score(9, 0.2), new Score(7, null))));
    }

    @Test
    void aPlantedBestCandidateWinsAWholeRaceWhateverTheOrder() {
        SuccessiveHalving sh = new SuccessiveHalving(3);
        Random rng = new Random(7);
        for (int trial = 0; trial < 50; trial++) {
            int n = 2 + rng.nextInt(40);
            int best = rng.nextInt(n);
            double[] quality = new double[n];
            for (int i = 0; i < n; i++) {
                quality[i] = i == best ? 0.9 : 0.8 * rng.nextDouble();
            }
            List<Integer> field = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                field.add(i);
            }
            Collections.shuffle(field, rng);
            for (int size : sh.rungSizes(n)) {
                assertEquals(size, field.size());
                List<Score> scores = field.stream().map(i -> new Score(i, quality[i])).toList();
                field = sh.promote(scores);
                assertTrue(field.contains(best));
                // exactly the top ⌈size/3⌉ qualities move on
                double cut = scores.stream().mapToDouble(Score::accuracy).sorted().toArray()[size - field.size()];
                for (Score s : scores) {
                    assertEquals(s.accuracy() >= cut, field.contains(s.candidate()));
                }
            }
            assertEquals(List.of(best), field);
        }
    }

    @Test
    void theScheduleGrowsWithTheTimeAndRefusesATimeTooShortForOneRung() {
        SuccessiveHalving sh = new SuccessiveHalving(3);
        List<Long> macs = List.of(1_000_000L, 2_000_000L, 500_000L, 1_000_000L, 4_000_000L);
        RungSchedule s10 = RungSchedule.fit(600, sh, 0.02, 1_000_000, 1.0, macs, List.of(1_000_000L, 1_000_000L, 900_000L), 3);
        RungSchedule s20 = RungSchedule.fit(1200, sh, 0.02, 1_000_000, 1.0, macs, List.of(1_000_000L, 1_000_000L, 900_000L), 3);
        assertEquals(List.of(5, 2), s10.rungSizes());
        assertEquals(s10.rungSteps().get(0) * 3, (long) s10.rungSteps().get(1));
        assertEquals(s10.rungSteps().get(1), (Long) s10.finalSteps());
        assertTrue(s20.rungSteps().get(0) > 2 * s10.rungSteps().get(0) - 2);
        assertTrue(s10.estimatedSeconds() <= 600 && s10.estimatedSeconds() > 500, "estimate " + s10.estimatedSeconds());
        InputException e = assertThrows(InputException.class, () -> RungSchedule.fit(20, sh, 0.02, 1_000_000, 1.0, macs,
                List.of(1L, 1L, 1L), 3));
        assertTrue(e.getMessage().startsWith("--time 20s is too short") && !e.getMessage().contains("\n"), e.getMessage());
    }

    /**
     * On a machine too slow for every candidate's first rung at the floor, the most expensive
     * candidates are left out — one at a time, most multiply-adds first — until the rest fit;
     * the design refuses only when the two cheapest cannot.
     */
    @Test
    void aTimeTooShortForTheFloorLeavesOutTheMostExpensiveCandidatesInsteadOfRefusing() {
        SuccessiveHalving sh = new SuccessiveHalving(3);
        // 30 cheap layouts and 4 shared-kernel ones 20-40x as expensive, as the DACNNs of a 4,288-unit design
        List<Long> macs = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            macs.add(2_000_000L + 50_000L * i);
        }
        macs.addAll(List.of(60_000_000L, 100_000_000L, 40_000_000L, 80_000_000L));
        double slowStep = 0.05;   // s per step of the 3.2M probe: a slow, busy 2-core machine
        RungSchedule.Fit fit = RungSchedule.fitWithFloor(1800, sh, slowStep, 3_200_000, 2.0, macs, List.of(), 3, 128);
        assertTrue(fit.schedule().rungSteps().get(0) >= 128, fit.toString());
        assertTrue(fit.schedule().estimatedSeconds() <= 1800, fit.toString());
        assertTrue(!fit.dropped().isEmpty() && fit.kept().size() + fit.dropped().size() == macs.size(), fit.toString());
        // what was left out costs more than anything kept, and went most expensive first
        long cheapestDropped = fit.dropped().stream().mapToLong(macs::get).min().orElseThrow();
        assertTrue(fit.kept().stream().allMatch(i -> macs.get(i) <= cheapestDropped), fit.toString());
        for (int k = 1; k < fit.dropped().size(); k++) {
            assertTrue(macs.get(fit.dropped().get(k - 1)) >= macs.get(fit.dropped().get(k)), fit.toString());
        }
        // and it left out no more than it had to: with one candidate back, the floor is not met
        List<Integer> oneMore = new java.util.ArrayList<>(fit.kept());
        oneMore.add(fit.dropped().get(fit.dropped().size() - 1));
        RungSchedule.Fit again = RungSchedule.fitWithFloor(1800, sh, slowStep, 3_200_000, 2.0,
                oneMore.stream().map(macs::get).toList(), List.of(), 3, 128);
        assertEquals(1, again.dropped().size(), "one candidate more does not fit: " + again);
        RungSchedule.Fit roomy = RungSchedule.fitWithFloor(36_000, sh, slowStep, 3_200_000, 2.0, macs, List.of(), 3, 128);
        assertEquals(List.of(), roomy.dropped(), "ten hours fit everyone");
        InputException e = assertThrows(InputException.class, () -> RungSchedule.fitWithFloor(5, sh, slowStep, 3_200_000, 2.0,
                macs, List.of(), 3, 128));
        assertTrue(e.getMessage().startsWith("--time 5s is too short: even the two cheapest candidates need"), e.getMessage());
    }
}
