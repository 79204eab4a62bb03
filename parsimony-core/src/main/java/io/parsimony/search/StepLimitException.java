package io.parsimony.search;

import io.parsimony.layout.LayoutException;

import java.util.Locale;

/**
 * A search reached the step limit its caller set ({@link LayoutSearch#limitSteps}): the answer
 * would take longer than the caller is willing to wait. Callers usually catch it to fall back
 * to the heuristic or to name a flag that helps; uncaught it is still a one-line refusal.
 */
public class StepLimitException extends LayoutException {
    private final long limit;

    public StepLimitException(long limit) {
        super(String.format(Locale.ROOT,
                "the search stopped at its limit of %,d steps; lower the budget or the number of layers", limit));
        this.limit = limit;
    }

    public long limit() {
        return limit;
    }
}
