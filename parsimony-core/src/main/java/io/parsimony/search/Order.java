package io.parsimony.search;

/** The order constraint on a layout's widths n1..nN (not on the input channels n0). */
public enum Order {
    /** n_i &lt; n_{i+1}: Eq. 3–4 of seed 001. */
    STRICT,
    /** n_i ≤ n_{i+1}. */
    NON_DECREASING,
    /** Any positive widths. */
    FREE;

    /** The smallest width allowed after a unit of width {@code prev}. */
    public int minNext(int prev) {
        return switch (this) {
            case STRICT -> prev + 1;
            case NON_DECREASING -> prev;
            case FREE -> 1;
        };
    }

    public boolean allows(int[] widths) {
        for (int i = 1; i < widths.length; i++) {
            if (widths[i] < minNext(widths[i - 1])) {
                return false;
            }
        }
        return true;
    }

    public static Order parse(String s) {
        return switch (s.toLowerCase().replace('_', '-')) {
            case "strict", "increasing", "strictly-increasing" -> STRICT;
            case "non-decreasing", "nondecreasing" -> NON_DECREASING;
            case "free", "any" -> FREE;
            default -> throw new io.parsimony.layout.LayoutException(
                    "unknown order '" + s + "'; use strict, non-decreasing or free");
        };
    }
}
