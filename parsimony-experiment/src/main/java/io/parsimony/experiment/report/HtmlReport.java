package io.parsimony.experiment.report;

import io.parsimony.experiment.store.ResultStore.RunRow;
import io.parsimony.experiment.job.Software;
import org.knowm.xchart.XYChart;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

/**
 * One self-contained HTML page for a results store: per sweep the energy/accuracy scatter
 * (inline SVG, and the PNG as a data URI), the correlation figures with their bootstrap
 * intervals, top-energy against random layouts, every run in a table, and the exact commands
 * that re-run the sweep and rebuild the page. No scripts, no external resources.
 */
public final class HtmlReport {

    private HtmlReport() {
    }

    /**
     * @param storeName      how to name the store on the page (its path as given)
     * @param reportCommand  the command that rebuilds this page
     */
    public static String render(String storeName, List<SweepResults> sweeps, String reportCommand) {
        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>Parsimony results: ").append(escape(storeName)).append("</title>\n")
                .append("<style>\n").append(CSS).append("</style>\n</head>\n<body>\n");
        h.append("<header><h1>Parsimony results</h1>\n<p class=\"meta\">store <code>").append(escape(storeName))
                .append("</code> · ").append(sweeps.size()).append(sweeps.size() == 1 ? " sweep" : " sweeps")
                .append(" · page generated ").append(escape(time(Instant.now().toString()))).append(" UTC by ")
                .append(escape(Software.describe())).append("</p>\n");
        h.append("<p>Seed 001 (Liao et al., MM'17) claims that, at a fixed parameter budget, the higher the energy of a CNN's "
                + "parameter layout (Eq. 3, the product of ln n<sub>i</sub>), the better it classifies (Figs. 3–5). Each sweep "
                + "trains uniformly drawn feasible layouts (blue) and the layouts of highest energy (red) with one recipe.</p>\n");
        if (sweeps.size() > 1) {
            h.append("<nav><ul>\n");
            for (SweepResults s : sweeps) {
                h.append("<li><a href=\"#sweep-").append(s.sweep().id()).append("\">Sweep ").append(s.sweep().id())
                        .append(": ").append(escape(s.sweep().title())).append("</a></li>\n");
            }
            h.append("</ul></nav>\n");
        }
        h.append("</header>\n<main>\n");
        if (sweeps.isEmpty()) {
            h.append("<p class=\"empty\">This store holds no sweeps yet.</p>\n");
        }
        for (SweepResults s : sweeps) {
            section(h, s, reportCommand);
        }
        h.append("</main>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void section(StringBuilder h, SweepResults s, String reportCommand) {
        var sw = s.sweep();
        EnergyAnalysis.Result a = s.analysis();
        h.append("<section class=\"sweep\" id=\"sweep-").append(sw.id()).append("\">\n<h2>Sweep ").append(sw.id()).append(": ")
                .append(escape(sw.title())).append("</h2>\n");
        h.append("<p class=\"meta\">").append(s.done().size()).append(" of ").append(sw.plannedRuns()).append(" runs done");
        if (!s.failed().isEmpty()) {
            h.append(", <span class=\"failed\">").append(s.failed().size()).append(" failed</span>");
        }
        h.append(" · created ").append(escape(time(sw.createdAt()))).append(" · last result ").append(escape(time(sw.updatedAt())))
                .append(" · key <code>").append(escape(sw.key())).append("</code></p>\n");

        XYChart chart = s.chart(860, 520);
        if (chart == null) {
            h.append("<p class=\"empty\">No run of this sweep has finished yet.</p>\n");
        } else {
            String svg = EnergyPlot.inlineSvg(EnergyPlot.svg(chart), "plot", "Test accuracy against layout energy, sweep " + sw.id());
            String png = Base64.getEncoder().encodeToString(EnergyPlot.png(chart));
            h.append("<figure class=\"plot\" id=\"plot-").append(sw.id()).append("\">\n").append(svg).append('\n')
                    .append("<figcaption>Test top-1 accuracy against energy; <span class=\"k-random\">blue</span>: ")
                    .append(a.topVsRandom().random().n()).append(" random layouts, <span class=\"k-top\">red</span>: ")
                    .append(a.topVsRandom().top().n()).append(" top-energy layouts. ")
                    .append("<a download=\"sweep-").append(sw.id()).append("-energy.png\" href=\"data:image/png;base64,")
                    .append(png).append("\">PNG</a></figcaption>\n</figure>\n");
        }

        h.append("<h3>Energy and accuracy</h3>\n<table class=\"stats\">\n<thead><tr><th>statistic</th><th>value</th><th>")
                .append(pct0(a.level())).append(" bootstrap CI</th><th>runs</th><th>valid resamples</th></tr></thead>\n<tbody>\n");
        for (EnergyAnalysis.Correlation c : List.of(a.spearman(), a.pearson())) {
            h.append("<tr><td>").append(escape(c.method())).append("</td><td class=\"num\">").append(num(c.value(), 3))
                    .append("</td><td class=\"num\">").append(interval(c.low(), c.high(), 3)).append("</td><td class=\"num\">")
                    .append(c.n()).append("</td><td class=\"num\">").append(c.validResamples()).append(" of ").append(a.resamples())
                    .append("</td></tr>\n");
        }
        h.append("</tbody></table>\n<p class=\"note\">Percentile bootstrap over runs, ").append(a.resamples())
                .append(" resamples, seed ").append(a.seed()).append("; n/a needs at least 3 finished runs.</p>\n");

        var c = a.topVsRandom();
        h.append("<table class=\"groups\">\n<thead><tr><th>layouts</th><th>runs</th><th>mean top-1</th><th>sd</th></tr></thead>\n<tbody>\n");
        for (EnergyAnalysis.Group g : List.of(c.top(), c.random())) {
            h.append("<tr><td>").append(escape(g.name())).append("</td><td class=\"num\">").append(g.n()).append("</td><td class=\"num\">")
                    .append(pct(g.mean())).append("</td><td class=\"num\">").append(g.n() > 1 ? num(100 * g.sd(), 2) + " pts" : "–")
                    .append("</td></tr>\n");
        }
        h.append("<tr class=\"diff\"><td>top − random</td><td></td><td class=\"num\">")
                .append(Double.isFinite(c.difference()) ? String.format(Locale.ROOT, "%+.2f pts", 100 * c.difference()) : "n/a")
                .append("</td><td class=\"num\">").append(Double.isFinite(c.low())
                        ? "CI " + String.format(Locale.ROOT, "[%+.2f, %+.2f]", 100 * c.low(), 100 * c.high()) : "")
                .append("</td></tr>\n</tbody></table>\n");
        var e = a.extremes();
        if (e != null && e.distinct()) {
            h.append("<p>Highest energy (").append(num(e.highest().energy(), 2)).append("): ").append(pct(e.highest().accuracy()))
                    .append(escape(e.highest().tieNote()))
                    .append("; lowest energy (").append(num(e.lowest().energy(), 2)).append("): ").append(pct(e.lowest().accuracy()))
                    .append(escape(e.lowest().tieNote()))
                    .append("; gap ").append(String.format(Locale.ROOT, "%+.2f pts", 100 * e.gap()))
                    .append(" (seed 001's own headline figure).</p>\n");
        }

        SweepThroughput tp = SweepThroughput.of(s.runs());
        if (tp != null) {
            h.append("<h3>Throughput</h3>\n<p>").append(escape(tp.line())).append(".</p>\n");
        }

        h.append("<h3>Re-run</h3>\n<pre class=\"commands\"><code>").append(escape(sw.command())).append('\n')
                .append(escape(reportCommand)).append("</code></pre>\n<p class=\"note\">The sweep command skips the runs "
                        + "already in the store and resumes the run directories under <code>").append(escape(sw.runsDir()))
                .append("</code>; runs were trained by ").append(escape(sw.softwareVersion())).append(".</p>\n");

        h.append("<h3>Runs</h3>\n<table class=\"runs\">\n<thead><tr><th>#</th><th>layout</th><th>group</th><th>energy</th>"
                + "<th>conv weights</th><th>parameters</th><th>top-1</th><th>top-5</th><th>epochs</th><th>train s</th>"
                + "<th>wall s</th><th>worker</th><th>status</th><th>finished (UTC)</th></tr></thead>\n<tbody>\n");
        for (RunRow r : s.runs()) {
            h.append("<tr class=\"").append(r.done() ? "done" : "failed").append(r.top() ? " top" : " random")
                    .append("\"><td class=\"num\">").append(r.position() + 1).append("</td><td><code>").append(escape(r.layout()))
                    .append("</code></td><td>").append(escape(r.roles())).append("</td><td class=\"num\">").append(num(r.energy(), 2))
                    .append("</td><td class=\"num\">").append(String.format(Locale.ROOT, "%,d", r.convWeights()))
                    .append("</td><td class=\"num\">").append(r.parameters() == null ? "" : String.format(Locale.ROOT, "%,d", r.parameters()))
                    .append("</td><td class=\"num\">").append(r.top1() == null ? "" : pct(r.top1()))
                    .append("</td><td class=\"num\">").append(r.top5() == null ? "" : pct(r.top5()))
                    .append("</td><td class=\"num\">").append(r.epochs() == null ? "" : r.epochs())
                    .append("</td><td class=\"num\">").append(r.trainSeconds() == null ? "" : num(r.trainSeconds(), 1))
                    .append("</td><td class=\"num\">").append(num(r.wallSeconds(), 1))
                    .append("</td><td>").append(escape(r.worker() == null ? "" : r.worker()))
                    .append("</td><td>").append(r.done() ? "done" : "<span class=\"failed\" title=\"" + escape(r.error()) + "\">failed</span>")
                    .append(r.resumed() ? " (resumed)" : "")
                    .append("</td><td>").append(escape(time(r.finishedAt()))).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
        if (!s.failed().isEmpty()) {
            h.append("<h3>Failures</h3>\n<ul class=\"failures\">\n");
            for (RunRow r : s.failed()) {
                h.append("<li><code>").append(escape(r.layout())).append("</code>: ").append(escape(r.error())).append("</li>\n");
            }
            h.append("</ul>\n");
        }
        h.append("<details><summary>Definition (JSON)</summary>\n<pre><code>").append(escape(pretty(sw.definition())))
                .append("</code></pre></details>\n</section>\n");
    }

    public static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }

    private static String pretty(String json) {
        try {
            var m = io.parsimony.nn.train.TrainingJson.MAPPER;
            return m.writerWithDefaultPrettyPrinter().writeValueAsString(m.readTree(json));
        } catch (java.io.IOException e) {
            return json;
        }
    }

    /** An ISO-8601 instant as "2026-11-23 19:09:48" (UTC). */
    static String time(String iso) {
        if (iso == null) {
            return "";
        }
        String t = iso.replace('T', ' ');
        int dot = t.indexOf('.');
        return (dot > 0 ? t.substring(0, dot) : t.replace("Z", "")).strip();
    }

    private static String num(double v, int decimals) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%,." + decimals + "f", v) : "n/a";
    }

