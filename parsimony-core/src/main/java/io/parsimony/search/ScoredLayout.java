package io.parsimony.search;

import io.parsimony.layout.Layout;

import java.util.Comparator;

/** A feasible layout with its counted weights and energy. */
public record ScoredLayout(Layout layout, long weights, double energy) {
    /** Best first: higher energy, then lexicographically smaller layout (a stable tie-break). */
    public static final Comparator<ScoredLayout> BEST_FIRST =
            Comparator.comparingDouble(ScoredLayout::energy).reversed().thenComparing(ScoredLayout::layout);
}
