package io.parsimony.nn.train;

import io.parsimony.InputException;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.Normalization;
import io.parsimony.nn.model.ModelSpec;

import java.nio.file.Path;

/**
 * Where a run starts: from scratch, or from a checkpoint. A checkpoint fixes the model, the data
 * and the recipe (so a resumed run ends like an uninterrupted one); the caller may only extend
 * the run, with more epochs or a higher (or no) step limit.
 *
 * @param normalization the checkpoint's normalisation; null for a fresh run (computed from its training split)
 */
public record ResumePoint(TrainingRecipe recipe, int epoch, long step, Normalization normalization) {

    public static ResumePoint fresh(TrainingRecipe recipe) {
        return new ResumePoint(recipe, 0, 0, null);
    }

    /** Continues {@code saved} (read from {@code runDir}) with the requested extension, or refuses a different run. */
    public static ResumePoint of(Checkpoint.Header saved, ModelSpec spec, ImageSet trainSet, TrainingRecipe requested,
                                 Path runDir) {
        if (!saved.spec().equals(spec)) {
            throw new InputException("checkpoint in " + runDir + " is for " + saved.spec().describe() + ", not "
                    + spec.describe() + "; resume with the same model or use a new --run directory");
        }
        if (saved.data() != null && !saved.data().equals(trainSet.name())) {
            throw new InputException("checkpoint in " + runDir + " was trained on " + saved.data() + ", not "
                    + trainSet.name() + "; resume with the same --data or use a new --run directory");
        }
        TrainingRecipe r = saved.recipe();
        r = r.withEpochs(Math.max(requested.epochs(), r.epochs())).withMaxSteps(extended(r.maxSteps(), requested.maxSteps()));
        return new ResumePoint(r, saved.epochsDone(), saved.step(), saved.normalization());
    }

    /** The larger step limit, 0 (none) being the largest. */
    static long extended(long saved, long requested) {
        return saved == 0 || requested == 0 ? 0 : Math.max(saved, requested);
    }

    public boolean resumed() {
        return normalization != null;
    }
}
