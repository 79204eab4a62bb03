package io.parsimony.cli.train;

import io.parsimony.cli.output.Output;
import io.parsimony.layout.Layout;
import io.parsimony.layout.NetworkShape;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.Split;
import io.parsimony.nn.model.PlainCnnSpec;
import io.parsimony.nn.train.TrainingListener;
import io.parsimony.nn.train.TrainingRun;
import io.parsimony.search.Budget;
import io.parsimony.search.LayoutSearch;
import io.parsimony.search.Order;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import io.parsimony.cli.options.DataOptions;
import io.parsimony.cli.options.RecipeOptions;
import io.parsimony.cli.options.RunOptions;
import java.nio.file.Path;

import java.util.ArrayList;
import java.util.List;

/**
 * The main job: seed 001's claim in one command. For one budget, the layout of maximal
 * energy and the layout of minimal energy (same parameter count) are trained with the same
 * recipe on the same data, and compared.
 */
@Command(name = "extremes", mixinStandardHelpOptions = true,
        description = {"Train the max-energy and min-energy layouts of one budget side by side (the main job).",
                "Without --budget/--layers: 4,288 units over 4 conv layers (Table 5 of seed 001)."})
public final class ExtremesCommand implements Runnable {

    @Mixin
    io.parsimony.cli.options.LayersOption depth;

    @Mixin
    io.parsimony.cli.options.BudgetOptions space;


    @Mixin
    DataOptions data;

    @Mixin
    RecipeOptions recipe;

    @Mixin
    RunOptions runs;

    @Mixin
    Output output;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        ImageSet train = data.load(Split.TRAIN);
        ImageSet test = data.load(Split.TEST);
        int layers = depth.layersOr(4);
        if (layers < 1) {
            throw new io.parsimony.cli.output.UserException("--layers must be at least 1, got " + layers);
        }
        NetworkShape shape = NetworkShape.plain(train.channels(), layers, 3);
        Budget budget = space.budgetOr(shape, 4288);
        LayoutSearch search = new LayoutSearch(shape, budget, space.order());
        search.requireFeasibleBudget();
        var best = search.top(1);
        if (best.isEmpty()) {
            throw new io.parsimony.cli.output.UserException("no " + layers + "-layer layout meets the budget of " + budget.target()
                    + " weights; pick another budget (e.g. 4288 units) or allow a band with --tolerance");
        }
        Layout max = best.get(0).layout();
        Layout min = search.lowest(1).get(0).layout();
        Path base = runs.directory("extremes");
        var out = spec.commandLine().getOut();
        if (!output.json()) {
            out.printf("budget %s, %d convs, %s: max-energy %s vs min-energy %s%n", describe(budget), layers, train.name(), max, min);
            out.flush();
        }
        List<RunTable.Entry> entries = new ArrayList<>();
        for (Layout l : List.of(max, min)) {
            String role = l == max ? "max energy" : "min energy";
            PlainCnnSpec m = PlainCnnSpec.of(l, train.channels(), train.classes(), Math.min(train.height(), train.width()));
            TrainingListener listener = runs.listener(role, output.json());
            Path dir = base.resolve(l == max ? "max-energy" : "min-energy");
            entries.add(new RunTable.Entry(role, new TrainingRun(m, recipe.recipe(), dir).listener(listener).run(train, test, false)));
        }
        io.parsimony.cli.output.ResultFile.writeJson(base.resolve("extremes.json"), entries);
        if (output.json()) {
            Output.writeJson(out, entries);
            return;
        }
        RunTable.print(out, entries);
        out.println("runs in " + base + " (one directory per layout; extremes.json holds both results)");
        out.flush();
    }

    /** "4,288 units" as the paper states budgets, or raw weights when they are not a whole number of k² units. */
    private static String describe(Budget b) {
        String band = b.tolerance() == 0 ? "" : String.format(" (-%,d)", b.tolerance() / 9);
        return b.target() % 9 == 0 && b.tolerance() % 9 == 0 ? String.format("%,d units", b.target() / 9) + band
                : String.format("%,d weights", b.target()) + (b.tolerance() == 0 ? "" : String.format(" (-%,d)", b.tolerance()));
    }
}
