package io.parsimony.cli;

import io.parsimony.layout.NetworkShape;
import io.parsimony.search.Budget;
import io.parsimony.search.Order;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * The budget band and order constraint of a search. Budgets are in the paper's units
 * (weights / k²) unless given with --budget-weights (needed for mixed kernels).
 */
public final class BudgetOptions {

    static final class Target {
        @Option(names = {"-C", "--budget"}, required = true, paramLabel = "UNITS",
                description = "Budget C in units of k² weights (the paper's tables), e.g. 4288.")
        Long units;

        @Option(names = "--budget-weights", required = true, paramLabel = "WEIGHTS",
                description = "Budget in raw weights (for mixed kernels, biases, projections).")
        Long weights;
    }

    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;

    @Option(names = {"-d", "--tolerance"}, defaultValue = "0", paramLabel = "DELTA",
            description = "Accept counts in [C-DELTA, C], same unit as the budget (default: ${DEFAULT-VALUE}, exact).")
    long tolerance;

    @Option(names = "--order", defaultValue = "strict", paramLabel = "strict|non-decreasing|free",
            description = "Order constraint on the widths (default: ${DEFAULT-VALUE}, the paper's).")
    String order;

    public Budget budget(NetworkShape shape) {
        if (target.units != null) {
            return Budget.units(shape, target.units, tolerance);
        }
        return new Budget(target.weights, tolerance);
    }

    public Order order() {
        return Order.parse(order);
    }
}
