package io.parsimony.experiment.design;

import io.parsimony.experiment.store.ResultStore.RunRow;
import io.parsimony.nn.train.TrainingRecipe;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The final stage: every finalist trained {@code seeds} times for {@code epochs} (0: as long as
 * the last rung, {@code steps}); {@code estimatedSeconds} is null when no probe timed the steps.
 */
public record FinalStage(int networks, int seeds, int epochs, String schedule, long steps, Double estimatedSeconds) {

    /** The recipe of every final training (its seed set per run). */
    static TrainingRecipe recipe(Design.Settings s, RungSchedule schedule, int trainImages) {
        if (s.finalEpochs() == 0) {
            return Design.rungRecipe(s.recipe(), schedule.finalSteps(), trainImages);
        }
        return s.recipe().withEpochs(s.finalEpochs()).withMaxSteps(0).withSchedule(s.finalLrSchedule());
    }

    /**
     * What the final stage should take: every finalist's steps at its own seconds per step, plus
     * the per-training overhead. A finalist that raced is costed at what its longest rung run
     * measured ({@code measuredStep}, by model); otherwise the probe's step is scaled by
     * multiply-adds, which overstates wide networks (a 64-channel DACNN of 10.7x the default's
     * multiply-adds took 3.9x its time per step on CIFAR-10). With the winner not yet known, it is
     * costed at the racing field's mean step.
     */
    static double estimatedSeconds(Design.Settings s, Design.Plan racing, Candidate winner, Candidate resnet, double[] timing,
                                    int trainImages, Map<String, Double> measuredStep) {
        long probeMacs = racing.defaultLayout().multiplyAdds();
        ToDoubleFunction<Candidate> step = c -> measuredStep.getOrDefault(c.model(),
                RungSchedule.step(timing[0], probeMacs, c.multiplyAdds()));
        long steps = s.finalEpochs() * Design.stepsPerEpoch(s.recipe(), trainImages);
        double winnerStep = winner != null ? step.applyAsDouble(winner)
                : racing.candidates().stream().mapToDouble(step).average().orElse(timing[0]);
        double perSeed = winnerStep * steps + timing[1];
        for (Candidate c : resnet == null ? List.of(racing.defaultLayout(), racing.randomLayout())
                : List.of(racing.defaultLayout(), racing.randomLayout(), resnet)) {
            if (winner == null || !c.model().equals(winner.model())) {
                perSeed += step.applyAsDouble(c) * steps + timing[1];
            }
        }
        return perSeed * s.seeds();
    }

    /** Seconds per step of each model in its longest finished rung run (the most steps, the least noise). */
    static Map<String, Double> measuredSteps(List<RunRow> rows) {
        Map<String, RunRow> longest = new HashMap<>();
        for (RunRow r : rows) {
            boolean timed = r.roles().startsWith("rung") && r.done() && r.steps() != null && r.steps() > 0
                    && r.trainSeconds() != null && r.trainSeconds() > 0;
            if (timed) {
                longest.merge(r.model(), r, (a, b) -> b.steps() > a.steps() ? b : a);
            }
        }
        Map<String, Double> step = new HashMap<>();
        longest.forEach((model, r) -> step.put(model, r.trainSeconds() / r.steps()));
        return step;
    }

    /**
     * The hand-designed baseline: of the block-unit ResNets within the limits, the one that went
     * furthest in the rungs (then the best there); when none raced, the one of highest energy.
     */
    static Candidate handDesigned(List<Candidate> resnets, List<Design.Rung> rungs) {
        Candidate best = null;
        double[] bestAt = null;
        for (Candidate c : resnets) {
            for (Design.Rung r : rungs) {
                int i = r.models().indexOf(c.model());
                if (i < 0) {
                    continue;
                }
                Double a = r.accuracy().get(i);
                double[] at = {r.number(), a == null ? -1 : a};
                if (bestAt == null || at[0] > bestAt[0] || (at[0] == bestAt[0] && at[1] > bestAt[1])) {
                    best = c;
                    bestAt = at;
                }
            }
        }
        if (best != null) {
            return best;
        }
        return resnets.stream().max(java.util.Comparator.comparingDouble(Candidate::energy)).orElse(null);
    }
}
