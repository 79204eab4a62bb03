package io.parsimony.experiment.sweep;

import io.parsimony.layout.Layout;
import io.parsimony.nn.model.ModelSpec;
import io.parsimony.nn.model.PlainCnnSpec;
import io.parsimony.nn.train.EpochMetrics;
import io.parsimony.nn.train.TrainingListener;
import io.parsimony.nn.train.TrainingRecipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.parsimony.experiment.job.JobOutcome;
import io.parsimony.experiment.job.TrainingJob;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A run interrupted after an epoch is resumed from its checkpoint; a foreign checkpoint is set aside. */
class LocalTrainerTest {

    @Test
    void anInterruptedRunResumesAndAForeignCheckpointIsSetAside(@TempDir Path tmp) throws Exception {
        TrainingRecipe recipe = TrainingRecipe.defaults(2).withLimits(600, 200);
        ModelSpec spec = PlainCnnSpec.of(Layout.of(4, 8, 12), 1, 10, 28);
        Path dir = tmp.resolve("run");
        TrainingJob job = new TrainingJob("k", "test", spec, recipe, "fashion-mnist", dir.toString());
        LocalTrainer trainer = new LocalTrainer();

        TrainingListener stopAfterOne = new TrainingListener() {
            @Override
            public boolean onEpochEnd(EpochMetrics m) {
                return false;   // as if the process died right after the first checkpoint
            }
        };
        JobOutcome first = trainer.train(job, stopAfterOne);
        assertTrue(first.ok(), first.error());
        assertEquals(1, first.epochs());

        JobOutcome resumed = trainer.train(job, TrainingListener.SILENT);
        assertTrue(resumed.ok(), resumed.error());
        assertTrue(resumed.resumed());
        assertEquals(2, resumed.epochs(), "continued to the recipe's end");
        assertTrue(resumed.software().contains("PyTorch"), resumed.software());

        ModelSpec other = PlainCnnSpec.of(Layout.of(5, 8, 12), 1, 10, 28);
        JobOutcome fresh = trainer.train(new TrainingJob("k2", "test", other, recipe, "fashion-mnist", dir.toString()),
                TrainingListener.SILENT);
        assertTrue(fresh.ok(), fresh.error());
        assertFalse(fresh.resumed());
        try (var siblings = Files.list(tmp)) {
            assertEquals(1, siblings.filter(p -> p.getFileName().toString().startsWith("run.discarded-")).count());
        }
    }

    @Test
    void aBadDataSetIsAFailedOutcomeNotACrash(@TempDir Path tmp) {
        TrainingJob job = new TrainingJob("k", "test", PlainCnnSpec.of(Layout.of(4, 8, 12), 1, 10, 28),
                TrainingRecipe.defaults(1), tmp.resolve("no-such-data").toString(), tmp.resolve("run").toString());
        JobOutcome o = new LocalTrainer().train(job, TrainingListener.SILENT);
        assertFalse(o.ok());
        assertFalse(o.error().contains("\n"), o.error());
    }
}
