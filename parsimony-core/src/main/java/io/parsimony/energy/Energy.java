package io.parsimony.energy;

import io.parsimony.layout.Layout;

/**
 * Eq. 2–3 of seed 001: a unit of width n is an information source of n equiprobable feature
 * maps, entropy ln(n) (natural log, which is what reproduces Table 4), and a layout's energy
 * is the product over units. For residual nets a "unit" is a whole block unit (Eq. 3 with the
 * simplification of section 3.3), so there is one factor per width either way.
 *
 * <p>A width of 1 has entropy ln 1 = 0 and so makes the whole energy 0: that is the paper's
 * own value for (1,11,42,59) in Table 4, not an error; {@link #zeroWidthUnits} says which
 * units caused it.
 */
public final class Energy {
    private Energy() {
    }

    public static double of(Layout layout) {
        return of(layout.widths());
    }

    public static double of(int[] widths) {
        double e = 1.0;
        for (int n : widths) {
            e *= Math.log(n);
        }
        return e;
    }

    /** The factors ln(n_i), one per unit. */
    public static double[] factors(Layout layout) {
        double[] f = new double[layout.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = Math.log(layout.width(i));
        }
        return f;
    }

    /** 1-based indices of units of width 1, which zero the energy. */
    public static int[] zeroWidthUnits(Layout layout) {
        return java.util.stream.IntStream.range(0, layout.size())
                .filter(i -> layout.width(i) == 1).map(i -> i + 1).toArray();
    }
}
