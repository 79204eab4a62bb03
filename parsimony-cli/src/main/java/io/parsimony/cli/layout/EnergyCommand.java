package io.parsimony.cli.layout;

import io.parsimony.cli.options.LayoutConverter;
import io.parsimony.cli.output.Output;
import io.parsimony.cli.output.Output.Col;
import io.parsimony.energy.Energy;
import io.parsimony.layout.Layout;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Eq. 2–3: Π ln n_i, one factor per conv layer (plain) or block unit (residual). */
@Command(name = "energy", mixinStandardHelpOptions = true,
        description = "Energy of layouts: the product of ln(width) over units (Eq. 2-3 of seed 001).")
public final class EnergyCommand implements Runnable {

    @Parameters(arity = "1..*", paramLabel = "LAYOUT", converter = LayoutConverter.class,
            description = "One or more layouts, e.g. 35,36,37,43 8,16,32,64.")
    List<Layout> layouts;

    @Mixin
    Output output;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        PrintWriter out = spec.commandLine().getOut();
        List<Map<String, Object>> rows = layouts.stream().map(EnergyCommand::row).toList();
        if (output.json()) {
            Output.writeJson(out, rows);
            return;
        }
        Output.writeTable(out, rows,
                Col.left("layout", r -> Layout.of((int[]) r.get("layout")).toString()),
                Col.left("factors ln(n_i)", r -> Arrays.stream((double[]) r.get("factors"))
                        .mapToObj(f -> String.format("%.4f", f)).collect(Collectors.joining(" x "))),
                Col.right("energy", r -> Output.fixed((double) r.get("energy"), 4)));
        for (Layout l : layouts) {
            int[] ones = Energy.zeroWidthUnits(l);
            if (ones.length > 0) {
                out.println("note: " + l + " has width 1 at unit " + Arrays.toString(ones)
                        + "; ln 1 = 0, so its energy is 0 (a single feature map carries no entropy)");
            }
        }
        out.flush();
    }

    private static Map<String, Object> row(Layout l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("layout", l.widths());
        m.put("factors", Energy.factors(l));
        m.put("energy", Energy.of(l));
        return m;
    }
}