    private static String pct(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.2f%%", 100 * v) : "n/a";
    }

    private static String pct0(double v) {
        return String.format(Locale.ROOT, "%.0f%%", 100 * v);
    }

    private static String interval(double lo, double hi, int decimals) {
        return Double.isFinite(lo) ? "[" + num(lo, decimals) + ", " + num(hi, decimals) + "]" : "n/a";
    }

    private static final String CSS = """
            body { font-family: system-ui, -apple-system, "DejaVu Sans", sans-serif; margin: 2em auto; max-width: 1100px; padding: 0 1em; color: #222; }
            h1 { margin-bottom: 0.2em; } h2 { margin-top: 2em; border-bottom: 1px solid #ccc; padding-bottom: 0.2em; }
            .meta, .note { color: #666; font-size: 0.9em; }
            table { border-collapse: collapse; margin: 0.8em 0; font-size: 0.9em; }
            th, td { border: 1px solid #ddd; padding: 0.25em 0.6em; text-align: left; }
            th { background: #f4f4f4; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
            tr.top td:nth-child(3) { color: #d61e1e; font-weight: 600; } tr.random td:nth-child(3) { color: #1f54c8; }
            .failed { color: #b00; font-weight: 600; }
            .k-random { color: #1f54c8; font-weight: 600; } .k-top { color: #d61e1e; font-weight: 600; }
            figure.plot { margin: 1em 0; } svg.plot { max-width: 100%; height: auto; display: block; }
            pre.commands { background: #f7f7f7; border: 1px solid #e3e3e3; padding: 0.7em; white-space: pre-wrap; overflow-wrap: anywhere; }
            table.runs td:last-child, table.runs td:nth-child(2) { white-space: nowrap; }
            """;
}
