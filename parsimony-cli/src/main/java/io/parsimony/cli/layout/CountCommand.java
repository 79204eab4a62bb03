package io.parsimony.cli.layout;

import io.parsimony.cli.options.LayoutConverter;
import io.parsimony.cli.output.Output;
import io.parsimony.cli.output.Output.Col;
import io.parsimony.cli.options.ShapeOptions;
import io.parsimony.layout.LayerCount;
import io.parsimony.layout.Layout;
import io.parsimony.layout.ParameterCount;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.List;
import java.util.Map;

/** Eq. 1 with a per-layer breakdown. */
@Command(name = "count", mixinStandardHelpOptions = true,
        description = "Count the conv parameters of a layout, layer by layer (Eq. 1 of seed 001).")
public final class CountCommand implements Runnable {

    @Parameters(index = "0", paramLabel = "LAYOUT", converter = LayoutConverter.class,
            description = "Widths n1..nN, e.g. 35,36,37,43.")
    Layout layout;

    @Mixin
    ShapeOptions shapeOptions;

    @picocli.CommandLine.Option(names = {"-C", "--budget"}, paramLabel = "UNITS",
            description = "Check the layout against a budget in k² units (exit 2 if it does not fit).")
    Long budget;

    @Mixin
    Output output;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        var shape = shapeOptions.shape(layout.size());
        ParameterCount count = shape.count(layout);
        PrintWriter out = spec.commandLine().getOut();
        if (budget != null) {
            requireFits(shape, count);
        }
        if (output.json()) {
            Output.writeJson(out, Map.of("layout", layout.widths(), "layers", count.layers(),
                    "weights", count.weights(), "biases", count.biases(), "total", count.total(),
                    "units", Double.isNaN(count.units()) ? "mixed kernels" : count.units(),
                    "perUnit", count.perUnit()));
            return;
        }
        List<LayerCount> rows = count.layers();
        Output.writeTable(out, rows,
                Col.right("unit", r -> String.valueOf(r.unit())),
                Col.left("layer", r -> r.kind() == LayerCount.Kind.PROJECTION ? "1x1 projection" : "conv " + r.layer()),
                Col.right("in", r -> String.valueOf(r.inChannels())),
                Col.right("out", r -> String.valueOf(r.outChannels())),
                Col.right("kernel", r -> r.kernel() + "x" + r.kernel()),
                Col.right("weights", r -> Output.thousands(r.weights())),
                Col.right("biases", r -> Output.thousands(r.biases())));
        out.printf("layout %s: %s weights", layout, Output.thousands(count.weights()));
        if (count.biases() > 0) {
            out.printf(" + %s biases = %s", Output.thousands(count.biases()), Output.thousands(count.total()));
        }
        if (!Double.isNaN(count.units())) {
            out.printf(" = %s units of k²", Output.fixed(count.units(), count.units() % 1 == 0 ? 0 : 2));
        }
        out.println();
        if (budget != null) {
            out.printf("meets the budget of %s units exactly%n", Output.thousands(budget));
        }
        out.flush();
    }

    private void requireFits(io.parsimony.layout.NetworkShape shape, ParameterCount count) {
        int k = shape.uniformKernel();
        if (k < 0) {
            throw new io.parsimony.cli.output.UserException("--budget is in k² units and needs one kernel size; drop --kernels");
        }
        long target = io.parsimony.search.Budget.units(shape, budget, 0).target();   // refuses a budget past the limit
        long diff = count.total() - target;
        if (diff != 0) {
            throw new io.parsimony.cli.output.UserException(String.format(
                    "layout %s needs %s weights, %s the budget of %s units (%s weights) by %s; %s",
                    layout, Output.thousands(count.total()), diff > 0 ? "over" : "under", Output.thousands(budget),
                    Output.thousands(target), Output.thousands(Math.abs(diff)),
                    "run 'parsimony layout search' for layouts that meet it exactly"));
        }
    }
}
