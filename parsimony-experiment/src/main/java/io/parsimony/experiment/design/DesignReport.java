package io.parsimony.experiment.design;

import io.parsimony.experiment.design.Comparison.Difference;
import io.parsimony.experiment.design.Comparison.Group;
import io.parsimony.experiment.design.Design.Outcome;
import io.parsimony.experiment.design.Design.Rung;
import io.parsimony.experiment.report.EnergyPlot;
import io.parsimony.experiment.job.Software;
import io.parsimony.nn.model.DacnnSpec;
import io.parsimony.nn.model.ModelSpec;
import io.parsimony.nn.model.RescaledSpec;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.parsimony.experiment.report.HtmlReport.escape;

/**
 * The self-contained HTML page of a design: the final comparison (what the user came for), the
 * leaderboard of every candidate with the rung it reached, validation accuracy against rung
 * (inline SVG), the winner's layers, and the command that reruns (resumes) the design. No
 * scripts, no external resources.
 */
public final class DesignReport {

    private DesignReport() {
    }

    public static String render(Design.Settings settings, Outcome o) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>Parsimony design: ")
                .append(escape(settings.title())).append("</title>\n<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        h.append("<h1>Parsimony design</h1>\n<p class=\"meta\">").append(escape(settings.title())).append(" · key <code>")
                .append(escape(o.key())).append("</code> · generated ").append(escape(Instant.now().toString().replace('T', ' ')))
                .append(" by ").append(escape(Software.describe())).append("</p>\n");
        if (!o.complete()) {
            h.append("<p class=\"warn\">This design stopped before it finished; rerun its command to resume it.</p>\n");
        }

        h.append("<h2>Final comparison</h2>\n");
        if (o.groups().isEmpty()) {
            h.append("<p class=\"empty\">No final run yet.</p>\n");
        } else {
            FinalStage f = o.finalStage();
            String length = f != null && f.epochs() > 0 ? f.epochs() + " epochs, " + f.schedule() + " schedule"
                    : (f != null ? f.steps() : o.schedule().finalSteps()) + " steps";
            h.append("<p>Each network trained with the same final recipe (").append(escape(length))
                    .append(") for ").append(settings.seeds()).append(" seeds and evaluated on the test split, "
                            + "which nothing read before the winner was fixed.").append(o.resnetLayout() == null ? ""
                            : " <em>resnet</em> is the hand-designed baseline: the best block-unit ResNet the catalogue builds "
                            + "within the budget.").append("</p>\n");
            h.append("<table class=\"final\">\n<thead><tr><th>role</th><th>model</th><th>seeds</th><th>test top-1</th>"
                    + "<th>sd</th><th>per seed</th></tr></thead>\n<tbody>\n");
            for (Group g : o.groups()) {
                h.append("<tr><td>").append(escape(g.role())).append("</td><td><code>").append(escape(g.model()))
                        .append("</code></td><td class=\"num\">").append(g.top1().size()).append("</td><td class=\"num\">")
                        .append(pct(g.mean())).append("</td><td class=\"num\">").append(pts(g.std())).append("</td><td>")
                        .append(escape(String.join(", ", g.top1().stream().map(DesignReport::pct).toList()))).append("</td></tr>\n");
            }
            for (Difference d : o.differences()) {
                h.append("<tr class=\"diff\"><td colspan=\"3\">").append(escape(d.of() + " − " + d.against()))
                        .append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%+.2f pts", 100 * d.mean()))
                        .append("</td><td colspan=\"2\">95% CI ").append(Double.isFinite(d.low())
                                ? String.format(Locale.ROOT, "[%+.2f, %+.2f] pts", 100 * d.low(), 100 * d.high()) : "n/a")
                        .append("</td></tr>\n");
            }
            h.append("</tbody></table>\n");
            Deliverable d = o.deliverable();
            if (d != null && d.runDir() != null) {
                if (!d.winner()) {
                    h.append("<p class=\"overtaken\">").append(escape(d.overtaken().substring(0, 1).toUpperCase(Locale.ROOT)
                            + d.overtaken().substring(1))).append(".</p>\n");
                }
                h.append("<p class=\"note\">The run directory to ship (the ").append(escape(d.role())).append(", seed ")
                        .append(settings.recipe().seed()).append("): <code>").append(escape(d.runDir()))
                        .append("</code>. Ship it:</p>\n<pre class=\"ship\"><code>")
                        .append(escape(String.join("\n", shipCommands(d.runDir(), settings.data())))).append("</code></pre>\n");
            }
        }

