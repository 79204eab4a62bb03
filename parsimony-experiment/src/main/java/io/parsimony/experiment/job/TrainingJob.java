package io.parsimony.experiment.job;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.parsimony.nn.model.ModelSpec;
import io.parsimony.nn.train.TrainingRecipe;

/**
 * One training to do, as sent to a worker process (one JSON line): the model, the recipe, the
 * data set name or directory, and the run directory (checkpoints; an unfinished checkpoint
 * there is resumed). With {@code validationOnly} the test split is never read: the run reports
 * its last validation figures only (a design's rungs choose by them before the test is opened).
 */
public record TrainingJob(String runKey, String label, ModelSpec spec, TrainingRecipe recipe, String data, String runDir,
                          boolean validationOnly) {

    @JsonCreator
    public TrainingJob(@JsonProperty("runKey") String runKey, @JsonProperty("label") String label,
                       @JsonProperty("spec") ModelSpec spec, @JsonProperty("recipe") TrainingRecipe recipe,
                       @JsonProperty("data") String data, @JsonProperty("runDir") String runDir,
                       @JsonProperty("validationOnly") boolean validationOnly) {
        this.runKey = runKey;
        this.label = label;
        this.spec = spec;
        this.recipe = recipe;
        this.data = data;
        this.runDir = runDir;
        this.validationOnly = validationOnly;
    }

    /** A job that trains and then evaluates on the test split (a sweep's runs). */
    public TrainingJob(String runKey, String label, ModelSpec spec, TrainingRecipe recipe, String data, String runDir) {
        this(runKey, label, spec, recipe, data, runDir, false);
    }
}
