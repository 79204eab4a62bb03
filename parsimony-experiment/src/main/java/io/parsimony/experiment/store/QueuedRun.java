package io.parsimony.experiment.store;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.parsimony.experiment.store.ResultStore.RunRow;
import io.parsimony.experiment.job.Hashing;
import io.parsimony.experiment.job.JobOutcome;
import io.parsimony.experiment.job.Software;
import io.parsimony.experiment.job.TrainingJob;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One planned run as the work queue holds it (JSON in {@code tasks.job}): the training job and
 * the plan's fields its result row needs, so that any worker on any machine can train it and
 * record it without the sweep's or design's definition at hand.
 */
public record QueuedRun(TrainingJob job, int position, String roles, String model, String layout, double energy,
                        long convWeights) {

    @JsonCreator
    public QueuedRun(@JsonProperty("job") TrainingJob job, @JsonProperty("position") int position,
                     @JsonProperty("roles") String roles, @JsonProperty("model") String model,
                     @JsonProperty("layout") String layout, @JsonProperty("energy") double energy,
                     @JsonProperty("convWeights") long convWeights) {
        this.job = job;
        this.position = position;
        this.roles = roles;
        this.model = model;
        this.layout = layout;
        this.energy = energy;
        this.convWeights = convWeights;
    }

    public String runKey() {
        return job.runKey();
    }

    /** The same run, trained in another directory (a worker's own). */
    public QueuedRun in(String runDir) {
        TrainingJob j = new TrainingJob(job.runKey(), job.label(), job.spec(), job.recipe(), job.data(), runDir, job.validationOnly());
        return new QueuedRun(j, position, roles, model, layout, energy, convWeights);
    }

    /** The result row of this run from what its training produced. */
    public RunRow row(long sweepId, JobOutcome o, String worker, String startedAt) {
        return new RunRow(sweepId, job.runKey(), position, roles, model, Hashing.json(job.spec()), layout, o.parameters(),
                convWeights, energy, job.data(), Hashing.json(job.recipe()), job.recipe().seed(), o.ok() ? "done" : "failed",
                o.top1(), o.top5(), o.testLoss(), o.testImages(), o.epochs(), o.steps(), o.trainSeconds(), o.wallSeconds(),
                o.resumed(), o.error(), worker, o.host(), o.software() == null ? Software.describe() : o.software(), job.runDir(),
                startedAt, Instant.now().truncatedTo(ChronoUnit.MILLIS).toString(), o.valTop1(), o.valLoss());
    }
}
