package io.parsimony.experiment.design;

import io.parsimony.experiment.design.Comparison.Group;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The network a design hands over: the finalist with the best mean validation top-1 after the final
 * stage, which is the race's winner unless a baseline overtakes it. The race ranks candidates on
 * rungs shorter than the final training, so the order can change once all are trained to the end
 * (seen on CIFAR-10 under a latency limit: the default, second by 0.22 points after the last rung,
 * ended 0.75 points of mean final validation above the winner). Choosing on validation keeps the test split out
 * of the choice; the test figures still compare the race's winner with every baseline.
 *
 * @param role       the finalist's role ("winner", "default", "random", "resnet"; joined when one
 *                   network holds two, as "winner-default")
 * @param model      its model
 * @param runDir     the run directory of its first finished seed: what evaluate, export and predict take
 * @param winner     true when it is the race's winner
 * @param validation mean final-stage validation top-1 of every finalist that has one, by role
 */
public record Deliverable(String role, String model, String runDir, boolean winner, Map<String, Double> validation) {

    /**
     * The finalist of highest mean validation top-1; the winner (first of {@code groups}) on ties
     * and when it has no validation figures (runs recorded before the store kept them).
     *
     * @param groups            the final groups, the winner's first
     * @param validationByModel per-seed final validation top-1 of each model
     * @param runDirByModel     each model's run directory to ship
     */
    static Deliverable choose(List<Group> groups, Map<String, List<Double>> validationByModel,
                              Map<String, String> runDirByModel) {
        Map<String, Double> means = new LinkedHashMap<>();
        for (Group g : groups) {
            List<Double> v = validationByModel.getOrDefault(g.model(), List.of());
            if (!v.isEmpty()) {
                means.put(g.role(), Group.of(g.role(), g.model(), v).mean());
            }
        }
        Group best = groups.get(0);
        if (means.containsKey(best.role())) {
            for (Group g : groups.subList(1, groups.size())) {
                if (means.containsKey(g.role()) && means.get(g.role()) > means.get(best.role())) {
                    best = g;
                }
            }
        }
        return new Deliverable(best.role(), best.model(), runDirByModel.get(best.model()), best == groups.get(0), means);
    }

    /** One line saying why the network to ship is not the race's winner; empty when it is. */
    public String overtaken() {
        if (winner) {
            return "";
        }
        // not the winner only when the winner had figures, and its role went into the map first
        String won = validation.keySet().iterator().next();
        return String.format(Locale.ROOT, "after the final stage the %s (%s) has the best validation top-1, %.2f%% against "
                        + "the race's winner's %.2f%%: it is the network to ship", role, model, 100 * validation.get(role),
                100 * validation.get(won));
    }
}
