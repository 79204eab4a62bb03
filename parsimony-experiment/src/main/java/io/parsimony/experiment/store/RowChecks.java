package io.parsimony.experiment.store;

import io.parsimony.InputException;
import io.parsimony.experiment.job.Hashing;
import io.parsimony.experiment.store.ResultStore.RunRow;
import io.parsimony.experiment.store.ResultStore.SweepRow;

/**
 * Rows as read are checked before anyone computes with them: known status and roles, JSON that
 * parses, counts not negative, accuracies in [0, 1]; otherwise a one-line error naming the store.
 */
final class RowChecks {

    private final StoreLocation where;

    RowChecks(StoreLocation where) {
        this.where = where;
    }

    SweepRow checked(SweepRow w) {
        String at = "sweep " + w.id();
        if (w.key() == null || w.title() == null || w.command() == null || w.runsDir() == null) {
            throw damaged(at + " lacks its key, title, command or run directory");
        }
        if (w.plannedRuns() < 0) {
            throw damaged(at + " plans " + w.plannedRuns() + " runs");
        }
        requireJsonObject(at + " definition", w.definition());
        return w;
    }

    RunRow checked(RunRow r) {
        String at = "run " + r.runKey() + " of sweep " + r.sweepId();
        if (r.runKey() == null || r.layout() == null || r.model() == null || r.data() == null) {
            throw damaged("a run of sweep " + r.sweepId() + " lacks its key, layout, model or data set");
        }
        if (!"done".equals(r.status()) && !"failed".equals(r.status())) {
            throw damaged(at + " has status '" + r.status() + "' (expected done or failed)");
        }
        if (r.roles() == null || !r.roles().matches("random|top|random\\+top|top\\+random|probe|rung\\d+|final(-[a-z]+)+")) {
            throw damaged(at + " has roles '" + r.roles() + "' (expected random, top, random+top, probe, rungN or final-...)");
        }
        requireJsonObject(at + " recipe", r.recipe());
        requireJsonObject(at + " model spec", r.modelSpec());
        nonNegative(at, "position", (long) r.position());
        nonNegative(at, "parameters", r.parameters());
        nonNegative(at, "conv weights", r.convWeights());
        nonNegative(at, "test images", r.testImages() == null ? null : r.testImages().longValue());
        nonNegative(at, "epochs", r.epochs() == null ? null : r.epochs().longValue());
        nonNegative(at, "steps", r.steps());
        if (!Double.isFinite(r.energy())) {
            throw damaged(at + " has energy " + r.energy());
        }
        if (!(r.wallSeconds() >= 0) || (r.trainSeconds() != null && !(r.trainSeconds() >= 0))) {
            throw damaged(at + " has a negative or non-numeric time");
        }
        for (Double acc : new Double[] {r.top1(), r.top5(), r.valTop1()}) {
            if (acc != null && !(acc >= 0 && acc <= 1)) {
                throw damaged(at + " has accuracy " + acc + " outside [0, 1]");
            }
        }
        return r;
    }

    private void nonNegative(String at, String what, Long v) {
        if (v != null && v < 0) {
            throw damaged(at + " has " + what + " " + v);
        }
    }

    private void requireJsonObject(String what, String json) {
        try {
            if (json == null || !Hashing.JSON.readTree(json).isObject()) {
                throw damaged(what + " is not a JSON object");
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw damaged(what + " is not valid JSON (" + e.getOriginalMessage().replace('\n', ' ') + ")");
        }
    }

    private InputException damaged(String what) {
        return new InputException("results store " + where + " is damaged: " + what
                + "; restore it from a copy or re-run the sweep into a new store");
    }
}
