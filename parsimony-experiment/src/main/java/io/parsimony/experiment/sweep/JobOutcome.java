package io.parsimony.experiment.sweep;

import io.parsimony.nn.train.TrainingRun;

/**
 * What a training produced, as a worker reports it: test figures and sizes when it finished,
 * or the one-line reason it failed (a diverged loss, a model that does not fit the data).
 */
public record JobOutcome(String runKey, boolean ok, String error, Long parameters, Long convWeights, Integer epochs,
                         Long steps, Double trainSeconds, Double top1, Double top5, Double testLoss, Integer testImages,
                         double wallSeconds, boolean resumed, String software, String host) {

    static JobOutcome of(String runKey, TrainingRun.Result r, double wallSeconds, boolean resumed, String software, String host) {
        return new JobOutcome(runKey, true, null, r.parameters(), r.convWeights(), r.epochs(), r.steps(), r.trainSeconds(),
                r.test().top1(), r.test().top5(), r.test().loss(), r.test().images(), wallSeconds, resumed, software, host);
    }

    static JobOutcome failed(String runKey, String error, double wallSeconds, boolean resumed, String software, String host) {
        return new JobOutcome(runKey, false, error, null, null, null, null, null, null, null, null, null, wallSeconds,
                resumed, software, host);
    }
}
