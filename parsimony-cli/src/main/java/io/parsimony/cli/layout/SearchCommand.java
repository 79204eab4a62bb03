package io.parsimony.cli.layout;

import io.parsimony.cli.options.BudgetOptions;
import io.parsimony.cli.options.LayersOption;
import io.parsimony.cli.output.Output;
import io.parsimony.cli.options.ShapeOptions;
import io.parsimony.cli.output.UserException;
import io.parsimony.layout.Layout;
import io.parsimony.layout.NetworkShape;
import io.parsimony.search.Budget;
import io.parsimony.search.DeepLayoutHeuristic;
import io.parsimony.search.LayoutSearch;
import io.parsimony.search.Order;
import io.parsimony.search.ScoredLayout;
import io.parsimony.search.StepLimitException;
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


    @Option(names = "--top", defaultValue = "6", paramLabel = "K", description = "How many best layouts (default: ${DEFAULT-VALUE}).")
    int top;

    @Option(names = "--method", defaultValue = "auto", paramLabel = "auto|exact|heuristic",
            description = "exact branch-and-bound, or the relaxation heuristic with a proven upper bound; auto = exact up to N="
                    + EXACT_AUTO_MAX_DEPTH + " while its work fits the step limit (default: ${DEFAULT-VALUE}).")
    String method;

    @Option(names = "--count", description = "Also count every feasible layout.")
    boolean count;

    @Option(names = "--all", description = "Stream every feasible layout (lexicographic order) instead of the top-k.")
    boolean all;

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

    /** Steps any one search of this command may take; see {@link LayoutSearch#INTERACTIVE_STEPS}. */
    static final long STEP_LIMIT = LayoutSearch.INTERACTIVE_STEPS;

    @Override
    public void run() {
        NetworkShape shape = shapeOptions.shape(layers.layers());
        Budget budget = budgetOptions.budget(shape);
        Order order = budgetOptions.order();
        LayoutSearch search = limited(shape, budget, order);
        search.requireFeasibleBudget();
        PrintWriter out = spec.commandLine().getOut();
        if (all) {
            requireEnumerable(search, "--all would stream", "use --top K for the best layouts only");
            note(widthCapNote(search));
            streamAll(search, shape, out);
            printNotes(spec, notes);
            return;
        }
        if (top < 1 || top > LayoutSearch.MAX_RESULTS) {
            throw new UserException(String.format(Locale.ROOT, "--top must be in [1, %,d], got %,d; use --all to stream every layout",
                    LayoutSearch.MAX_RESULTS, top));
        }
        String chosen = method.toLowerCase(Locale.ROOT);
        boolean exact = switch (chosen) {
            case "exact" -> true;
            case "heuristic" -> false;
            case "auto" -> shape.depth() <= EXACT_AUTO_MAX_DEPTH;
            default -> throw new UserException("unknown --method '" + method + "': use auto, exact or heuristic");
        };
        if (count) {   // refuse an impossible count before any search time is spent
            requireEnumerable(search, "--count would visit", "drop --count");
        }
        String capNote = widthCapNote(search);
        boolean capped = capNote != null;
        note(capNote);
        long t0 = System.nanoTime();
        List<ScoredLayout> best = null;
        Double upperBound = null;
        if (exact) {
            best = exactTop(search, chosen.equals("auto"));
            exact = best != null;
        }
        if (best == null) {
            LayoutSearch heuristic = limited(shape, budget, order);
            DeepLayoutHeuristic.Result r;
            try {
                r = new DeepLayoutHeuristic(heuristic).run(top);
            } catch (StepLimitException e) {
                throw new UserException(String.format(Locale.ROOT,
                        "the heuristic found no layout within its limit of %,d steps (about 1 s); lower --budget or --layers",
                        STEP_LIMIT));
            } catch (io.parsimony.layout.LayoutException none) {
                if (!capped) {
                    throw none;
                }
                throw new UserException(String.format(Locale.ROOT, "no layout of %d units with widths up to %,d"
                        + " channels was found near the relaxed optimum; lower --budget or allow a band with --tolerance",
                        shape.depth(), Layout.MAX_WIDTH));
            }
            if (r.stoppedAtLimit()) {
                note(String.format(Locale.ROOT, "the heuristic stopped at its limit of %,d steps (about 1 s);"
                        + " these are the best layouts found until then", STEP_LIMIT));
            }
            best = r.best();
            upperBound = r.upperBound();
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        Long feasible = count ? countAll(limited(shape, budget, order)) : null;
        if (best.isEmpty()) {
            throw new UserException("no layout of " + shape.depth() + " units"
                    + (capped ? String.format(Locale.ROOT, " with widths up to %,d", Layout.MAX_WIDTH) : "")
                    + " meets the budget exactly; allow a band with --tolerance, change the budget, or relax --order");
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
            printNotes(spec, notes);
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
        printNotes(spec, notes);
    }

    /**
     * Auto skips the exact attempt where a full enumeration is estimated above this multiple of
     * the step limit: the bound-pruned search measured up to a few hundred times smaller than the
     * enumeration (N = 6, 1,000,000 units: 9e11 estimated, about 6e8 steps exact).
     */
    static final double AUTO_SKIP_FACTOR = 1000;

    private static LayoutSearch limited(NetworkShape shape, Budget budget, Order order) {
        return new LayoutSearch(shape, budget, order).limitSteps(STEP_LIMIT);
    }

    /**
     * The exact top-k, or null where auto should fall back to the heuristic: when a unit could
     * be wider than the search goes, or when the search reaches its step limit.
     */
    private List<ScoredLayout> exactTop(LayoutSearch search, boolean auto) {
        if (auto) {
            // bounds prune most of the tree, but not a thousandfold beyond the limit: skip a doomed attempt
            double full = search.estimate().steps();
            if (full > AUTO_SKIP_FACTOR * STEP_LIMIT) {
                note(String.format(Locale.ROOT, "a full enumeration would take about %s steps, far above the exact"
                        + " search's limit of %,d (about 1 s): using the heuristic instead (--method heuristic)",
                        about(full), STEP_LIMIT));
                return null;
            }
        }
        try {
            return search.top(top);
        } catch (StepLimitException e) {
            String size = String.format(Locale.ROOT,
                    "exact search stopped at its limit of %,d steps (about 1 s; a full enumeration would take about %s)",
                    STEP_LIMIT, about(limited(search.shape(), search.budget(), search.order()).estimate().steps()));
            if (!auto) {
                throw new UserException(size + "; use --method heuristic (or auto) for a layout with a proven bound");
            }
            note(size + ": using the heuristic instead (--method heuristic)");
            return null;
        }
    }

    private long countAll(LayoutSearch search) {
        try {
            return search.count();
        } catch (StepLimitException e) {
            throw new UserException(String.format(Locale.ROOT,
                    "counting stopped at its limit of %,d steps (about 1 s); drop --count, or lower --budget or --layers",
                    STEP_LIMIT));
        }
    }

    /**
     * Refuses a full enumeration that would be incomplete (a unit wider than the search goes)
     * or that its estimate puts above the step limit, naming the estimate and {@code fix}.
     */
    static void requireEnumerable(LayoutSearch search, String what, String fix) {
        LayoutSearch.Estimate e = search.estimate();
        if (e.probes() == 0 || e.steps() > STEP_LIMIT) {
            throw new UserException(String.format(Locale.ROOT,
                    "%s about %s feasible layouts in about %s steps, above the limit of %,d steps (about 1 s here);"
                            + " lower --budget or --layers, or %s",
                    what, about(e.layouts()), about(e.steps()), STEP_LIMIT, fix));
        }
    }

    /**
     * Layouts are searched up to {@link Layout#MAX_WIDTH} channels a unit (wider ones are not
     * layouts this program supports): the note that says so where the budget would allow wider
     * units, or null.
     */
    static String widthCapNote(LayoutSearch search) {
        return search.widestFeasibleWidth() <= Layout.MAX_WIDTH ? null : String.format(Locale.ROOT,
                "widths are searched up to %,d channels, the largest supported; under this budget wider units"
                        + " would be feasible and are left out", Layout.MAX_WIDTH);
    }

    /**
     * Prints notes after a successful answer, one line each on stderr (so --json output stays
     * one document, and a refusal stays a single line).
     */
    static void printNotes(CommandSpec spec, List<String> notes) {
        for (String n : notes) {
            if (n != null) {
                spec.commandLine().getErr().println("parsimony: " + n);
            }
        }
        spec.commandLine().getErr().flush();
    }

    /** An estimate for a message: a whole number up to a million, then two significant digits with an exponent. */
    static String about(double x) {
        return x < 1e6 ? String.format(Locale.ROOT, "%,d", Math.round(x)) : String.format(Locale.ROOT, "%.1e", x);
    }

    private final List<String> notes = new ArrayList<>();

    private void note(String message) {
        notes.add(message);
    }

    private void streamAll(LayoutSearch search, NetworkShape shape, PrintWriter out) {
        long[] n = {0};
        try {
            search.forEach((w, weights) -> {
                n[0]++;
                Layout l = new Layout(w.clone());
                if (output.json()) {
                    Output.writeJsonLine(out, LayoutRow.of(0, shape, l, weights));
                } else {
                    out.println(l + "\t" + weights + "\t" + String.format("%.4f", io.parsimony.energy.Energy.of(l)));
                }
            });
        } catch (StepLimitException e) {
            out.flush();
            throw new UserException(String.format(Locale.ROOT,
                    "--all stopped at its limit of %,d steps (about 1 s) after %,d layouts; lower --budget or --layers",
                    STEP_LIMIT, n[0]));
        }
        if (!output.json()) {
            spec.commandLine().getErr().println(n[0] + " feasible layouts");
        }
        out.flush();
    }
}
