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
        Design.Outcome o = new Design.Outcome("k", 1, cs, def, random, schedule, List.of(r1, r2), winner, groups, diffs,
                "runs/x", true, "cd /tmp && parsimony design --budget 4288 --data 'a <b> dir'");
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
    }
}
