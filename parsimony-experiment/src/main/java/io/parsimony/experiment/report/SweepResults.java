package io.parsimony.experiment.report;

import io.parsimony.experiment.store.ResultStore;
import io.parsimony.experiment.store.ResultStore.RunRow;
import io.parsimony.experiment.store.ResultStore.SweepRow;
import org.knowm.xchart.XYChart;

import java.util.ArrayList;
import java.util.List;

/** One sweep read back from a store: its row, its runs, the analysis of the finished ones and their plot. */
public record SweepResults(SweepRow sweep, List<RunRow> runs, EnergyAnalysis.Result analysis) {

    public static List<SweepResults> load(ResultStore store, EnergyAnalysis analysis) {
        List<SweepResults> out = new ArrayList<>();
        for (SweepRow s : store.sweeps()) {
            if (ResultStore.DESIGN_KIND.equals(s.kind())) {
                continue;   // a design has its own report (design.html); its rungs are no energy sweep
            }
            out.add(of(s, store.runs(s.id()), analysis));
        }
        return out;
    }

    public static SweepResults of(SweepRow sweep, List<RunRow> runs, EnergyAnalysis analysis) {
        return new SweepResults(sweep, runs, analysis.analyse(points(runs)));
    }

    /** Finished runs as plot points. */
    public static List<EnergyAnalysis.Point> points(List<RunRow> runs) {
        return runs.stream().filter(r -> r.done() && r.top1() != null)
                .map(r -> new EnergyAnalysis.Point(r.energy(), r.top1(), r.top(), r.random())).toList();
    }

    public List<RunRow> done() {
        return runs.stream().filter(RunRow::done).toList();
    }

    /** Runs per hour, images per second and where the run time went; null before a run finished. */
    public SweepThroughput throughput() {
        return SweepThroughput.of(runs);
    }

    public List<RunRow> failed() {
        return runs.stream().filter(r -> !r.done()).toList();
    }

    /** The scatter of this sweep, or null before any run finished. */
    public XYChart chart(int width, int height) {
        List<EnergyAnalysis.Point> p = points(runs);
        if (p.isEmpty()) {
            return null;
        }
        return EnergyPlot.chart(p, "Sweep " + sweep.id() + ": accuracy vs energy", width, height);
    }

    /** One line: "ρ = 0.62 [0.31, 0.84], r = ..., top-6 88.1% vs random 84.0% (+4.1 points [2.0, 6.3])". */
    public String headline() {
        EnergyAnalysis.Result a = analysis;
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%d/%d runs done", done().size(), sweep.plannedRuns()));
        if (!failed().isEmpty()) {
            sb.append(String.format(", %d failed", failed().size()));
        }
        sb.append("; ").append(corr("Spearman ρ", a.spearman(), a.level()));
        sb.append("; ").append(corr("Pearson r", a.pearson(), a.level()));
        var c = a.topVsRandom();
        if (c.top().n() > 0 && c.random().n() > 0) {
            sb.append(String.format("; top-energy mean %.2f%% (n=%d) vs random %.2f%% (n=%d): %+.2f points [%+.2f, %+.2f]",
                    100 * c.top().mean(), c.top().n(), 100 * c.random().mean(), c.random().n(), 100 * c.difference(),
                    100 * c.low(), 100 * c.high()));
        }
        var e = a.extremes();
        if (e != null && e.distinct()) {
            sb.append(String.format("; highest energy (%.2f) %.2f%%%s vs lowest (%.2f) %.2f%%%s: %+.2f points",
                    e.highest().energy(), 100 * e.highest().accuracy(), e.highest().tieNote(),
                    e.lowest().energy(), 100 * e.lowest().accuracy(), e.lowest().tieNote(), 100 * e.gap()));
        }
        return sb.toString();
    }

    static String corr(String name, EnergyAnalysis.Correlation c, double level) {
        if (!c.defined()) {
            return name + " n/a (needs ≥ 3 finished runs with different energies and accuracies)";
        }
        return String.format("%s = %.3f, %.0f%% CI [%.3f, %.3f]", name, c.value(), 100 * level, c.low(), c.high());
    }
}
