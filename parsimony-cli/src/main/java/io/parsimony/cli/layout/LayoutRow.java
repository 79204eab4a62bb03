package io.parsimony.cli.layout;

import io.parsimony.cli.output.Output;
import io.parsimony.cli.output.Output.Col;
import io.parsimony.energy.Energy;
import io.parsimony.layout.Layout;
import io.parsimony.layout.NetworkShape;

import java.io.PrintWriter;
import java.util.List;

/** A feasible layout as the search and sample commands print it (table row or JSON object). */
record LayoutRow(int rank, int[] layout, long weights, Double units, double energy) {

    static LayoutRow of(int rank, NetworkShape shape, Layout layout, long weights) {
        int k = shape.uniformKernel();
        Double units = k < 0 || weights % ((long) k * k) != 0 ? null : (double) (weights / ((long) k * k));
        return new LayoutRow(rank, layout.widths(), weights, units, Energy.of(layout));
    }

    static void table(PrintWriter out, List<LayoutRow> rows) {
        Output.writeTable(out, rows,
                Col.right("#", r -> String.valueOf(r.rank())),
                Col.left("layout", r -> Layout.of(r.layout()).toString()),
                Col.right("units", r -> r.units() == null ? "-" : Output.thousands(r.units().longValue())),
                Col.right("weights", r -> Output.thousands(r.weights())),
                Col.right("energy", r -> Output.fixed(r.energy(), 4)));
    }

    static String describe(NetworkShape shape, io.parsimony.search.Budget budget, io.parsimony.search.Order order) {
        int k = shape.uniformKernel();
        String kind = shape.residual() ? "block units (residual)" : "conv layers";
        String band = budget.tolerance() == 0 ? "exactly" : "within [" + Output.thousands(budget.low()) + ", "
                + Output.thousands(budget.target()) + "] weights,";
        String units = k > 0 ? " (" + Output.thousands(budget.target() / ((long) k * k)) + " units of " + k + "x" + k + ")" : "";
        return String.format("%s-order layouts of %d %s, n0=%d: %s %s weights%s",
                order.name().toLowerCase().replace('_', '-'), shape.depth(), kind, shape.inputChannels(),
                band, Output.thousands(budget.target()), units);
    }
}