        if (o.winner() != null) {
            h.append("<h2>Winner: <code>").append(escape(o.winner().model())).append("</code></h2>\n");
            layers(h, o.winner());
        }

        h.append("<h2>Selection</h2>\n");
        if (o.schedule() != null) {
            h.append("<p>Successive halving, η = ").append(settings.eta()).append(": rungs of ").append(o.schedule().rungSizes())
                    .append(" candidates trained ").append(o.schedule().rungSteps()).append(" steps each on the training split, "
                            + "ranked by validation top-1.</p>\n");
        }
        if (!o.notes().isEmpty()) {
            h.append("<ul class=\"notes\">\n");
            o.notes().forEach(n -> h.append("<li>").append(escape(n)).append("</li>\n"));
            h.append("</ul>\n");
        }
        XYChart chart = curves(o);
        if (chart != null) {
            h.append("<figure>").append(EnergyPlot.inlineSvg(EnergyPlot.svg(chart), "curves", "Validation accuracy against rung"))
                    .append("<figcaption>Validation top-1 of every candidate, rung by rung; a line ends where the "
                            + "candidate was dropped.</figcaption></figure>\n");
        }
        leaderboard(h, o);
        if (o.validationFront() != null) {
            h.append(paretoSection(o.validationFront()).replace("<h2>Accuracy against cost</h2>",
                    "<h2>Candidates: accuracy against cost</h2>"));
        }
        if (o.testFront() != null) {
            h.append(paretoSection(o.testFront(), false).replace("<section id=\"pareto\">", "<section id=\"pareto-test\">")
                    .replace("<h2>Accuracy against cost</h2>", "<h2>Finalists: test accuracy against cost</h2>"));
        }

        h.append("<h2>Re-run</h2>\n<pre class=\"commands\"><code>").append(escape(o.command())).append("</code></pre>\n"
                + "<p class=\"note\">The same command resumes a stopped design: runs in the store are not trained again.</p>\n");
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    /** The commands that take a final run out of the tool: evaluate it, export it, predict with it. */
    public static List<String> shipCommands(String runDir, String data) {
        String dir = io.parsimony.experiment.sweep.RerunCommand.quote(runDir);
        return List.of("parsimony evaluate --run " + dir + " --data " + io.parsimony.experiment.sweep.RerunCommand.quote(data),
                "parsimony export --run " + dir + " --format onnx -o winner.onnx",
                "parsimony predict --run " + dir + " IMAGE...");
    }

