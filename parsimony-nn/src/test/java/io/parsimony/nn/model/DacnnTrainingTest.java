package io.parsimony.nn.model;

import io.parsimony.nn.data.Augmentation;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.train.LrSchedule;
import io.parsimony.nn.train.OptimizerKind;
import io.parsimony.nn.train.TrainingRecipe;
import io.parsimony.nn.train.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A shared-kernel net goes through the whole training loop: the paper's recipe, checkpoint, resume. */
class DacnnTrainingTest {

    private static ImageSet synthetic(int n, long seed, String name) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] px = new byte[n * 3 * 8 * 8];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = r.nextInt(3);
            for (int k = 0; k < 192; k++) {
                // class c brightens channel c, so there is something to learn
                int channel = k / 64;
                px[i * 192 + k] = (byte) (r.nextInt(128) + (channel == labels[i] ? 120 : 0));
            }
        }
        return new ImageSet(px, labels, 3, 8, 8, List.of("a", "b", "c"), name);
    }

    @Test
    void trainsWithAdagradCheckpointsAndResumes(@TempDir Path dir) {
        DacnnSpec spec = DacnnSpec.plain(3, 3, 4, 8, true, new int[] {2}, Regulators.perConv(2));
        // seed 002's recipe, shortened: Adagrad lr 0.1, x0.1 step, random flips
        TrainingRecipe recipe = new TrainingRecipe(OptimizerKind.ADAGRAD, 0.1, 0, 0, new LrSchedule(LrSchedule.Kind.STEP, 1,
                new int[0], 0.1), 16, 2, 1, new Augmentation(0, true), 0, 0, 0, "cpu", 0);
        ImageSet train = synthetic(48, 1, "synthetic/train"), test = synthetic(16, 2, "synthetic/test");
        TrainingRun.Result first = new TrainingRun(spec, recipe, dir).run(train, test, false);
        assertEquals(2, first.epochs());
        assertTrue(Double.isFinite(first.history().get(1).trainLoss()), first.history().toString());
        // the result counts the global kernel once
        long unique;
        try (var m = ai.djl.ndarray.NDManager.newBaseManager()) {
            unique = DacnnCountTest.summary(spec, m, 8).parameters();
        }
        assertEquals(unique, first.parameters());
        TrainingRun.Result resumed = new TrainingRun(spec, recipe.withEpochs(3), dir).run(train, test, true);
        assertEquals(3, resumed.epochs());
        assertTrue(resumed.completed());
        assertEquals(first.history().get(1).trainLoss(), resumed.history().get(1).trainLoss(), 0.0);
    }
}
