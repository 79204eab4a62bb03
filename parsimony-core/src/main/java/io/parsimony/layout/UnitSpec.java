package io.parsimony.layout;

/**
 * One unit of a network, without its width: {@code convLayers} k×k convolutions that all
 * have the unit's width n_i. A plain CNN has one conv per unit; a residual "block unit"
 * (Table 3 of seed 001) has several (10 = five basic blocks of two convs).
 */
public record UnitSpec(int convLayers, int kernel) {
    public UnitSpec {
        if (convLayers < 1) {
            throw new LayoutException("a unit needs at least one conv layer, got " + convLayers);
        }
        if (kernel < 1) {
            throw new LayoutException("kernel size must be at least 1, got " + kernel);
        }
    }

    public static UnitSpec conv(int kernel) {
        return new UnitSpec(1, kernel);
    }
}
