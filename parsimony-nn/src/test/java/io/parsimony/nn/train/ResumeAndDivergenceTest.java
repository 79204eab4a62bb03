package io.parsimony.nn.train;

import io.parsimony.layout.Layout;
import io.parsimony.nn.data.Augmentation;
import io.parsimony.nn.model.PlainCnnSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ResumeAndDivergenceTest {

    private static final PlainCnnSpec SPEC = PlainCnnSpec.of(Layout.of(8, 12, 16, 20), 1, 10, 28);

    private static TrainingRecipe recipe(String schedule, double lr) {
        return new TrainingRecipe(OptimizerKind.SGD, lr, 0.9, 5e-4, LrSchedule.parse(schedule), 50, 3, 7,
                new Augmentation(2, false), 0.1, 600, 300, "cpu", 0);
    }

    @Test
    void aRunStoppedAfterEpochOneAndResumedEndsLikeAnUninterruptedRun(@TempDir Path a, @TempDir Path b) throws Exception {
        TrainingRecipe r = recipe("step:1:0.5", 0.05);
        var straight = new TrainingRun(SPEC, r, a).run(FashionSlice.train(), FashionSlice.test(), false);

        var stopped = new TrainingRun(SPEC, r, b).listener(new TrainingListener() {
            @Override
            public boolean onEpochEnd(EpochMetrics m) {
                return m.epoch() < 1;   // stop after the first epoch, as a killed run would
            }
        }).run(FashionSlice.train(), FashionSlice.test(), false);
        assertFalse(stopped.completed());
        assertEquals(1, Checkpoint.readHeader(Checkpoint.path(b)).epochsDone());

        var resumed = new TrainingRun(SPEC, r, b).run(FashionSlice.train(), FashionSlice.test(), true);
        assertTrue(resumed.completed());
        assertEquals(straight.epochs(), resumed.epochs());
        assertEquals(straight.steps(), resumed.steps());
        assertEquals(3, resumed.history().size());
        for (int e = 0; e < 3; e++) {
            assertEquals(straight.history().get(e).lr(), resumed.history().get(e).lr(), "schedule position, epoch " + (e + 1));
            assertEquals(straight.history().get(e).trainLoss(), resumed.history().get(e).trainLoss(), 1e-6);
        }
        assertEquals(straight.test().top1(), resumed.test().top1());
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(straight.test().confusion()[i], resumed.test().confusion()[i]);
        }
        assertEquals(3, Files.readAllLines(b.resolve("metrics.jsonl")).size());
    }

    @Test
    void aDivergingLossStopsWithOneLineNamingTheLastGoodCheckpoint(@TempDir Path run) {
        // epoch 1 trains normally, then the schedule multiplies the rate by 1e9
        TrainingRecipe r = recipe("multistep:1:1e9", 0.05);
        var e = assertThrows(TrainingDivergedException.class,
                () -> new TrainingRun(SPEC, r, run).run(FashionSlice.train(), FashionSlice.test(), false));
        assertFalse(e.getMessage().contains("\n"));
        assertTrue(e.getMessage().contains("epoch 2"), e.getMessage());
        assertTrue(e.getMessage().contains(Checkpoint.path(run).toString() + " (epoch 1)"), e.getMessage());
        // the good checkpoint is intact and still loadable
        assertEquals(1, Checkpoint.readHeader(Checkpoint.path(run)).epochsDone());
    }

    @Test
    void aStepLimitStopsMidEpoch(@TempDir Path run) {
        TrainingRecipe base = recipe("constant", 0.05);
        TrainingRecipe r = new TrainingRecipe(base.optimizer(), base.lr(), base.momentum(), base.weightDecay(), base.schedule(),
                base.batchSize(), 3, base.seed(), base.augmentation(), base.validationFraction(), base.trainLimit(),
                base.testLimit(), base.device(), 7);
        var res = new TrainingRun(SPEC, r, run).run(FashionSlice.train(), FashionSlice.test(), false);
        assertEquals(7, res.steps());
        assertEquals(1, res.history().size());   // 540 training images / 50 = 11 steps per epoch
        assertTrue(res.completed());
    }

    @Test
    void adagradAlsoLearns(@TempDir Path run) {
        TrainingRecipe r = new TrainingRecipe(OptimizerKind.ADAGRAD, 0.05, 0, 0, LrSchedule.CONSTANT, 50, 2, 1,
                Augmentation.NONE, 0, 1000, 500, "cpu", 0);
        var res = new TrainingRun(SPEC, r, run).run(FashionSlice.train(), FashionSlice.test(), false);
        assertTrue(res.test().top1() > 0.5, "adagrad top-1 " + res.test().top1());
        assertTrue(res.history().get(1).trainLoss() < res.history().get(0).trainLoss());
    }
}
