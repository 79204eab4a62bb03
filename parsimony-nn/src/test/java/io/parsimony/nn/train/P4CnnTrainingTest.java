package io.parsimony.nn.train;

import io.parsimony.nn.data.Augmentation;
import io.parsimony.nn.data.Installation;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.RotatedMnist;
import io.parsimony.nn.data.Split;
import io.parsimony.nn.model.P4CnnSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A P4CNN learns rotated MNIST: a short run on a slice of it on the PyTorch engine (gradients reach
 * the learnable filters through the expanded banks), with a checkpoint that reloads. The net is a
 * narrower P4CNN than the preset (8 group channels, 4 layers, pools after 1 and 2: a ninth of the
 * preset's multiply-adds) so the test stays short on a shared CPU; the preset itself is checked for
 * equivariance and counts in {@code P4CnnSpecTest}.
 */
class P4CnnTrainingTest {

    @Test
    void theP4CnnLearnsASliceOfRotatedMnist(@TempDir Path tmp) {
        Optional<Path> mnist = Installation.shared().map(d -> d.resolve("datasets").resolve("mnist"));
        assumeTrue(mnist.isPresent() && Files.isDirectory(mnist.get()), "shared/datasets/mnist is not installed here");
        ImageSet train = RotatedMnist.load(Split.TRAIN, mnist.get(), RotatedMnist.DEFAULT_SEED, tmp.resolve("cache"));
        ImageSet test = RotatedMnist.load(Split.TEST, mnist.get(), RotatedMnist.DEFAULT_SEED, tmp.resolve("cache"));
        var spec = new P4CnnSpec(1, 10, new int[] {8, 8, 8, 8}, new int[] {1, 2});
        // 1,500 training digits (no validation pass, for time), 500 test digits; 3 epochs
        var recipe = new TrainingRecipe(OptimizerKind.SGD, 0.02, 0.9, 5e-4, LrSchedule.CONSTANT, 32, 3, 0,
                Augmentation.NONE, 0, 1500, 500, "cpu", 0);
        var result = new TrainingRun(spec, recipe, tmp.resolve("run")).run(train, test, false);
        double first = result.history().get(0).trainLoss(), last = result.history().get(2).trainLoss();
        assertTrue(last < 0.8 * first, "train loss " + first + " -> " + last);
        assertTrue(result.test().top1() > 0.35, "top-1 " + result.test().top1());   // chance 0.1
        assertEquals(spec, Checkpoint.readHeader(Checkpoint.path(tmp.resolve("run"))).spec(), "the spec survives the checkpoint");
        assertEquals(result.test().top1(), TrainingRun.evaluateCheckpoint(tmp.resolve("run"), test.slice(0, 500)).top1(), 1e-9,
                "the saved P4CNN evaluates as trained");
    }
}
