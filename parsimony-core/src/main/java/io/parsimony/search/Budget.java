package io.parsimony.search;

import io.parsimony.layout.LayoutException;
import io.parsimony.layout.NetworkShape;

/**
 * The parameter budget as a band [target − tolerance, target] of counted weights; tolerance 0
 * is the paper's exact constraint. Seed 001 states budgets in units of k² weights
 * ({@link #units}); the search itself works in weights so that mixed kernels, biases and 1×1
 * projections count exactly.
 */
public record Budget(long target, long tolerance) {
    public Budget {
        if (target <= 0) {
            throw new LayoutException("budget must be positive, got " + target);
        }
        if (tolerance < 0 || tolerance >= target) {
            throw new LayoutException("tolerance must be in [0, budget), got " + tolerance);
        }
    }

    public static Budget exact(long weights) {
        return new Budget(weights, 0);
    }

    /** A budget of {@code units} × k² weights (±{@code toleranceUnits}), for a shape with one kernel size. */
    public static Budget units(NetworkShape shape, long units, long toleranceUnits) {
        int k = shape.uniformKernel();
        if (k < 0) {
            throw new LayoutException("budget in units needs one kernel size for all layers; give the budget in weights instead");
        }
        if (units <= 0) {
            throw new LayoutException("budget must be positive, got " + units + " units");
        }
        return new Budget(units * k * k, toleranceUnits * k * k);
    }

    public long low() {
        return target - tolerance;
    }

    public boolean contains(long weights) {
        return weights >= low() && weights <= target;
    }
}
