package io.parsimony.layout;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * A network family with everything fixed except the widths: input channels n0, the units
 * (conv layers and kernel each) and the counting rules. Eq. 1 of seed 001 generalised:
 * unit i with r_i layers of k_i×k_i convs and width n_i costs
 * {@code k_i²·(n_{i-1}·n_i + (r_i − 1)·n_i²)} weights, plus n_i per conv for biases and
 * n_{i-1}·n_i for a 1×1 projection shortcut when those are counted.
 *
 * <p>Residual shapes follow Table 3: unit 1 is the stem (plain convs at full resolution),
 * unit 2 is the first residual stage (same resolution), every later unit starts with a
 * stride-2 block. A residual unit's conv count must be even (basic blocks of two convs).
 *
 * @param residual     whether units after the first are residual stages of basic blocks
 * @param shortcuts    how residual shortcuts are counted (ignored for plain shapes)
 * @param countBiases  whether every conv carries a bias vector (the paper's count does not)
 */
public record NetworkShape(int inputChannels, List<UnitSpec> units, boolean residual,
                           Shortcuts shortcuts, boolean countBiases) {

    public NetworkShape {
        if (inputChannels < 1) {
            throw new LayoutException("input channels n0 must be at least 1, got " + inputChannels);
        }
        if (inputChannels > Layout.MAX_WIDTH) {
            throw new LayoutException(String.format(Locale.ROOT,
                    "input channels n0 is %,d, above the largest supported width of %,d channels",
                    inputChannels, Layout.MAX_WIDTH));
        }
        if (units == null || units.isEmpty()) {
            throw new LayoutException("a network needs at least one conv unit");
        }
        units = List.copyOf(units);
        long convs = 0;
        for (UnitSpec u : units) {
            convs += u.convLayers();
        }
        if (convs > Layout.MAX_UNITS) {
            throw new LayoutException(String.format(Locale.ROOT,
                    "%,d conv layers is above the largest supported %,d; use fewer layers or repeats",
                    convs, Layout.MAX_UNITS));
        }
        if (residual) {
            for (int i = 1; i < units.size(); i++) {
                if (units.get(i).convLayers() % 2 != 0) {
                    throw new LayoutException("residual unit " + (i + 1) + " has " + units.get(i).convLayers()
                            + " conv layers; a unit of basic blocks needs an even number (2 per block)");
                }
            }
        }
        shortcuts = shortcuts == null ? Shortcuts.NONE : shortcuts;
    }

    /** A plain CNN (Fig. 2 of seed 001): {@code depth} k×k convs, one per unit. */
    public static NetworkShape plain(int inputChannels, int depth, int kernel) {
        if (depth < 1) {
            throw new LayoutException("a plain CNN needs at least 1 conv layer, got " + depth);
        }
        Layout.requireUnits(depth);
        return new NetworkShape(inputChannels, nCopies(depth, UnitSpec.conv(kernel)), false, Shortcuts.NONE, false);
    }

    /** A plain CNN with one kernel size per layer. */
    public static NetworkShape plain(int inputChannels, int[] kernels) {
        Layout.requireUnits(kernels.length);
        List<UnitSpec> units = new ArrayList<>();
        for (int k : kernels) {
            units.add(UnitSpec.conv(k));
        }
        return new NetworkShape(inputChannels, units, false, Shortcuts.NONE, false);
    }

    /**
     * A block-unit residual network (Table 3 of seed 001): unit i has {@code convLayers[i]}
     * k×k convs, e.g. (1,10,10,10) for the paper's 32-layer ResNet.
     */
    public static NetworkShape residual(int inputChannels, int[] convLayers, int kernel) {
        Layout.requireUnits(convLayers.length);
        List<UnitSpec> units = new ArrayList<>();
        for (int r : convLayers) {
            units.add(new UnitSpec(r, kernel));
        }
        return new NetworkShape(inputChannels, units, true, Shortcuts.NONE, false);
    }

    public NetworkShape withShortcuts(Shortcuts s) {
        return new NetworkShape(inputChannels, units, residual, s, countBiases);
    }

    public NetworkShape withBiases(boolean biases) {
        return new NetworkShape(inputChannels, units, residual, shortcuts, biases);
    }

    public int depth() {
        return units.size();
    }

    public UnitSpec unit(int i) {
        return units.get(i);
    }

    /** Total conv layers on the main path (e.g. 31 for Table 3). */
    public int convLayers() {
        return units.stream().mapToInt(UnitSpec::convLayers).sum();
    }

    /** The single kernel size of every unit, or -1 when they differ. */
    public int uniformKernel() {
        int k = units.get(0).kernel();
        for (UnitSpec u : units) {
            if (u.kernel() != k) {
                return -1;
            }
        }
        return k;
    }

    /** Whether unit i (0-based) starts with a stride-2 block: every residual unit after the first residual stage. */
    public boolean strided(int i) {
        return residual && i >= 2;
    }

    /** Whether unit i (0-based) carries a counted 1×1 projection, given the width before it. */
    public boolean projects(int i, long prevWidth, long width) {
        return residual && shortcuts == Shortcuts.PROJECTION && i >= 1
                && (strided(i) || prevWidth != width);
    }

    /** Whether unit i's count jumps at width == prevWidth (an unstrided residual unit with counted projections). */
    public boolean hasConditionalProjection(int i) {
        return residual && shortcuts == Shortcuts.PROJECTION && i == 1;
    }

    /**
     * Weights of unit i (0-based) with width n after a unit (or the input) of width p;
     * saturates at {@link Long#MAX_VALUE} instead of overflowing, so searches can probe huge widths.
     */
    public long unitWeights(int i, long p, long n) {
        UnitSpec u = units.get(i);
        long k2 = (long) u.kernel() * u.kernel();
        // searches probe widths far past the budget; saturate without the cost of a thrown exception
        double approx = k2 * ((double) p * n + (u.convLayers() - 1.0) * n * n) + (double) u.convLayers() * n + (double) p * n;
        if (approx >= 0x1p63) {
            return Long.MAX_VALUE;
        }
        try {
            long w = Math.multiplyExact(k2, Math.addExact(Math.multiplyExact(p, n),
                    Math.multiplyExact(u.convLayers() - 1L, Math.multiplyExact(n, n))));
            if (countBiases) {
                w = Math.addExact(w, Math.multiplyExact((long) u.convLayers(), n));
            }
            if (projects(i, p, n)) {
                w = Math.addExact(w, Math.multiplyExact(p, n));
            }
            return w;
        } catch (ArithmeticException overflow) {
            return Long.MAX_VALUE;
        }
    }

    /**
     * Unit i's count as a polynomial α·n² + β·n in its width n, for a fixed width p before it
     * and a fixed projection status: {α, β}. Lets a search solve for a width in closed form.
     */
    public double[] unitPolynomial(int i, long p, boolean projecting) {
        UnitSpec u = units.get(i);
        double k2 = (double) u.kernel() * u.kernel();
        double alpha = k2 * (u.convLayers() - 1);
        double beta = k2 * p + (countBiases ? u.convLayers() : 0) + (projecting ? p : 0);
        return new double[] {alpha, beta};
    }

    /**
     * Total counted weights of a layout (fast path, no breakdown); refuses a layout whose count
     * does not fit in a {@code long} rather than returning a wrapped or saturated number.
     */
    public long totalWeights(int[] widths) {
        checkDepth(widths.length);
        long total = 0;
        long prev = inputChannels;
        for (int i = 0; i < widths.length; i++) {
            long w = unitWeights(i, prev, widths[i]);
            total = w == Long.MAX_VALUE ? Long.MAX_VALUE : saturatedAdd(total, w);
            prev = widths[i];
        }
        if (total == Long.MAX_VALUE) {
            throw tooManyWeights(widths);
        }
        return total;
    }

    /** a + b for non-negative a, b, or {@link Long#MAX_VALUE} where the sum would overflow. */
    public static long saturatedAdd(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }

    /** The exact count, computed in {@link BigInteger} only to say how far above the limit it is. */
    private LayoutException tooManyWeights(int[] widths) {
        BigInteger total = BigInteger.ZERO;
        BigInteger prev = BigInteger.valueOf(inputChannels);
        for (int i = 0; i < widths.length; i++) {
            UnitSpec u = units.get(i);
            BigInteger n = BigInteger.valueOf(widths[i]);
            BigInteger k2 = BigInteger.valueOf(u.kernel()).pow(2);
            total = total.add(k2.multiply(prev.multiply(n).add(BigInteger.valueOf(u.convLayers() - 1L).multiply(n.pow(2)))));
            if (countBiases) {
                total = total.add(BigInteger.valueOf(u.convLayers()).multiply(n));
            }
            if (projects(i, prev.longValue(), widths[i])) {
                total = total.add(prev.multiply(n));
            }
            prev = n;
        }
        return new LayoutException(String.format(Locale.ROOT,
                "layout %s needs %,d weights, above the largest supported count of %,d weights; use narrower widths",
                Layout.of(widths).brief(), total, Long.MAX_VALUE - 1));
    }

    /** Counts a layout with its per-layer breakdown. */
    public ParameterCount count(Layout layout) {
        checkDepth(layout.size());
        totalWeights(layout.widths());   // refuses a count that overflows before any row is built
        List<LayerCount> rows = new ArrayList<>();
        int prev = inputChannels;
        for (int i = 0; i < depth(); i++) {
            UnitSpec u = units.get(i);
            int n = layout.width(i);
            int in = prev;
            for (int l = 0; l < u.convLayers(); l++) {
                long weights = (long) u.kernel() * u.kernel() * in * n;
                rows.add(new LayerCount(i + 1, l + 1, LayerCount.Kind.CONV, in, n, u.kernel(), weights,
                        countBiases ? n : 0));
                in = n;
            }
            if (projects(i, prev, n)) {
                rows.add(new LayerCount(i + 1, 0, LayerCount.Kind.PROJECTION, prev, n, 1, (long) prev * n, 0));
            }
            prev = n;
        }
        return new ParameterCount(this, layout, rows);
    }

    void checkDepth(int widths) {
        if (widths != depth()) {
            throw new LayoutException("layout has " + widths + " widths but the network has " + depth()
                    + " conv units; give exactly one width per unit");
        }
    }

    private static List<UnitSpec> nCopies(int n, UnitSpec u) {
        UnitSpec[] a = new UnitSpec[n];
        Arrays.fill(a, u);
        return List.of(a);
    }
}
