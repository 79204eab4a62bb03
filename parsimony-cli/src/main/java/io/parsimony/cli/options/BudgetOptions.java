package io.parsimony.cli.options;

import io.parsimony.layout.NetworkShape;
import io.parsimony.search.Budget;
import io.parsimony.search.Order;
import picocli.CommandLine.Option;
import io.parsimony.cli.output.UserException;

/**
 * The budget band and width order of seed 001 as flags, defined once for every command that
 * searches, trains or designs layouts of a budget ({@code layout search}, {@code layout sample},
 * {@code sweep energy}, {@code extremes}, {@code design}; the depth is {@link LayersOption}).
 * Budgets are in the paper's units (weights / k²) unless given with --budget-weights (needed for
 * mixed kernels). Commands that have a default (the paper's 4,288 units) pass it in; the others
 * require the flag.
 */
public final class BudgetOptions {

    // Not a picocli ArgGroup: an exclusive group inside a mixin is listed twice in the help page.
    @Option(names = {"-C", "--budget"}, paramLabel = "UNITS",
            description = "Budget C in units of k² weights (the paper's tables), e.g. 4288.")
    Long units;

    @Option(names = "--budget-weights", paramLabel = "WEIGHTS",
            description = "Budget in raw weights (for mixed kernels, biases, projections); instead of --budget.")
    Long weights;

    @Option(names = {"-d", "--tolerance"}, defaultValue = "0", paramLabel = "DELTA",
            description = "Accept counts in [C-DELTA, C], same unit as the budget (default: ${DEFAULT-VALUE}, exact).")
    long tolerance;

    @Option(names = "--order", defaultValue = "strict", paramLabel = "strict|non-decreasing|free",
            description = "Order constraint on the widths (default: ${DEFAULT-VALUE}, the paper's).")
    String order;

    /** The budget band for {@code shape}; --budget or --budget-weights is required. */
    public Budget budget(NetworkShape shape) {
        requireOneTarget();
        if (units == null && weights == null) {
            throw new UserException("give the budget with --budget UNITS (k² units, e.g. 4288) or --budget-weights WEIGHTS");
        }
        return units != null ? Budget.units(shape, units, tolerance) : new Budget(weights, tolerance);
    }

    /** The budget in k² units for commands that store it so (sweeps), {@code fallback} when not given. */
    public long unitsOr(long fallback) {
        requireOneTarget();
        if (weights != null) {
            throw new UserException("this command takes its budget in k² units: use --budget UNITS instead of --budget-weights");
        }
        return units != null ? units : fallback;
    }

    /** The budget band for {@code shape}, with {@code fallbackUnits} when neither budget flag is given. */
    public Budget budgetOr(NetworkShape shape, long fallbackUnits) {
        requireOneTarget();
        return units == null && weights == null ? Budget.units(shape, fallbackUnits, tolerance) : budget(shape);
    }

    /** A budget band in units of k² weights. */
    public record UnitBand(long units, long tolerance) {
    }

    /**
     * The band in units of {@code k}² weights for commands that plan in units ({@code design}); a budget
     * in weights is rounded down to whole units.
     */
    public UnitBand unitBand(int k) {
        requireOneTarget();
        if (units == null && weights == null) {
            throw new UserException("give the budget with --budget UNITS (" + k + "x" + k + " units, e.g. 4288) or --budget-weights WEIGHTS");
        }
        long kk = (long) k * k;
        long u = units != null ? units : weights / kk;
        long t = units != null ? tolerance : tolerance / kk;
        if (u < 1 || t < 0 || t >= u) {
            throw new UserException("the budget must be at least one unit of " + kk + " weights and the tolerance in [0, budget), got budget "
                    + (units != null ? units + " units" : weights + " weights") + " and tolerance " + tolerance);
        }
        return new UnitBand(u, t);
    }

    /** Tolerance in the budget's own unit. */
    public long tolerance() {
        return tolerance;
    }

    public Order order() {
        return Order.parse(order);
    }

    /** The order as given (validated), for records that keep it as text. */
    public String orderName() {
        order();
        return order;
    }

    private void requireOneTarget() {
        if (units != null && weights != null) {
            throw new UserException("--budget and --budget-weights both given; use one of them");
        }
    }
}
