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
}
