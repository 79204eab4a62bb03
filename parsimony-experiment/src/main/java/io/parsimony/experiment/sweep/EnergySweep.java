package io.parsimony.experiment.sweep;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.parsimony.InputException;
import io.parsimony.energy.Energy;
import io.parsimony.layout.Layout;
import io.parsimony.layout.NetworkShape;
import io.parsimony.nn.model.BlockResNetSpec;
import io.parsimony.nn.model.ModelCatalog;
import io.parsimony.nn.model.ModelSpec;
import io.parsimony.nn.model.PlainCnnSpec;
import io.parsimony.nn.train.TrainingRecipe;
import io.parsimony.search.Budget;
import io.parsimony.search.LayoutSearch;
import io.parsimony.search.Order;
import io.parsimony.search.ScoredLayout;
import io.parsimony.experiment.job.Hashing;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Seed 001's experiment (Figs. 3–5): for one budget and network shape, {@code samples} feasible
 * layouts drawn uniformly at random (seeded) plus the {@code top} layouts of highest energy,
 * each trained with the same recipe on the same data. A layout drawn at random that is also
 * in the top-k is trained once and counts in both groups.
 *
 * @param budget      conv budget in k² units (the paper's tables)
 * @param layers      conv layers (plain) or block units (residual)
 * @param repeats     conv layers per block unit for the block-unit ResNet (Table 3/4), or null for plain CNNs
 * @param order       width order constraint (strict, as in the paper)
 * @param tolerance   accept counts in [budget − tolerance, budget] units
 * @param samples     random layouts (the paper: 32)
 * @param sampleSeed  seed of the random draw
 * @param top         top-energy layouts (the paper: 6)
 * @param data        data set name or directory
 * @param recipe      the one training recipe of every run
 */
public record EnergySweep(long budget, int layers, int[] repeats, String order, long tolerance, int samples,
                          long sampleSeed, int top, String data, TrainingRecipe recipe) {

    public static final String KIND = "energy";

    public EnergySweep {
        if (samples < 0 || top < 0 || samples + top == 0) {
            throw new InputException("a sweep needs --samples ≥ 0 and --top ≥ 0, not both 0 (got " + samples + " and " + top + ")");
        }
        if (budget < 1) {
            throw new InputException("--budget must be positive, got " + budget);
        }
        if (tolerance < 0) {
            throw new InputException("--tolerance must be ≥ 0, got " + tolerance);
        }
        if (repeats != null && repeats.length != layers) {
            throw new InputException("--repeats lists " + repeats.length + " units but --layers is " + layers + "; make them agree");
        }
        if (layers < 1) {
            throw new InputException("--layers must be at least 1, got " + layers);
        }
        Order.parse(order);
    }

    /** One training of the plan. */
    public record PlannedRun(int position, Layout layout, String roles, double energy, long convWeights, ModelSpec spec,
                             String model, String runKey) {
        public boolean top() {
            return roles.contains("top");
        }
    }

    @JsonIgnore
    public boolean residual() {
        return repeats != null;
    }

    /** Identity of the sweep: the hash of its definition (workers and output options are not part of it). */
    @JsonIgnore
    public String key() {
        return Hashing.sha256(Hashing.json(this)).substring(0, 16);
    }

    public NetworkShape shape(int inputChannels) {
        return residual() ? NetworkShape.residual(inputChannels, repeats, 3) : NetworkShape.plain(inputChannels, layers, 3);
    }

    /** A one-line description, e.g. "plain CNN, 4 convs, 4,288 units: 32 random + top-6 layouts on fashion-mnist". */
    @JsonIgnore
    public String title() {
        String net = residual() ? "block-unit ResNet, repeats " + Layout.of(repeats) : "plain CNN, " + layers + " convs";
        return String.format("%s, %,d units%s: %d random + top-%d layouts on %s", net, budget,
                tolerance > 0 ? " (−" + tolerance + ")" : "", samples, top, data);
    }

    /**
     * The runs to train, top-energy layouts first (best first), then the random draw in the
     * order drawn; duplicates are merged.
     */
    public List<PlannedRun> plan(int channels, int classes, int imageSize) {
        NetworkShape shape = shape(channels);
        LayoutSearch search = new LayoutSearch(shape, Budget.units(shape, budget, tolerance), Order.parse(order));
        search.requireFeasibleBudget();
        List<ScoredLayout> best = top > 0 ? search.top(top) : List.of();
        List<Layout> drawn = samples > 0 ? search.sample(samples, sampleSeed) : List.of();
        if (best.isEmpty() && drawn.isEmpty()) {
            throw new InputException(String.format("no %d-%s layout counts exactly %,d units (n0 = %d); pick another --budget "
                    + "(e.g. 4288) or allow a band with --tolerance", layers, residual() ? "unit" : "layer", budget, channels));
        }
        Map<Layout, String> roles = new LinkedHashMap<>();
        for (ScoredLayout s : best) {
            roles.put(s.layout(), "top");
        }
        for (Layout l : drawn) {
            roles.merge(l, "random", (a, b) -> a.contains("random") ? a : "random+" + a);
        }
        String recipeJson = Hashing.json(recipe);
        List<PlannedRun> out = new ArrayList<>();
        for (Map.Entry<Layout, String> e : roles.entrySet()) {
            Layout l = e.getKey();
            ModelSpec spec = residual() ? new BlockResNetSpec(channels, classes, l.widths(), repeats)
                    : PlainCnnSpec.of(l, channels, classes, imageSize);
            String key = Hashing.sha256(Hashing.json(spec) + "|" + data + "|" + recipeJson).substring(0, 16);
            out.add(new PlannedRun(out.size(), l, e.getValue(), Energy.of(l), shape.totalWeights(l.widths()), spec,
                    ModelCatalog.format(spec), key));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnergySweep s && Hashing.json(this).equals(Hashing.json(s));
    }

    @Override
    public int hashCode() {
        return Hashing.json(this).hashCode();
    }

    @Override
    public String toString() {
        return "EnergySweep" + Hashing.json(this) + (repeats == null ? "" : " repeats " + Arrays.toString(repeats));
    }
}
