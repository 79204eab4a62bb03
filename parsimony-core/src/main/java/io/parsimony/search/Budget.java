package io.parsimony.search;

import io.parsimony.layout.LayoutException;
import io.parsimony.layout.NetworkShape;

import java.math.BigInteger;
import java.util.Locale;

/**
 * The parameter budget as a band [target − tolerance, target] of counted weights; tolerance 0
 * is the paper's exact constraint. Seed 001 states budgets in units of k² weights
 * ({@link #units}); the search itself works in weights so that mixed kernels, biases and 1×1
 * projections count exactly.
 */
public record Budget(long target, long tolerance) {

    /**
     * The largest supported budget: 10^18 weights (4 exabytes of float32), far past any network
     * that can be built. Keeping it well below 2^63 means the sum of any two counts within the
     * budget cannot overflow, and a saturated count can never be mistaken for one that fits.
     */
    public static final long MAX_WEIGHTS = 1_000_000_000_000_000_000L;

    public Budget {
        if (target <= 0) {
            throw new LayoutException("budget must be positive, got " + target + " weights");
        }
        if (target > MAX_WEIGHTS) {
            throw new LayoutException(String.format(Locale.ROOT,
                    "budget of %,d weights is above the largest supported %,d weights", target, MAX_WEIGHTS));
        }
        if (tolerance < 0 || tolerance >= target) {
            throw new LayoutException(String.format(Locale.ROOT,
                    "tolerance must be in [0, budget) = [0, %,d) weights, got %,d", target, tolerance));
        }
    }

    /** Exactly {@code weights} counted weights: the paper's constraint, in weights rather than k² units. */
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
        long k2 = (long) k * k;
        if (units > MAX_WEIGHTS / k2) {
            throw new LayoutException(String.format(Locale.ROOT,
                    "budget of %,d units is %,d weights (units x %dx%d), above the largest supported %,d weights = %,d units of %dx%d",
                    units, BigInteger.valueOf(units).multiply(BigInteger.valueOf(k2)), k, k, MAX_WEIGHTS,
                    MAX_WEIGHTS / k2, k, k));
        }
        if (toleranceUnits < 0 || toleranceUnits >= units) {
            throw new LayoutException(String.format(Locale.ROOT,
                    "tolerance must be in [0, budget) = [0, %,d) units, got %,d", units, toleranceUnits));
        }
        return new Budget(units * k2, toleranceUnits * k2);
    }

    /** The fewest weights the band accepts: target − tolerance. */
    public long low() {
        return target - tolerance;
    }

    /** Whether a layout of {@code weights} counted weights meets the budget. */
    public boolean contains(long weights) {
        return weights >= low() && weights <= target;
    }
}
