package io.parsimony.experiment.sweep;

import io.parsimony.nn.model.ModelSpec;
import io.parsimony.nn.train.TrainingRecipe;

/**
 * One training to do, as sent to a worker process (one JSON line): the model, the recipe, the
 * data set name or directory, and the run directory (checkpoints; an unfinished checkpoint
 * there is resumed).
 */
public record TrainingJob(String runKey, String label, ModelSpec spec, TrainingRecipe recipe, String data, String runDir) {
}
