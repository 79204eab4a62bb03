package io.parsimony.cli.layout;

import io.parsimony.cli.BudgetOptions;
import io.parsimony.cli.Output;
import io.parsimony.cli.ShapeOptions;
import io.parsimony.cli.UserException;
import io.parsimony.layout.Layout;
import io.parsimony.layout.NetworkShape;
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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Eq. 4: top-k by energy (exact, or heuristic with a proven bound), the count, or every layout streamed. */
@Command(name = "search", mixinStandardHelpOptions = true,
        description = "Find the layouts of maximal energy whose count meets the budget (Eq. 4 of seed 001).")
public final class SearchCommand implements Runnable {

    /** Above this depth "auto" switches to the heuristic: exact search time grows steeply with N. */
    static final int EXACT_AUTO_MAX_DEPTH = 6;

    @Option(names = {"-N", "--layers"}, paramLabel = "N", description = "Number of conv layers (plain) or block units.")
    Integer layers;

    @Option(names = "--top", defaultValue = "6", paramLabel = "K", description = "How many best layouts (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--method", defaultValue = "auto", paramLabel = "auto|exact|heuristic",
            description = "exact branch-and-bound, or the relaxation heuristic with a proven upper bound; auto = exact up to N="
                    + EXACT_AUTO_MAX_DEPTH + " (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--count", description = "Also count every feasible layout.")
    boolean count;

    @Option(names = "--all", description = "Stream every feasible layout (lexicographic order) instead of the top-k.")
    boolean all;

    @Mixin
    ShapeOptions shapeOptions;

    @Mixin
    BudgetOptions budgetOptions;

    @Mixin
    Output output;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        NetworkShape shape = shapeOptions.shape(layers);
        Budget budget = budgetOptions.budget(shape);
        Order order = budgetOptions.order();
        LayoutSearch search = new LayoutSearch(shape, budget, order);
        search.requireFeasibleBudget();
        PrintWriter out = spec.commandLine().getOut();
        if (all) {
            streamAll(search, shape, out);
            return;
        }
        if (top < 1) {
            throw new UserException("--top must be at least 1, got " + top);
        }
        boolean exact = switch (method.toLowerCase(Locale.ROOT)) {
            case "exact" -> true;
            case "heuristic" -> false;
            case "auto" -> shape.depth() <= EXACT_AUTO_MAX_DEPTH;
            default -> throw new UserException("unknown --method '" + method + "': use auto, exact or heuristic");
        };
        long t0 = System.nanoTime();
        List<ScoredLayout> best;
        Double upperBound = null;
        if (exact) {
            best = search.top(top);
        } else {
            DeepLayoutHeuristic.Result r = new DeepLayoutHeuristic(search).run(top);
            best = r.best();
            upperBound = r.upperBound();
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        Long feasible = count ? search.count() : null;
        if (best.isEmpty()) {
            throw new UserException("no layout of " + shape.depth() + " units meets the budget exactly; "
                    + "allow a band with --tolerance, change the budget, or relax --order");
        }
        List<LayoutRow> rows = new ArrayList<>();
        for (int i = 0; i < best.size(); i++) {
            rows.add(LayoutRow.of(i + 1, shape, best.get(i).layout(), best.get(i).weights()));
        }
        if (output.json()) {
            Map<String, Object> doc = new LinkedHashMap<>();
            doc.put("method", exact ? "exact" : "heuristic");
            doc.put("order", order.name().toLowerCase(Locale.ROOT).replace('_', '-'));
            doc.put("layers", shape.depth());
            doc.put("budgetWeights", budget.target());
            doc.put("toleranceWeights", budget.tolerance());
            if (feasible != null) {
                doc.put("feasible", feasible);
            }
            doc.put("top", rows);
            if (upperBound != null) {
                doc.put("energyUpperBound", upperBound);
                doc.put("gap", upperBound / rows.get(0).energy() - 1);
            }
            doc.put("millis", ms);
            Output.writeJson(out, doc);
            return;
        }
        out.println(LayoutRow.describe(shape, budget, order));
        if (feasible != null) {
            out.printf("feasible layouts: %s%n", Output.thousands(feasible));
        }
        LayoutRow.table(out, rows);
        if (upperBound != null) {
            out.printf("heuristic: best energy %.4f, proven upper bound %.4f, gap at most %.3f%%%n",
                    rows.get(0).energy(), upperBound, 100 * (upperBound / rows.get(0).energy() - 1));
        } else {
            out.printf("exact top-%d in %.1f ms%n", top, ms);
        }
        out.flush();
    }

    private void streamAll(LayoutSearch search, NetworkShape shape, PrintWriter out) {
        long[] n = {0};
        search.forEach((w, weights) -> {
            n[0]++;
            Layout l = new Layout(w.clone());
            if (output.json()) {
                Output.writeJsonLine(out, LayoutRow.of(0, shape, l, weights));
            } else {
                out.println(l + "\t" + weights + "\t" + String.format("%.4f", io.parsimony.energy.Energy.of(l)));
            }
        });
        if (!output.json()) {
            spec.commandLine().getErr().println(n[0] + " feasible layouts");
        }
        out.flush();
    }
}
