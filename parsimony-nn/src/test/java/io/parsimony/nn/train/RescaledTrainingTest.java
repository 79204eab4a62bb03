package io.parsimony.nn.train;

import io.parsimony.layout.Layout;
import io.parsimony.nn.data.Augmentation;
import io.parsimony.nn.model.PlainCnnSpec;
import io.parsimony.nn.model.RescaledSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RescaledTrainingTest {

    @Test
    void aRescaledNetworkTrainsAndResumesFromItsCheckpoint(@TempDir Path run) {
        var spec = new RescaledSpec(PlainCnnSpec.of(Layout.of(8, 12, 16, 20), 1, 10, 28), 2, 2);
        var recipe = new TrainingRecipe(OptimizerKind.SGD, 0.05, 0.9, 5e-4, LrSchedule.parse("multistep:2:0.1"), 64, 3, 0,
                Augmentation.NONE, 0, 3000, 1000, "cpu", 0);
        var result = new TrainingRun(spec, recipe, run).run(FashionSlice.train(), FashionSlice.test(), false);
        assertTrue(result.test().top1() > 0.6, "top-1 " + result.test().top1());   // chance 0.1
        assertTrue(result.history().get(2).trainLoss() < 0.7 * result.history().get(0).trainLoss());
        // the spec survives the checkpoint's JSON round trip
        assertEquals(spec, Checkpoint.readHeader(Checkpoint.path(run)).spec());
    }
}
