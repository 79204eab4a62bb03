package io.parsimony.experiment.design;

import io.parsimony.InputException;
import io.parsimony.energy.Energy;
import io.parsimony.layout.Layout;
import io.parsimony.layout.LayoutException;
import io.parsimony.layout.NetworkShape;
import io.parsimony.layout.Shortcuts;
import io.parsimony.nn.model.BlockResNetSpec;
import io.parsimony.nn.model.DacnnSpec;
import io.parsimony.nn.model.ModelCatalog;
import io.parsimony.nn.model.ModelSpec;
import io.parsimony.nn.model.PlainCnnSpec;
import io.parsimony.nn.model.RescaledSpec;
import io.parsimony.search.Budget;
import io.parsimony.search.DeepLayoutHeuristic;
import io.parsimony.search.LayoutSearch;
import io.parsimony.search.Order;
import io.parsimony.search.ScoredLayout;
import io.parsimony.search.StepLimitException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every network a design considers for one budget and one kind of image: per family, the
 * networks that spend the budget best (see {@link Family}). Plain and ResNet candidates spend it
 * exactly (or within the tolerance) by Eq. 1; DACNN and rescaled ones, whose counts move in
 * coarse steps, spend the most they can without exceeding it.
 *
 * @param budgetUnits   the budget in k² (3×3) units
 * @param toleranceUnits accept plain and ResNet counts in [budget − tolerance, budget]
 * @param maxDepth      the deepest candidate, in conv layers (the EBCLE bound, or less)
 * @param topPerDepth   plain layouts per depth, by energy
 * @param imageSize     the smaller side of the images (pools, multiply-adds)
 */
