package io.parsimony.cli;

import io.parsimony.layout.NetworkShape;
import io.parsimony.search.Budget;
import io.parsimony.search.Order;
import picocli.CommandLine.Option;

/**
 * The search space of seed 001 as flags, defined once for every command that searches or trains
 * layouts of a budget ({@code layout search}, {@code layout sample}, {@code sweep energy},
 * {@code extremes}): depth, budget band and order. Budgets are in the paper's units (weights / k²)
 * unless given with --budget-weights (needed for mixed kernels). Commands that have defaults (the
 * paper's 4,288 units, 4 layers) pass them in; the others require the flags.
 */
public final class BudgetOptions {

    @Option(names = {"-N", "--layers"}, paramLabel = "N", description = "Number of conv layers (plain) or block units.")
    Integer layers;

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

    /** The given depth, or null when it is implied by other flags (--repeats, --kernels) or the command's default. */
    public Integer layers() {
        return layers;
    }

    /** The depth, or {@code fallback} when --layers is not given. */
    public int layersOr(int fallback) {
        return layers != null ? layers : fallback;
    }

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
