package io.parsimony.experiment.design;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.parsimony.nn.model.ModelSpec;

/**
 * One network a design may choose, and what it spends.
 *
 * @param model        its text spec (what {@code parsimony train --model} accepts)
 * @param convLayers   conv layers the forward pass applies (a shared kernel counts each use)
 * @param convWeights  optimised (unique) conv weights, by Eq. 1 — plus, for a rescaled net,
 *                     its repetition coefficients: what the budget is charged
 * @param budgetWeights the budget in weights (units × 9)
 * @param energy       Eq. 3 of the widths the forward pass sees, conv by conv
 * @param multiplyAdds conv and classifier multiply-adds for one image
 * @param exact        true when {@code convWeights} is the budget (or within the tolerance) by construction; false
 *                     for the coarse-stepped families, which spend the most they can without exceeding it
 */
public record Candidate(Family family, String model, ModelSpec spec, int convLayers, long convWeights, long budgetWeights,
                        double energy, long multiplyAdds, boolean exact) {

    /** Share of the budget spent, in [0, 1]. */
    @JsonIgnore
    public double spent() {
        return (double) convWeights / budgetWeights;
    }
}