public record DesignSpace(long budgetUnits, long toleranceUnits, Order order, Set<Family> families, int maxDepth,
                          int topPerDepth, int channels, int classes, int imageSize) {

    /** Exact top-k search up to this many layers; the bounded heuristic beyond (exact search grows steeply with depth). */
    public static final int EXACT_DEPTH = 5;
    /** Work cap of one layout search (about a second). */
    static final long SEARCH_STEPS = LayoutSearch.INTERACTIVE_STEPS;
    /** ResNet repeat patterns tried (stem convs, then conv layers per unit), as in seed 001's Table 3 but smaller. */
    static final List<int[]> RESNET_REPEATS = List.of(new int[] {1, 2, 2}, new int[] {1, 2, 2, 2}, new int[] {1, 4, 4, 4});
    /** DACNN depths (applications of the shared kernel). */
    static final List<Integer> DACNN_DEPTHS = List.of(4, 8, 14);
    /** Rescalings (width ×, depth ×) of a 4-layer plain base. */
    static final List<int[]> RESCALINGS = List.of(new int[] {2, 1}, new int[] {1, 2}, new int[] {2, 2});
    static final int BASELINE_DEPTH = 4;

    public DesignSpace {
        if (budgetUnits < 1) {
            throw new InputException("--budget must be positive, got " + budgetUnits);
        }
        if (families.isEmpty()) {
            throw new InputException("--families lists no family; use a comma list of plain, resnet, dacnn, rescaled");
        }
        if (maxDepth < 2) {
            throw new InputException("--max-depth must be at least 2, got " + maxDepth);
        }
        if (topPerDepth < 1 || topPerDepth > 20) {
            throw new InputException("--top must be in 1..20, got " + topPerDepth);
        }
        // in Family order, not Set.copyOf's per-JVM order: the design's key hashes this record's JSON, and a
        // design resumed in another process must find its own key again
        families = java.util.Collections.unmodifiableSet(java.util.EnumSet.copyOf(families));
    }

    public long budgetWeights() {
        return budgetUnits * 9;
    }

    /** The candidates, family by family in {@link Family} order, depth by depth; refused when there are none. */
    public List<Candidate> candidates() {
        Map<String, Candidate> out = new LinkedHashMap<>();
        for (Family f : Family.values()) {
            if (!families.contains(f)) {
                continue;
            }
            List<Candidate> some = switch (f) {
                case PLAIN -> plain();
                case RESNET -> resnet();
                case DACNN -> dacnn();
                case RESCALED -> rescaled();
            };
            some.forEach(c -> out.putIfAbsent(c.model(), c));
        }
        if (out.isEmpty()) {
            throw new InputException(String.format("no candidate of %s spends %,d units within %d conv layers; raise --budget "
                    + "(e.g. 4288) or --max-depth, or add families", families.stream().map(Family::label).sorted().toList(),
                    budgetUnits, maxDepth));
        }
        return List.copyOf(out.values());
    }

    /** The top-k plain layouts of every depth from 2 to {@link #maxDepth}. */
    List<Candidate> plain() {
        List<Candidate> out = new ArrayList<>();
        for (int depth = 2; depth <= maxDepth; depth++) {
            for (ScoredLayout s : topLayouts(NetworkShape.plain(channels, depth, 3), budgetUnits, toleranceUnits, topPerDepth)) {
                out.add(of(Family.PLAIN, PlainCnnSpec.of(s.layout(), channels, classes, imageSize), s.weights(), true));
            }
        }
        return out;
    }

    List<Candidate> resnet() {
        List<Candidate> out = new ArrayList<>();
        for (int[] repeats : RESNET_REPEATS) {
            if (java.util.Arrays.stream(repeats).sum() > maxDepth) {
                continue;
            }
            NetworkShape shape = NetworkShape.residual(channels, repeats, 3).withShortcuts(Shortcuts.PROJECTION);
            for (ScoredLayout s : topLayouts(shape, budgetUnits, toleranceUnits, 1)) {
                out.add(of(Family.RESNET, new BlockResNetSpec(channels, classes, s.layout().widths(), repeats), s.weights(), true));
            }
        }
        return out;
    }

    /** The widest plain DACNN of each depth whose stem and one shared kernel fit the budget. */
    List<Candidate> dacnn() {
        List<Candidate> out = new ArrayList<>();
        for (int depth : DACNN_DEPTHS) {
            if (depth + 1 > maxDepth) {
                continue;
            }
            // stem 9·n0·C plus one shared 9·C² kernel ≤ budget: C = the positive root, rounded down
            long c = (long) Math.floor((-channels + Math.sqrt((double) channels * channels + 4.0 * budgetUnits)) / 2);
            while (c > 0 && DacnnSpec.plain(channels, classes, depth, (int) c).analyticConvWeights() > budgetWeights()) {
                c--;
            }
            if (c < 1) {
                continue;
            }
            DacnnSpec spec = DacnnSpec.plain(channels, classes, depth, (int) c);
            out.add(of(Family.DACNN, spec, spec.analyticConvWeights(), false));
        }
        return out;
    }

    /**
     * Rescalings of the max-energy 4-layer plain base whose conv weights plus repetition
     * coefficients fit the budget: the base budget starts at the full budget and shrinks by
     * the overshoot until the sum fits (the base is searched within 2% below its budget).
     */
    List<Candidate> rescaled() {
        List<Candidate> out = new ArrayList<>();
        for (int[] f : RESCALINGS) {
            if (BASELINE_DEPTH * f[1] > maxDepth) {
                continue;
            }
            long units = budgetUnits;
            for (int attempt = 0; attempt < 8 && units > 0; attempt++) {
                NetworkShape shape = NetworkShape.plain(channels, BASELINE_DEPTH, 3);
                List<ScoredLayout> best = topLayouts(shape, units, units / 50, 1);
                if (best.isEmpty()) {
                    break;
                }
                RescaledSpec spec = new RescaledSpec(PlainCnnSpec.of(best.get(0).layout(), channels, classes, imageSize), f[0], f[1]);
                long total = spec.analyticConvWeights() + spec.coefficients();
                if (total <= budgetWeights()) {
                    out.add(of(Family.RESCALED, spec, total, false));
                    break;
                }
                units -= Math.max(1, (total - budgetWeights() + 8) / 9);
            }
        }
        return out;
    }

    /** The paper's default: the max-energy layout with 4 conv layers, or null when the budget allows none. */
    public Candidate defaultLayout() {
        List<ScoredLayout> best = topLayouts(NetworkShape.plain(channels, BASELINE_DEPTH, 3), budgetUnits, toleranceUnits, 1);
        return best.isEmpty() ? null : of(Family.PLAIN, PlainCnnSpec.of(best.get(0).layout(), channels, classes, imageSize),
                best.get(0).weights(), true);
    }

    /**
     * The random baseline: of {@code samples} feasible 4-layer layouts drawn uniformly at random
     * (seeded), the one of median energy; null when the budget allows none.
     */
    public Candidate randomLayout(int samples, long seed) {
        NetworkShape shape = NetworkShape.plain(channels, BASELINE_DEPTH, 3);
        List<Layout> drawn;
        try {
            LayoutSearch search = search(shape, budgetUnits, toleranceUnits);
            search.requireFeasibleBudget();
            drawn = new ArrayList<>(search.sample(samples, seed));
        } catch (LayoutException none) {
            return null;
        }
        if (drawn.isEmpty()) {
            return null;
        }
        drawn.sort(Comparator.comparingDouble((Layout l) -> Energy.of(l)).thenComparing(Comparator.naturalOrder()));
        Layout median = drawn.get((drawn.size() - 1) / 2);
        return of(Family.PLAIN, PlainCnnSpec.of(median, channels, classes, imageSize), shape.totalWeights(median.widths()), true);
    }

    private LayoutSearch search(NetworkShape shape, long units, long tol) {
        return new LayoutSearch(shape, Budget.units(shape, units, Math.min(tol, units - 1)), order).limitSteps(SEARCH_STEPS);
    }

    /** The k best layouts of a shape: exact up to {@link #EXACT_DEPTH} units, the heuristic beyond; empty when none fits. */
    private List<ScoredLayout> topLayouts(NetworkShape shape, long units, long tol, int k) {
        try {
            LayoutSearch search = search(shape, units, tol);
            search.requireFeasibleBudget();
            if (shape.depth() <= EXACT_DEPTH) {
                try {
                    return search.top(k);
                } catch (StepLimitException tooLong) {
                    // fall through to the heuristic on a fresh step budget
                }
            }
            return new DeepLayoutHeuristic(search(shape, units, tol)).run(k).best();
        } catch (LayoutException none) {
            return List.of();
        }
    }

    private Candidate of(Family family, ModelSpec spec, long convWeights, boolean exact) {
        ModelSpec seen = spec instanceof RescaledSpec r ? r.scaled() : spec;
        int[] widths = convWidths(seen);
        return new Candidate(family, ModelCatalog.format(spec), spec, widths.length, convWeights, budgetWeights(),
                Energy.of(widths), MultiplyAdds.of(spec, imageSize, imageSize), exact);
    }

    /** The output width of every conv the forward pass applies (ResNet: per conv layer of its units). */
    static int[] convWidths(ModelSpec spec) {
        if (spec instanceof PlainCnnSpec p) {
            return p.widths().clone();
        }
        if (spec instanceof BlockResNetSpec r) {
            List<Integer> w = new ArrayList<>();
            for (int u = 0; u < r.widths().length; u++) {
                for (int l = 0; l < r.repeats()[u]; l++) {
                    w.add(r.widths()[u]);
                }
            }
            return w.stream().mapToInt(Integer::intValue).toArray();
        }
        if (spec instanceof DacnnSpec d) {
            List<Integer> w = new ArrayList<>(List.of(d.widths().get(0)));
            for (int s = 0; s < d.widths().size(); s++) {
                for (int c = 0; c < d.units().get(s) * (d.residual() ? 2 : 1); c++) {
                    w.add(d.widths().get(s));
                }
            }
            return w.stream().mapToInt(Integer::intValue).toArray();
        }
        throw new IllegalArgumentException("no conv widths for " + spec.describe());
    }
}
