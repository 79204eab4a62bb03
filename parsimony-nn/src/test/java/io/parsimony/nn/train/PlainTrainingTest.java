package io.parsimony.nn.train;

import io.parsimony.layout.Layout;
import io.parsimony.nn.model.PlainCnnSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PlainTrainingTest {

    @TempDir
    Path run;

    @Test
    void plainCnnLearnsFashionMnistFromTwoThousandImages() throws Exception {
        var spec = PlainCnnSpec.of(Layout.of(35, 36, 37, 43), 1, 10, 28);
        var recipe = TrainingRecipe.defaults(4).withLimits(2000, 1000);
        recipe = new TrainingRecipe(recipe.optimizer(), 0.05, 0.9, 5e-4, LrSchedule.parse("multistep:3:0.1"), 64, 4, 0,
                recipe.augmentation(), 0.0, 2000, 1000, "cpu", 0);
        long t = System.nanoTime();
        var result = new TrainingRun(spec, recipe, run).run(FashionSlice.train(), FashionSlice.test(), false);
        System.out.printf("plain (35,36,37,43), 2000 images x 4 epochs: test top-1 %.3f top-5 %.3f in %.1f s%n",
                result.test().top1(), result.test().top5(), (System.nanoTime() - t) / 1e9);

        assertEquals(1000, result.test().images());
        assertTrue(result.test().top1() >= 0.70, "top-1 " + result.test().top1());
        assertTrue(result.test().top5() >= result.test().top1());
        var h = result.history();
        assertEquals(4, h.size());
        assertTrue(h.get(3).trainLoss() < 0.7 * h.get(0).trainLoss(), "loss " + h.get(0).trainLoss() + " -> " + h.get(3).trainLoss());
        for (EpochMetrics m : h) {   // the phases are real readings that account for the epoch's time
            double phases = m.forwardSeconds() + m.backwardSeconds() + m.updateSeconds();
            assertTrue(m.forwardSeconds() > 0 && m.backwardSeconds() > 0 && m.updateSeconds() > 0, m.toString());
            assertTrue(phases <= m.seconds() && phases + m.dataWaitSeconds() >= 0.6 * m.seconds(), m.toString());
        }
        assertEquals(4, Files.readAllLines(run.resolve("metrics.jsonl")).size());
        assertTrue(Files.isRegularFile(run.resolve("result.json")));
        // provenance: the host the figure came from and what the numerics check said of it
        var saved = TrainingJson.MAPPER.readTree(run.resolve("result.json").toFile()).get("provenance");
        assertTrue(saved.get("host").get("cpu").asText().length() > 0, saved.toString());
        assertEquals(result.provenance().host().libtorch(), saved.get("host").get("libtorch").asText());
        assertTrue(saved.get("numerics").asText().matches("(passed|remedied|not checked).*"), saved.toString());
        assertEquals(4, Checkpoint.readHeader(run.resolve("checkpoint.bin")).epochsDone());
    }
}
