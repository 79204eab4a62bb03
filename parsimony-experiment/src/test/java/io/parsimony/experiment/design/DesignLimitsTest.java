package io.parsimony.experiment.design;

import io.parsimony.InputException;
import io.parsimony.experiment.store.ResultStore.RunRow;
import io.parsimony.nn.train.TrainingRecipe;
import io.parsimony.search.Order;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The device budgets of a design: candidates above {@code --max-macs} or {@code --max-latency}
 * are left out before anything trains, with one line saying how many and why. The latency
 * here is a stand-in with known values (the measured one is tested with the command line).
 */
class DesignLimitsTest {

    private static Design.Settings settings(long maxMacs, double maxLatency) {
        TrainingRecipe base = TrainingRecipe.defaults(1);
        DesignSpace space = new DesignSpace(4288, 0, Order.STRICT, EnumSet.of(Family.PLAIN, Family.DACNN), 6, 2, 1, 10, 28);
        return new Design.Settings(space, "fashion-mnist", base, 600, 3, 3, 15, 0, 30, "cosine", maxMacs, maxLatency);
    }

    /** A latency with distinct values per network: one microsecond per thousand multiply-adds. */
    private static double fakeMillis(Candidate c) {
        return c.multiplyAdds() / 1e6;
    }

    @Test
    void aLatencyLimitLeavesOutExactlyTheCandidatesAboveItAndSaysSoInOneLine() {
        Design.Plan all = Design.plan(settings(0, 0), (spec, c, h, w) -> 0);
        List<Double> millis = all.candidates().stream().map(DesignLimitsTest::fakeMillis).sorted().toList();
        double limit = millis.get(millis.size() / 2);
        Design.Plan limited = Design.plan(settings(0, limit), (spec, ch, h, w) -> all.candidates().stream()
                .filter(c -> c.spec().equals(spec)).findFirst().map(DesignLimitsTest::fakeMillis)
                .orElse(spec.equals(all.defaultLayout().spec()) ? fakeMillis(all.defaultLayout()) : 0.0));
        List<String> expected = all.candidates().stream().filter(c -> fakeMillis(c) <= limit).map(Candidate::model).toList();
        assertEquals(expected, limited.candidates().stream().map(Candidate::model).toList());
        int dropped = all.candidates().size() - expected.size();
        assertTrue(dropped > 0 && !expected.isEmpty(), "the limit splits the field");
        assertEquals(1, limited.notes().size(), limited.notes().toString());
        String note = limited.notes().get(0);
        assertTrue(note.startsWith("--max-latency ") && note.contains("drops " + dropped + " of " + all.candidates().size())
                && !note.contains("\n"), note);
        for (Candidate c : limited.candidates()) {
            assertEquals(fakeMillis(c), limited.latencyMillis().get(c.model()), 0.0, "the plan keeps what was measured");
        }
    }

    @Test
    void aMultiplyAddLimitLeavesOutExactlyTheCandidatesAboveIt() {
        Design.Plan all = Design.plan(settings(0, 0));
        List<Long> macs = all.candidates().stream().map(Candidate::multiplyAdds).sorted().toList();
        long limit = macs.get(macs.size() / 3);
        Design.Plan limited = Design.plan(settings(limit, 0));
        assertEquals(all.candidates().stream().filter(c -> c.multiplyAdds() <= limit).map(Candidate::model).toList(),
                limited.candidates().stream().map(Candidate::model).toList());
        assertTrue(limited.candidates().stream().allMatch(c -> c.multiplyAdds() <= limit));
        assertTrue(limited.notes().get(0).startsWith(String.format("--max-macs %,d drops ", limit)), limited.notes().toString());
        assertTrue(limited.latencyMillis().isEmpty(), "no probe, no latency");
    }

    @Test
    void limitsThatLeaveNothingOrALatencyLimitWithoutAProbeAreRefusedInOneLine() {
        InputException none = assertThrows(InputException.class, () -> Design.plan(settings(1, 0)));
        assertTrue(none.getMessage().contains("leave none of the") && none.getMessage().contains("--max-macs")
                && !none.getMessage().contains("\n"), none.getMessage());
        InputException noProbe = assertThrows(InputException.class, () -> Design.plan(settings(0, 1.0)));
        assertTrue(noProbe.getMessage().contains("--max-latency needs latencies measured"), noProbe.getMessage());
        assertThrows(InputException.class, () -> settings(-1, 0));
        assertThrows(InputException.class, () -> settings(0, Double.NaN));
    }

    @Test
    void theFinalScheduleSpansTheFinalEpochs() {
        Design.Settings cosine = settings(0, 0);
        assertEquals("cosine:30", cosine.finalLrSchedule().toString());
        Design.Settings multistep = new Design.Settings(cosine.space(), cosine.data(), cosine.recipe(), 600, 3, 3, 15, 0, 30,
                "multistep", 0, 0);
        assertEquals("multistep:15,25:0.1", multistep.finalLrSchedule().toString(), "x0.1 at 1/2 and 5/6, as seed 001 trains");
        TrainingRecipe r = FinalStage.recipe(cosine, null, 60_000);
        assertEquals(30, r.epochs());
        assertEquals(0, r.maxSteps());
        assertEquals(cosine.finalLrSchedule(), r.schedule());
        assertFalse(cosine.key().equals(multistep.key()), "the schedule is part of the design's identity");
    }

    @Test
    void theFinalEstimateCostsEachFinalistAtTheStepItsLongestRungMeasured() {
        Design.Settings s = settings(0, 0);
        Design.Plan plan = Design.plan(s);
        Candidate winner = plan.candidates().stream().filter(c -> !c.model().equals(plan.defaultLayout().model())
                && !c.model().equals(plan.randomLayout().model())).findFirst().orElseThrow();
        double[] timing = {0.01, 2.0};
        int images = 60_000;
        long steps = 30 * Design.stepsPerEpoch(s.recipe(), images);
        Map<String, Double> measured = FinalStage.measuredSteps(List.of(
                row("rung1", winner.model(), "done", 100, 5.0),
                row("rung2", winner.model(), "done", 300, 6.0),      // the longest: 0.02 s per step
                row("rung3", winner.model(), "failed", 900, 90.0),   // failed: not a measurement
                row("final-winner", winner.model(), "done", 9000, 900.0)));
        assertEquals(Map.of(winner.model(), 0.02), measured);
        double byMacs = FinalStage.estimatedSeconds(s, plan, winner, null, timing, images, Map.of());
        double withMeasured = FinalStage.estimatedSeconds(s, plan, winner, null, timing, images, measured);
        double winnerByMacs = RungSchedule.step(timing[0], plan.defaultLayout().multiplyAdds(), winner.multiplyAdds());
        assertEquals(s.seeds() * (0.02 - winnerByMacs) * steps, withMeasured - byMacs, 1e-6,
                "only the winner's cost changes, to its measured step");
    }

    private static RunRow row(String roles, String model, String status, long steps, double seconds) {
        return new RunRow(1, roles + model, 0, roles, model, "{}", "", 0L, 0, 0, "fashion-mnist", "{}", 0, status, null, null,
                null, null, 1, steps, seconds, seconds + 1, false, null, null, null, "test", null, "", "");
    }
}
