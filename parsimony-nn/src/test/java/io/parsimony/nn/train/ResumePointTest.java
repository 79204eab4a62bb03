package io.parsimony.nn.train;

import io.parsimony.layout.Layout;
import io.parsimony.nn.data.Augmentation;
import io.parsimony.nn.model.PlainCnnSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResumePointTest {

    @Test
    void aResumedStepLimitCanOnlyGrowOrBeLifted() {
        assertEquals(0, ResumePoint.extended(0, 0));
        assertEquals(0, ResumePoint.extended(0, 50), "an unlimited run stays unlimited");
        assertEquals(0, ResumePoint.extended(7, 0), "0 lifts the limit");
        assertEquals(20, ResumePoint.extended(7, 20));
        assertEquals(7, ResumePoint.extended(7, 3), "a lower limit does not shorten the run");
    }

    @Test
    void resumingAFinishedStepLimitedRunTrainsNoEmptyEpochsAndAHigherLimitContinuesIt(@TempDir Path run) throws Exception {
        var spec = PlainCnnSpec.of(Layout.of(8, 12), 1, 10, 28);
        var r = new TrainingRecipe(OptimizerKind.SGD, 0.05, 0.9, 5e-4, LrSchedule.CONSTANT, 50, 3, 1, Augmentation.NONE,
                0, 500, 200, "cpu", 7);   // 10 steps per epoch: stops inside epoch 1
        var first = new TrainingRun(spec, r, run).run(FashionSlice.train(), FashionSlice.test(), false);
        assertEquals(7, first.steps());

        var again = new TrainingRun(spec, r, run).run(FashionSlice.train(), FashionSlice.test(), true);
        assertEquals(7, again.steps());
        assertEquals(1, again.history().size(), "no epoch of zero steps (its loss was NaN)");
        assertEquals(first.test().top1(), again.test().top1());
        assertEquals(1, Files.readAllLines(run.resolve("metrics.jsonl")).size());

        var longer = new TrainingRun(spec, r.withMaxSteps(15), run).run(FashionSlice.train(), FashionSlice.test(), true);
        assertEquals(15, longer.steps());
        assertEquals(2, longer.history().size());
        assertTrue(Double.isFinite(longer.history().get(1).trainLoss()));
    }
}
