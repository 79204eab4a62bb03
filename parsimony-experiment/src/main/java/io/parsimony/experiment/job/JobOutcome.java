package io.parsimony.experiment.job;

import io.parsimony.nn.train.TrainingRun;

/**
 * What a training produced, as a worker reports it: test figures (none for a validation-only
 * job), the last epoch's validation figures and sizes when it finished, or the one-line reason
 * it failed (a diverged loss, a model that does not fit the data).
 */
public record JobOutcome(String runKey, boolean ok, String error, Long parameters, Long convWeights, Integer epochs,
                         Long steps, Double trainSeconds, Double top1, Double top5, Double testLoss, Integer testImages,
                         double wallSeconds, boolean resumed, String software, String host, Double valTop1, Double valLoss) {

    public static JobOutcome of(String runKey, TrainingRun.Result r, double wallSeconds, boolean resumed, String software, String host) {
        var t = r.test();
        var last = r.history().isEmpty() ? null : r.history().get(r.history().size() - 1);
        return new JobOutcome(runKey, true, null, r.parameters(), r.convWeights(), r.epochs(), r.steps(), r.trainSeconds(),
                t == null ? null : t.top1(), t == null ? null : t.top5(), t == null ? null : t.loss(),
                t == null ? null : t.images(), wallSeconds, resumed, software, host,
                last == null ? null : last.validationAccuracy(), last == null ? null : last.validationLoss());
    }

    public static JobOutcome failed(String runKey, String error, double wallSeconds, boolean resumed, String software, String host) {
        return new JobOutcome(runKey, false, error, null, null, null, null, null, null, null, null, null, wallSeconds,
                resumed, software, host, null, null);
    }
}