    /** Candidates best first: by the last rung reached, then by their accuracy in it. */
    private static void leaderboard(StringBuilder h, Outcome o) {
        Map<String, double[]> reached = new HashMap<>();   // model → {rung, accuracy}
        for (Rung r : o.rungs()) {
            for (int i = 0; i < r.models().size(); i++) {
                Double a = r.accuracy().get(i);
                reached.put(r.models().get(i), new double[] {r.number(), a == null ? Double.NaN : a});
            }
        }
        List<Candidate> sorted = new ArrayList<>(o.candidates());
        sorted.sort((a, b) -> {
            double[] x = reached.getOrDefault(a.model(), new double[] {0, Double.NaN});
            double[] y = reached.getOrDefault(b.model(), new double[] {0, Double.NaN});
            int c = Double.compare(y[0], x[0]);
            return c != 0 ? c : Double.compare(Double.isNaN(y[1]) ? -1 : y[1], Double.isNaN(x[1]) ? -1 : x[1]);
        });
        h.append("<h3>Leaderboard</h3>\n<table class=\"leaderboard\">\n<thead><tr><th>#</th><th>family</th><th>model</th>"
                + "<th>conv layers</th><th>conv weights</th><th>of budget</th><th>energy</th><th>multiply-adds</th>"
                + "<th>last rung</th><th>val top-1</th></tr></thead>\n<tbody>\n");
        int i = 1;
        for (Candidate c : sorted) {
            double[] r = reached.getOrDefault(c.model(), new double[] {0, Double.NaN});
            h.append("<tr").append(o.winner() != null && c.model().equals(o.winner().model()) ? " class=\"winner\"" : "")
                    .append("><td class=\"num\">").append(i++).append("</td><td>").append(c.family().label()).append("</td><td><code>")
                    .append(escape(c.model())).append("</code></td><td class=\"num\">").append(c.convLayers())
                    .append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%,d", c.convWeights()))
                    .append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%.2f%%%s", 100 * c.spent(), c.exact() ? "" : " ≤"))
                    .append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%.2f", c.energy()))
                    .append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%,d", c.multiplyAdds()))
                    .append("</td><td class=\"num\">").append(r[0] == 0 ? "" : (int) r[0])
                    .append("</td><td class=\"num\">").append(pct(r[1])).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    private static XYChart curves(Outcome o) {
        if (o.rungs().isEmpty()) {
            return null;
        }
        XYChart chart = new XYChartBuilder().width(860).height(420).title("Validation accuracy by rung")
                .xAxisTitle("rung").yAxisTitle("validation top-1").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        Map<String, List<double[]>> lines = new java.util.LinkedHashMap<>();
        for (Rung r : o.rungs()) {
            for (int i = 0; i < r.models().size(); i++) {
                if (r.accuracy().get(i) != null) {
                    lines.computeIfAbsent(r.models().get(i), m -> new ArrayList<>()).add(new double[] {r.number(), r.accuracy().get(i)});
                }
            }
        }
        int n = 0;
        for (Map.Entry<String, List<double[]>> e : lines.entrySet()) {
            double[] x = e.getValue().stream().mapToDouble(p -> p[0]).toArray();
            double[] y = e.getValue().stream().mapToDouble(p -> p[1]).toArray();
            XYSeries s = chart.addSeries("c" + (n++) + " " + e.getKey(), x, y);
            s.setMarker(SeriesMarkers.CIRCLE);
            boolean won = o.winner() != null && o.winner().model().equals(e.getKey());
            s.setLineColor(won ? EnergyPlot.TOP : EnergyPlot.RANDOM);
            s.setMarkerColor(won ? EnergyPlot.TOP : EnergyPlot.RANDOM);
        }
        return n == 0 ? null : chart;
    }

    /**
     * The Pareto section: accuracy against each cost axis of the report, one chart per axis (all
     * points, the front as a staircase, the winner), and a table of every point in the report's
     * order with whether it is on the front over all axes. A pure function of the report.
     */
    static String paretoSection(ParetoFront.Report report) {
        return paretoSection(report, true);
    }

    /** As above; without {@code charts} only the table (a handful of finalists reads better as one, and each chart weighs ~0.3 MB). */
    static String paretoSection(ParetoFront.Report report, boolean charts) {
        List<ParetoFront.Point> ps = report.points();
        java.util.Set<Integer> front = new java.util.HashSet<>(report.front());
        StringBuilder h = new StringBuilder(16 * 1024);
        h.append("<section id=\"pareto\">\n<h2>Accuracy against cost</h2>\n<p>Accuracy here is the ")
                .append(escape(report.accuracyMeaning().strip().replaceFirst("\\.$", ""))).append(". A network is on the "
                        + "Pareto front when no other is at least as accurate at no greater cost, and strictly better on "
                        + "one of them: choose among those against the device's budgets.</p>\n");
        for (Map.Entry<String, List<Integer>> e : charts ? report.frontByAxis().entrySet()
                : Map.<String, List<Integer>>of().entrySet()) {
            ParetoFront.Axis axis = ParetoFront.Axis.valueOf(e.getKey().toUpperCase(Locale.ROOT));
            h.append("<figure class=\"pareto-chart\" data-axis=\"").append(escape(e.getKey())).append("\">");
            XYChart chart = paretoChart(report, axis, e.getValue());
            if (chart == null) {
                h.append("<p class=\"empty\">No network with both an accuracy and a ").append(escape(axis.label()))
                        .append(".</p>");
            } else {
                h.append(EnergyPlot.inlineSvg(EnergyPlot.svg(chart), "pareto", "Accuracy against " + axis.label()));
            }
            h.append("<figcaption>Accuracy against ").append(escape(axis.label())).append(": ")
                    .append(e.getValue().size()).append(" of ").append(ps.size()).append(" networks on the front")
                    .append(report.winner() == null ? "" : "; the winner in red").append(".</figcaption></figure>\n");
        }
        h.append("<table class=\"pareto\">\n<thead><tr><th>model</th><th>parameters</th><th>multiply-adds</th>"
                + "<th>latency</th><th>accuracy</th><th>on front</th></tr></thead>\n<tbody>\n");
        for (int i = 0; i < ps.size(); i++) {
            ParetoFront.Point p = ps.get(i);
            boolean won = p.model().equals(report.winner()), on = front.contains(i);
            String cls = (won ? "winner" : "") + (won && on ? " " : "") + (on ? "front" : "");
            h.append("<tr").append(cls.isEmpty() ? "" : " class=\"" + cls + "\"").append("><td><code>").append(escape(p.model()))
                    .append("</code></td><td class=\"num\">").append(String.format(Locale.ROOT, "%,d", p.parameters()))
                    .append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%,d", p.multiplyAdds()))
                    .append("</td><td class=\"num\">").append(p.latencyMillis() == null ? "–"
                            : String.format(Locale.ROOT, "%.3f ms", p.latencyMillis()))
                    .append("</td><td class=\"num\">").append(pct(p.accuracy())).append("</td><td>").append(on ? "yes" : "no")
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table>\n</section>\n");
        return h.toString();
    }

    /** Accuracy (%) against one cost: every point with both, the front as the staircase it buys, the winner; null if nothing to draw. */
    private static XYChart paretoChart(ParetoFront.Report report, ParetoFront.Axis axis, List<Integer> front) {
        List<ParetoFront.Point> drawn = report.points().stream()
                .filter(p -> p.accuracy() != null && Double.isFinite(p.accuracy()) && Double.isFinite(axis.of(p))).toList();
        if (drawn.isEmpty()) {
            return null;
        }
        XYChart chart = new XYChartBuilder().width(860).height(420).title("Accuracy against " + axis.label())
                .xAxisTitle(axis.label()).yAxisTitle("accuracy (%)").build();
        var st = chart.getStyler();
        st.setChartBackgroundColor(java.awt.Color.WHITE);
        st.setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideSE);
        double lo = drawn.stream().mapToDouble(axis::of).min().orElse(1), hi = drawn.stream().mapToDouble(axis::of).max().orElse(1);
        st.setXAxisLogarithmic(lo > 0 && hi / lo >= 20);   // parameters and multiply-adds span orders of magnitude
        XYSeries all = chart.addSeries("all networks (" + drawn.size() + ")", drawn.stream().mapToDouble(axis::of).toArray(),
                drawn.stream().mapToDouble(p -> 100 * p.accuracy()).toArray());
        all.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        all.setMarker(SeriesMarkers.CIRCLE);
        all.setMarkerColor(new java.awt.Color(150, 150, 150));
        List<ParetoFront.Point> on = front.stream().map(report.points()::get)
                .sorted(java.util.Comparator.comparingDouble(axis::of)).toList();
        if (!on.isEmpty()) {
            XYSeries f = chart.addSeries("Pareto front (" + on.size() + ")", on.stream().mapToDouble(axis::of).toArray(),
                    on.stream().mapToDouble(p -> 100 * p.accuracy()).toArray());
            f.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
            f.setMarker(SeriesMarkers.SQUARE);
            f.setLineColor(EnergyPlot.RANDOM);
            f.setMarkerColor(EnergyPlot.RANDOM);
        }
        List<ParetoFront.Point> won = drawn.stream().filter(p -> p.model().equals(report.winner())).toList();
        if (!won.isEmpty()) {
            XYSeries w = chart.addSeries("winner", won.stream().mapToDouble(axis::of).toArray(),
                    won.stream().mapToDouble(p -> 100 * p.accuracy()).toArray());
            w.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            w.setMarker(SeriesMarkers.DIAMOND);
            w.setMarkerColor(EnergyPlot.TOP);
        }
        return chart;
    }

    /** The winner's convs as the forward pass applies them: widths in and out, and the weights each adds. */
    private static void layers(StringBuilder h, Candidate c) {
        ModelSpec seen = c.spec() instanceof RescaledSpec r ? r.scaled() : c.spec();
        int[] widths = DesignSpace.convWidths(seen);
        boolean shared = c.spec() instanceof DacnnSpec || c.spec() instanceof RescaledSpec;
        h.append("<p>").append(escape(c.spec().describe())).append(": ").append(c.convLayers()).append(" conv layers, ")
                .append(String.format(Locale.ROOT, "%,d", c.convWeights())).append(" optimised conv weights (")
                .append(String.format(Locale.ROOT, "%.2f%%", 100 * c.spent())).append(" of the budget), energy ")
                .append(String.format(Locale.ROOT, "%.2f", c.energy())).append(", ")
                .append(String.format(Locale.ROOT, "%,d", c.multiplyAdds())).append(" multiply-adds per image.")
                .append(shared ? " Kernels are shared or generated: the per-layer counts below are the weights each "
                        + "layer applies, not the optimised ones." : "").append("</p>\n");
        h.append("<table class=\"layers\">\n<thead><tr><th>conv</th><th>in</th><th>out</th><th>3×3 weights applied</th></tr></thead>\n<tbody>\n");
        int in = c.spec().inputChannels();
        for (int i = 0; i < widths.length; i++) {
            h.append("<tr><td class=\"num\">").append(i + 1).append("</td><td class=\"num\">").append(in).append("</td><td class=\"num\">")
                    .append(widths[i]).append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%,d", 9L * in * widths[i]))
                    .append("</td></tr>\n");
            in = widths[i];
        }
        h.append("</tbody></table>\n");
    }

    private static String pct(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f%%", 100 * v) : "–";
    }

    private static String pct(Double v) {
        return v == null ? "–" : pct(v.doubleValue());
    }

    private static String pts(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f pts", 100 * v) : "–";
    }

    private static final String CSS = """
            body { font-family: system-ui, -apple-system, "DejaVu Sans", sans-serif; margin: 2em auto; max-width: 1100px; padding: 0 1em; color: #222; }
            h2 { margin-top: 1.6em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; }
            .meta, .note { color: #666; font-size: 0.9em; } .warn { color: #b00; font-weight: 600; }
            table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }
            th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: left; }
            th { background: #f4f4f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
            tr.winner td { background: #fff1f1; font-weight: 600; } tr.diff td { background: #fafafa; }
            svg.curves, svg.pareto { max-width: 100%; height: auto; display: block; }
            tr.front:not(.winner) td { background: #f1f5ff; }
            pre.commands { background: #f7f7f7; border: 1px solid #e3e3e3; padding: 0.7em; white-space: pre-wrap; overflow-wrap: anywhere; }
            """;
}
