package io.parsimony.experiment.design;

import io.parsimony.experiment.report.HeadlessChromium;
import io.parsimony.nn.train.TrainingRecipe;
import io.parsimony.search.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The design page for a made-up outcome over real candidates, rendered by a real headless Chromium. */
class DesignReportTest {

    @Test
    void pageShowsTheFinalTableLeaderboardCurvesAndWinnerAsChromiumRendersThem(@TempDir Path tmp) throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require();
        DesignSpace space = new DesignSpace(4288, 0, Order.STRICT, EnumSet.of(Family.PLAIN, Family.DACNN), 6, 1, 1, 10, 28);
        List<Candidate> cs = space.candidates();
        int n = cs.size();
        assertEquals(5 + 1, n, cs.toString());   // plain depths 2..6, DACNN depth 4 (5 convs)
        Candidate def = space.defaultLayout(), random = space.randomLayout(15, 0);
        List<String> all = cs.stream().map(Candidate::model).toList();
        List<Double> acc1 = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            acc1.add(i == 2 ? null : 0.70 + 0.01 * i);   // one failed run
        }
        List<String> promoted = List.of(all.get(5), all.get(4));
        Design.Rung r1 = new Design.Rung(1, 10, all, acc1, promoted);
        Design.Rung r2 = new Design.Rung(2, 30, promoted, List.of(0.80, 0.79), List.of(all.get(5)));
        Candidate winner = cs.get(5);
        List<Comparison.Group> groups = List.of(
                Comparison.Group.of("winner", winner.model(), List.of(0.85, 0.86, 0.84)),
                Comparison.Group.of("default", def.model(), List.of(0.83, 0.84, 0.83)),
                Comparison.Group.of("random", random.model(), List.of(0.80, 0.81, 0.79)));
        List<Comparison.Difference> diffs = List.of(Comparison.difference(groups.get(0), groups.get(1)),
                Comparison.difference(groups.get(0), groups.get(2)));
        RungSchedule schedule = RungSchedule.fixed(new SuccessiveHalving(3), n, 10, 3, 3);
        Design.Settings settings = new Design.Settings(space, "fashion-mnist", TrainingRecipe.defaults(1), 600, 3, 3, 15, 10);
        List<ParetoFront.Point> points = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            points.add(new ParetoFront.Point(all.get(i), 1000 + i, cs.get(i).multiplyAdds(), 0.1 * (i + 1), acc1.get(i)));
        }
        ParetoFront.Report front = ParetoFront.Report.of(points, winner.model(), "validation top-1 after the first rung");
        Design.Outcome o = new Design.Outcome("k", 1, cs, def, random, schedule, List.of(r1, r2), winner, groups, diffs,
                "runs/x", true, "cd /tmp && parsimony design --budget 4288 --data 'a <b> dir'", null,
                new FinalStage(3, 3, 30, "cosine:30", 12_660, 1800.0),
                List.of("--max-latency 0.250 ms drops 1 of 7 candidates"), Map.of(), front, null,
                // the default overtakes the winner on the final stage's validation: it is the one to ship
                Deliverable.choose(groups, Map.of(winner.model(), List.of(0.84, 0.85), def.model(), List.of(0.86, 0.86)),
                        Map.of(winner.model(), "runs/x", def.model(), "runs/d")));
        List<Path> files = Design.write(tmp.resolve("out"), settings, o);
        String html = Files.readString(files.get(1));
        assertFalse(html.contains("<script") || html.contains("src=\"http"), "self-contained");
        assertFalse(html.contains("'a <b> dir'"), "escaped");
        assertTrue(Files.readString(files.get(0)).contains("\"command\" : \"cd /tmp && parsimony design --budget 4288"));

        String dom = chromium.dumpDom(files.get(1));
        Matcher board = Pattern.compile("(?s)<table class=\"leaderboard\">.*?<tbody>(.*?)</tbody>").matcher(dom);
        assertTrue(board.find(), "leaderboard");
        List<String> rows = Arrays.stream(board.group(1).split("<tr")).filter(s -> s.contains("<td")).toList();
        assertEquals(n, rows.size());
        assertTrue(rows.get(0).contains("class=\"winner\"") && rows.get(0).contains(winner.model()), rows.get(0));
        assertTrue(rows.get(1).contains(all.get(4)), "the runner-up reached rung 2: " + rows.get(1));
        Matcher fin = Pattern.compile("(?s)<table class=\"final\">.*?<tbody>(.*?)</tbody>").matcher(dom);
        assertTrue(fin.find(), "final comparison table");
        assertTrue(fin.group(1).contains("85.00%") && fin.group(1).contains("83.33%") && fin.group(1).contains("80.00%"), fin.group(1));
        assertTrue(fin.group(1).contains("winner − default") && fin.group(1).contains("+1.67 pts"), fin.group(1));
        assertTrue(dom.contains("<svg class=\"curves\""), "accuracy-vs-rung plot inline");
        Matcher layers = Pattern.compile("(?s)<table class=\"layers\">.*?<tbody>(.*?)</tbody>").matcher(dom);
        assertTrue(layers.find());
        assertEquals(winner.convLayers(), layers.group(1).split("<tr").length - 1, "one row per conv of the winner");
        assertTrue(dom.contains("parsimony design --budget 4288"));
        assertTrue(fin.group(0).contains("30 epochs, cosine:30 schedule") || dom.contains("30 epochs, cosine:30 schedule"),
                "the final stage's length is stated");
        assertTrue(dom.contains("parsimony export --run runs/d --format onnx"), "the ship commands, on the default's run");
        assertFalse(dom.contains("--run runs/x "), "not on the overtaken winner's");
        assertTrue(dom.contains("the default (" + def.model() + ") has the best validation top-1, 86.00% against the race's "
                + "winner's 84.50%"), "the page says why the network to ship is not the winner");
        assertTrue(dom.contains("--max-latency 0.250 ms drops 1 of 7 candidates"), "the plan's notes");
        Matcher pareto = Pattern.compile("(?s)<section id=\"pareto\">.*?<table class=\"pareto\">.*?<tbody>(.*?)</tbody>").matcher(dom);
        assertTrue(pareto.find(), "the candidates' Pareto section");
        List<String> prow = Arrays.stream(pareto.group(1).split("<tr")).filter(x -> x.contains("<td")).toList();
        assertEquals(n, prow.size(), "every candidate a point");
        // the accuracies rise with the index and so do the costs: every measured point is on the front, the failed one is not
        for (int i = 0; i < n; i++) {
            assertEquals(i != 2, prow.get(i).contains("front"), prow.get(i));
        }
        assertTrue(prow.get(5).contains("winner"), prow.get(5));
    }

    @Test
    void paretoSectionShowsAChartPerAxisAndMarksTheFrontAndWinnerAsChromiumRendersThem(@TempDir Path tmp) throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require();
        List<ParetoFront.Point> ps = List.of(
                new ParetoFront.Point("plain-2", 1_000, 100_000, 0.5, 0.70),
                new ParetoFront.Point("plain-3 <&>", 3_000, 300_000, 1.5, 0.69),   // dominated by plain-2
                new ParetoFront.Point("plain-4", 4_000, 400_000, 2.0, 0.80),
                new ParetoFront.Point("dacnn-4", 40_000, 4_000_000, 9.0, 0.85),
                new ParetoFront.Point("plain-6", 50_000, 5_000_000, 9.5, 0.84));  // dominated by dacnn-4
        ParetoFront.Report report = ParetoFront.Report.of(ps, "dacnn-4", "validation top-1 at the last rung reached");
        assertEquals(List.of(0, 2, 3), report.front());
        String section = DesignReport.paretoSection(report);
        assertFalse(section.contains("plain-3 <&>"), "escaped");
        Path page = tmp.resolve("pareto.html");
        Files.writeString(page, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>pareto</title></head><body>\n"
                + section + "</body></html>\n");

        String dom = chromium.dumpDom(page);
        Matcher sec = Pattern.compile("(?s)<section id=\"pareto\">(.*?)</section>").matcher(dom);
        assertTrue(sec.find(), "section");
        assertTrue(sec.group(1).contains("validation top-1 at the last rung reached"), "what accuracy means");
        Matcher fig = Pattern.compile("(?s)<figure class=\"pareto-chart\" data-axis=\"([a-z_]+)\">(.*?)</figure>").matcher(dom);
        List<String> axes = new ArrayList<>();
        while (fig.find()) {
            axes.add(fig.group(1));
            assertTrue(fig.group(2).contains("<svg"), fig.group(1) + " has no chart");
        }
        assertEquals(List.of("parameters", "multiply_adds", "latency"), axes);
        Matcher table = Pattern.compile("(?s)<table class=\"pareto\">.*?<tbody>(.*?)</tbody>").matcher(dom);
        assertTrue(table.find(), "table");
        List<String> rows = Arrays.stream(table.group(1).split("<tr")).filter(r -> r.contains("<td")).toList();
        assertEquals(5, rows.size());
        List<Integer> front = new ArrayList<>(), winner = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Matcher cls = Pattern.compile("^\\s*class=\"([^\"]*)\"").matcher(rows.get(i));
            List<String> classes = cls.find() ? List.of(cls.group(1).split(" ")) : List.of();
            if (classes.contains("front")) {
                front.add(i);
                assertTrue(rows.get(i).contains("<td>yes</td>"), rows.get(i));
            } else {
                assertTrue(rows.get(i).contains("<td>no</td>"), rows.get(i));
            }
            if (classes.contains("winner")) {
                winner.add(i);
            }
        }
        assertEquals(List.of(0, 2, 3), front);
        assertEquals(List.of(3), winner);
        assertTrue(rows.get(3).contains("dacnn-4") && rows.get(3).contains("85.00%"), rows.get(3));
        assertTrue(rows.get(1).contains("plain-3 &lt;&amp;&gt;"), rows.get(1));
    }
}
