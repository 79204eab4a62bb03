package io.parsimony.cli.layout;

import io.parsimony.cli.options.BudgetOptions;
import io.parsimony.cli.options.LayersOption;
import io.parsimony.cli.output.Output;
import io.parsimony.cli.options.ShapeOptions;
import io.parsimony.cli.output.UserException;
import io.parsimony.layout.Layout;
import io.parsimony.layout.NetworkShape;
import io.parsimony.search.Budget;
import io.parsimony.search.LayoutSearch;
import io.parsimony.search.StepLimitException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The paper's protocol: m feasible layouts drawn uniformly, reproducible by seed. */
@Command(name = "sample", mixinStandardHelpOptions = true,
        description = "Draw a uniform random sample of feasible layouts (the 32-sample protocol of seed 001).")
public final class SampleCommand implements Runnable {


    @Option(names = "--samples", defaultValue = "32", paramLabel = "M", description = "Sample size (default: ${DEFAULT-VALUE}).")
    int samples;

    @Option(names = "--seed", defaultValue = "0", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    ShapeOptions shapeOptions;

    @Mixin
    LayersOption layers;

    @Mixin
    BudgetOptions budgetOptions;

    @Mixin
    Output output;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        if (samples < 1 || samples > LayoutSearch.MAX_RESULTS) {
            throw new UserException(String.format(java.util.Locale.ROOT, "--samples must be in [1, %,d], got %,d",
                    LayoutSearch.MAX_RESULTS, samples));
        }
        NetworkShape shape = shapeOptions.shape(layers.layers());
        Budget budget = budgetOptions.budget(shape);
        LayoutSearch search = new LayoutSearch(shape, budget, budgetOptions.order()).limitSteps(SearchCommand.STEP_LIMIT);
        search.requireFeasibleBudget();
        // a uniform sample reads every feasible layout once: refuse before, not after, a long wait
        SearchCommand.requireEnumerable(search, "sampling reads every feasible layout:", "narrow --tolerance");
        String capNote = SearchCommand.widthCapNote(search);
        boolean capped = capNote != null;
        List<Layout> drawn;
        try {
            drawn = search.sample(samples, seed);
        } catch (StepLimitException e) {
            throw new UserException(String.format(java.util.Locale.ROOT,
                    "sampling stopped at its limit of %,d steps (about 1 s); lower --budget or --layers",
                    SearchCommand.STEP_LIMIT));
        }
        if (drawn.isEmpty()) {
            throw new UserException("no layout" + (capped ? String.format(java.util.Locale.ROOT,
                    " with widths up to %,d", Layout.MAX_WIDTH) : "")
                    + " meets the budget exactly; allow a band with --tolerance or change the budget");
        }
        List<LayoutRow> rows = new ArrayList<>();
        for (int i = 0; i < drawn.size(); i++) {
            rows.add(LayoutRow.of(i + 1, shape, drawn.get(i), shape.totalWeights(drawn.get(i).widths())));
        }
        PrintWriter out = spec.commandLine().getOut();
        if (output.json()) {
            Output.writeJson(out, Map.of("seed", seed, "samples", rows));
            SearchCommand.printNotes(spec, java.util.Collections.singletonList(capNote));
            return;
        }
        out.println(LayoutRow.describe(shape, budget, budgetOptions.order()));
        if (drawn.size() < samples) {
            out.printf("only %d feasible layouts exist; all of them are listed%n", drawn.size());
        }
        LayoutRow.table(out, rows);
        out.flush();
        SearchCommand.printNotes(spec, java.util.Collections.singletonList(capNote));
    }
}
