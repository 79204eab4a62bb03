package io.parsimony.cli.bench;

import io.parsimony.cli.output.Output;
import io.parsimony.cli.output.Output.Col;
import io.parsimony.search.bench.LayoutBench;
import io.parsimony.search.bench.LayoutBench.Case;
import io.parsimony.search.bench.LayoutBench.Row;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code bench layout}: exact top-6 search times beside a brute-force enumeration in the same run,
 * measured by {@link LayoutBench}; this command parses, calls and prints.
 */
@Command(name = "layout", mixinStandardHelpOptions = true,
        description = "Time exact top-6 layout search against brute-force enumeration (same run).")
public final class LayoutBenchCommand implements Runnable {

    @Option(names = "--runs", defaultValue = "15", description = "Timed runs per case after warm-up (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--brute-force-timeout", defaultValue = "60", paramLabel = "SECONDS",
            description = "Stop a brute-force reference after this long and report it as a lower bound (default: ${DEFAULT-VALUE}).")
    long bruteForceTimeout;

    @Mixin
    Output output;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        LayoutBench bench = new LayoutBench(runs, bruteForceTimeout);
        PrintWriter out = spec.commandLine().getOut();
        List<Row> rows = new ArrayList<>();
        for (Case c : LayoutBench.CASES) {
            if (!output.json()) {
                out.printf("timing C=%,d N=%d ...%n", c.budgetUnits(), c.layers());
                out.flush();
            }
            rows.add(bench.measure(c));
        }
        if (output.json()) {
            Output.writeJson(out, rows);
            return;
        }
        Output.writeTable(out, rows,
                Col.right("C (units)", r -> Output.thousands(r.budgetUnits())),
                Col.right("N", r -> String.valueOf(r.layers())),
                Col.left("best layout", Row::best),
                Col.right("energy", r -> Output.fixed(r.energy(), 2)),
                Col.right("parsimony median ms", r -> Output.fixed(r.medianMillis(), 2)),
                Col.right("brute force ms", r -> r.bruteForceMillis() == null ? r.bruteForce() : Output.fixed(r.bruteForceMillis(), 0)),
                Col.right("speed-up", r -> r.speedup() == null ? "-"
                        : (r.bruteForceMillis() == null ? "> " : "") + String.format("%,.0fx", r.speedup())));
        out.printf("java %s, %d cores; exact top-6, strict order, n0=3, 3x3 kernels%n",
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
    }
}
