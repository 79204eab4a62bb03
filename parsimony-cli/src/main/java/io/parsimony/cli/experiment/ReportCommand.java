package io.parsimony.cli.experiment;

import io.parsimony.cli.output.Output;
import io.parsimony.cli.output.UserException;
import io.parsimony.experiment.report.EnergyAnalysis;
import io.parsimony.experiment.report.HtmlReport;
import io.parsimony.experiment.report.SweepResults;
import io.parsimony.experiment.sweep.RerunCommand;
import io.parsimony.experiment.store.ResultStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code parsimony report STORE}: one self-contained HTML page of every sweep in a results store. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = "Write one self-contained HTML page for a results store: plots, correlations, run tables, re-run commands.")
public final class ReportCommand implements Runnable {

    @Parameters(index = "0", paramLabel = "STORE", converter = StoreConverter.class,
            description = "Results store written by 'parsimony sweep': " + StoreConverter.HELP + ".")
    io.parsimony.experiment.store.StoreLocation store;

    @Option(names = {"-o", "--out"}, paramLabel = "FILE", description = "HTML file to write (default: <store name>.html next to the store).")
    Path out;

    @Option(names = "--sweep", paramLabel = "ID", description = "Only this sweep (default: all).")
    Long sweep;

    @Option(names = "--bootstrap", defaultValue = "2000", paramLabel = "B", description = "Bootstrap resamples (default: ${DEFAULT-VALUE}).")
    int resamples;

    @Option(names = "--level", defaultValue = "0.95", description = "Confidence level (default: ${DEFAULT-VALUE}).")
    double level;

    @Option(names = "--bootstrap-seed", defaultValue = "0", paramLabel = "SEED", description = "Bootstrap seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    Output output;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        Path target = out != null ? out : ResultStore.sibling(store.anchor(), ".html");
        List<SweepResults> results;
        try (ResultStore s = ResultStore.openExisting(store)) {
            results = new ArrayList<>(SweepResults.load(s, new EnergyAnalysis(resamples, level, seed)));
        }
        if (sweep != null) {
            results.removeIf(r -> r.sweep().id() != sweep);
            if (results.isEmpty()) {
                throw new UserException("store " + store + " has no sweep " + sweep + "; run without --sweep to see all");
            }
        }
        StringBuilder cmd = new StringBuilder("parsimony report ").append(RerunCommand.quote(store.toString()))
                .append(" --out ").append(RerunCommand.quote(target.toString()));
        if (sweep != null) {
            cmd.append(" --sweep ").append(sweep);
        }
        if (resamples != 2000 || level != 0.95 || seed != 0) {
            cmd.append(" --bootstrap ").append(resamples).append(" --level ").append(level).append(" --bootstrap-seed ").append(seed);
        }
        String html = HtmlReport.render(store.toString(), results, cmd.toString());
        io.parsimony.cli.output.ResultFile.writeText(target, html);
        PrintWriter w = spec.commandLine().getOut();
        if (output.json()) {
            List<Map<String, Object>> docs = new ArrayList<>();
            for (SweepResults r : results) {
                Map<String, Object> d = new LinkedHashMap<>();
                d.put("sweep", r.sweep().id());
                d.put("title", r.sweep().title());
                d.put("planned", r.sweep().plannedRuns());
                d.put("done", r.done().size());
                d.put("failed", r.failed().size());
                d.put("analysis", r.analysis());
                d.put("throughput", r.throughput());
                docs.add(d);
            }
            Output.writeJson(w, Map.of("report", target.toString(), "sweeps", docs));
            return;
        }
        for (SweepResults r : results) {
            w.printf("sweep %d: %s%n  %s%n", r.sweep().id(), r.sweep().title(), r.headline());
            if (r.throughput() != null) {
                w.printf("  throughput: %s%n", r.throughput().line());
            }
        }
        w.printf("wrote %s (%,d KB)%n", target, (html.getBytes(StandardCharsets.UTF_8).length + 1023) / 1024);
        w.flush();
    }
}
