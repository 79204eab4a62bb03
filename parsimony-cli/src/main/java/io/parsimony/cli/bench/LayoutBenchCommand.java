package io.parsimony.cli.bench;

import io.parsimony.cli.output.Output;
import io.parsimony.cli.output.Output.Col;
import io.parsimony.layout.NetworkShape;
import io.parsimony.search.Budget;
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
import java.util.Arrays;
import java.util.List;

/**
 * Exact top-6 strict search times (median after warm-up) beside a brute-force enumeration of
 * all N-tuples measured in the same run, and a check that both find the same best layout.
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

    record Case(long budgetUnits, int layers) {
    }

    record Row(long budgetUnits, int layers, String best, double energy, double medianMillis, double minMillis,
               String bruteForce, Double bruteForceMillis, Long bruteForceTuples, Double speedup) {
    }

    @Override
    public void run() {
        if (runs < 1) {
            throw new io.parsimony.cli.output.UserException("--runs must be at least 1, got " + runs);
        }
        if (bruteForceTimeout < 0 || bruteForceTimeout > 86_400) {
            throw new io.parsimony.cli.output.UserException("--brute-force-timeout must be in [0, 86400] seconds, got " + bruteForceTimeout);
        }
        PrintWriter out = spec.commandLine().getOut();
        List<Case> cases = List.of(new Case(4_288, 4), new Case(66_304, 4), new Case(1_000_000, 6));
        List<Row> rows = new ArrayList<>();
        for (Case c : cases) {
            if (!output.json()) {
                out.printf("timing C=%,d N=%d ...%n", c.budgetUnits(), c.layers());
                out.flush();
            }
            rows.add(measure(c));
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

    private Row measure(Case c) {
        NetworkShape shape = NetworkShape.plain(3, c.layers(), 3);
        LayoutSearch search = new LayoutSearch(shape, Budget.units(shape, c.budgetUnits(), 0), Order.STRICT);
        List<ScoredLayout> top = search.top(6);
        // warm-up by time as well as count, so the JIT has compiled the search before timing
        long warmUntil = System.nanoTime() + 2_000_000_000L;
        for (int i = 0; i < 3 || System.nanoTime() < warmUntil && i < 50; i++) {
            stopIfInterrupted();
            search.top(6);
        }
        int n = c.layers() >= 6 ? Math.max(3, runs / 5) : runs;
        double[] ms = new double[n];
        for (int i = 0; i < n; i++) {
            stopIfInterrupted();
            long t = System.nanoTime();
            search.top(6);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(ms);
        String best = top.get(0).layout().toString();
        BruteForceTopK brute = new BruteForceTopK(c.layers(), c.budgetUnits(), 6, bruteForceTimeout * 1_000_000_000L);
        long t = System.nanoTime();
        List<double[]> ref = brute.run(3);
        stopIfInterrupted();
        double bruteMs = (System.nanoTime() - t) / 1e6;
        if (brute.timedOut) {
            return new Row(c.budgetUnits(), c.layers(), best, top.get(0).energy(), ms[n / 2], ms[0],
                    String.format("> %,.0f (stopped, %,d tuples seen)", bruteMs, brute.visited), null, brute.visited,
                    bruteMs / ms[n / 2]);
        }
        double[] refBest = ref.get(0);
        int[] refWidths = Arrays.stream(refBest, 1, refBest.length).mapToInt(v -> (int) v).toArray();
        if (Math.abs(refBest[0] - top.get(0).energy()) > 1e-9 * refBest[0]) {
            throw new IllegalStateException("search and brute force disagree: " + best + " vs " + Arrays.toString(refWidths));
        }
        return new Row(c.budgetUnits(), c.layers(), best, top.get(0).energy(), ms[n / 2], ms[0], "ran",
                bruteMs, brute.visited, bruteMs / ms[n / 2]);
    }


    /** A benchmark is long by design; an embedding program (or a test's time cap) may stop it between timings. */
    private static void stopIfInterrupted() {
        if (Thread.currentThread().isInterrupted()) {
            throw new io.parsimony.InterruptedWorkException("bench layout interrupted; no figures were printed for the unfinished case");
        }
    }
}
