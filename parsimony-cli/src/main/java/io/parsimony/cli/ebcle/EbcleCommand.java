package io.parsimony.cli.ebcle;

import io.parsimony.cli.output.Output;
import io.parsimony.cli.options.DataOptions;
import io.parsimony.experiment.ebcle.DatasetEntropy;
import io.parsimony.experiment.ebcle.DepthBound;
import io.parsimony.layout.NetworkShape;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.Split;
import io.parsimony.search.Budget;
import io.parsimony.search.DeepLayoutHeuristic;
import io.parsimony.search.LayoutSearch;
import io.parsimony.search.Order;
import io.parsimony.search.ScoredLayout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/** Seed 003: entropy figures of a data set and the depth bound they imply; with --budget, the layout that spends it within the bound. */
@Command(name = "ebcle", mixinStandardHelpOptions = true, subcommands = ProbeCommand.class,
        description = "Entropy-based upper bound on useful conv depth for a data set (seed 003).")
public final class EbcleCommand implements Runnable {

    @Mixin
    DataOptions data;

    @Mixin
    BoundOptions bound;

    @Option(names = {"-C", "--budget"}, paramLabel = "UNITS",
            description = "Also propose the max-energy plain layout of this budget (k² units) within the bounded depth.")
    Long budget;

    @Option(names = "--deeper", paramLabel = "LAYERS",
            description = "With --budget, also propose the max-energy plain layout of the same budget at this depth (above the"
                    + " bound): seed 003's narrower but deeper baseline, and print the compare command that trains both.")
    Integer deeper;

    @Mixin
    Output output;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        ImageSet train = data.load(Split.TRAIN);
        DatasetEntropy e = DatasetEntropy.of(train);
        DepthBound.Result b = bound.constants().apply(e.meanImageEntropy(), Math.min(train.height(), train.width()));
        if (deeper != null && budget == null) {
            throw new io.parsimony.cli.output.UserException("--deeper needs --budget: the deeper baseline spends the same budget");
        }
        if (deeper != null && (deeper <= b.maxConvLayers() || deeper > MAX_DEEPER_FACTOR * b.maxConvLayers())) {
            throw new io.parsimony.cli.output.UserException(String.format("--deeper must be above the bound of %d conv layers and at most"
                    + " %d x the bound, got %d", b.maxConvLayers(), MAX_DEEPER_FACTOR, deeper));
        }
        ScoredLayout proposal = budget == null ? null : propose(train.channels(), b.maxConvLayers(), budget);
        ScoredLayout baseline = deeper == null ? null : propose(train.channels(), deeper, budget);
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("entropy", e);
            doc.put("bound", b);
            if (proposal != null) {
                doc.put("proposal", Map.of("layout", proposal.layout().widths(), "weights", proposal.weights(), "energy", proposal.energy()));
            }
            if (baseline != null) {
                doc.put("deeper", Map.of("layout", baseline.layout().widths(), "weights", baseline.weights(), "energy", baseline.energy()));
                doc.put("compare", compareCommand(proposal, baseline));
            }
            Output.writeJson(out, doc);
            return;
        }
        out.printf("%s: %,d images %dx%dx%d%n", e.data(), e.images(), e.channels(), e.height(), e.width());
        out.printf("per-image entropy (pooled over channels): %.3f ± %.3f bits%n", e.meanImageEntropy(), e.stdImageEntropy());
        for (int c = 0; c < e.channels() && e.channels() > 1; c++) {
            out.printf("  channel %d: %.3f ± %.3f bits%n", c, e.meanChannelEntropy()[c], e.stdChannelEntropy()[c]);
        }
        out.printf("entropy of the whole set's intensity distribution: %.3f bits%n", e.setEntropy());
        out.printf("EBCLE bound: %d stages (side %d down to %.0f px) x %d layers (%.2f bits / %.2f bits per layer) = %d conv layers%n",
                b.stages(), b.resolution(), b.constants().minFeatureMap(), b.layersPerStage(), b.bits(),
                b.constants().bitsPerLayer(), b.maxConvLayers());
        if (proposal != null) {
            out.printf("broader but shallower: %d-layer layout %s spends %,d units (energy %.2f)%n",
                    proposal.layout().size(), proposal.layout(), budget, proposal.energy());
        }
        if (baseline != null) {
            out.printf("narrower but deeper: %d-layer layout %s spends %,d units (energy %.2f)%n",
                    baseline.layout().size(), baseline.layout(), budget, baseline.energy());
            out.printf("train both: %s%n", compareCommand(proposal, baseline));
        }
        out.flush();
    }

    /** How far past the bound --deeper may go (the heuristic's time grows with the depth). */
    static final int MAX_DEEPER_FACTOR = 4;

    private String compareCommand(ScoredLayout bounded, ScoredLayout deep) {
        return "parsimony compare " + spec(bounded) + " " + spec(deep) + " --data " + data.name() + " --seeds 3";
    }

    private static String spec(ScoredLayout l) {
        return "plain:" + java.util.Arrays.stream(l.layout().widths()).mapToObj(String::valueOf)
                .collect(java.util.stream.Collectors.joining(","));
    }

    /** The max-energy strict plain layout of the budget at the bounded depth (exact up to 6 layers, else the heuristic). */
    static ScoredLayout propose(int channels, int depth, long budgetUnits) {
        NetworkShape shape = NetworkShape.plain(channels, depth, 3);
        LayoutSearch search = new LayoutSearch(shape, Budget.units(shape, budgetUnits, 0), Order.STRICT);
        search.requireFeasibleBudget();
        var best = depth <= 6 ? search.top(1) : new DeepLayoutHeuristic(search).run(1).best();
        if (best.isEmpty()) {
            throw new io.parsimony.cli.output.UserException("no " + depth + "-layer layout counts exactly " + budgetUnits
                    + " units; try a nearby budget");
        }
        return best.get(0);
    }
}
