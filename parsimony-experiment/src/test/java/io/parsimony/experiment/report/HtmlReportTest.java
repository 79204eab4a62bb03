package io.parsimony.experiment.report;

import io.parsimony.experiment.store.ResultStore;
import io.parsimony.experiment.store.ResultStore.RunRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The report page from a store of made-up runs, rendered by a real headless Chromium. */
class HtmlReportTest {

    static Path store(Path tmp, int random, int top) {
        Path file = tmp.resolve("results.sqlite");
        Random rng = new Random(1);
        try (ResultStore s = ResultStore.open(file)) {
            long id = s.upsertSweep("k1", "energy", "plain CNN, 4 convs, 4,288 units: <b>test</b> & co", "{\"budget\":4288}",
                    random + top, "parsimony sweep energy --budget 4288 --store results.sqlite", "results-runs", "test");
            for (int i = 0; i < random + top; i++) {
                boolean isTop = i >= random;
                double energy = isTop ? 170 + i % 4 : 40 + rng.nextDouble() * 120;
                double acc = 0.6 + energy / 600 + 0.01 * rng.nextGaussian();
                String ts = "2026-11-23T10:00:0" + (i % 10) + ".123Z";
                s.record(new RunRow(id, "r" + i, i, isTop ? "top" : "random", "plain:" + i, "{}", "(" + i + ",2,3,4)", 40_000L,
                        38_592, energy, "fashion-mnist", "{}", 0, "done", acc, Math.min(1, acc + 0.1), 0.4, 10_000, 3, 1000L,
                        60.0, 65.0, false, null, "w" + (i % 2 + 1), "host", "parsimony test", "results-runs/r" + i, ts, ts));
            }
        }
        return file;
    }

    @Test
    void pageHasItsPlotTablesAndCommandsAsChromiumRendersThem(@TempDir Path tmp) throws Exception {
        HeadlessChromium chromium = HeadlessChromium.require();   // fails (not skips) without chromium: CI installs it
        Path file = store(tmp, 12, 4);
        List<SweepResults> results;
        try (ResultStore s = ResultStore.openExisting(file)) {
            results = SweepResults.load(s, EnergyAnalysis.defaults());
        }
        String html = HtmlReport.render(file.toString(), results, "parsimony report results.sqlite --out report.html");
        assertFalse(html.contains("<b>test</b>"), "titles are escaped");
        assertFalse(html.contains("<script"), "no scripts");
        assertFalse(html.contains("http://") && html.contains("src=\"http"), "no external resources");
        Path page = Files.writeString(tmp.resolve("report.html"), html);

        String dom = chromium.dumpDom(page);
        assertTrue(dom.contains("<svg class=\"plot\""), "inline SVG plot in the DOM");
        assertEquals(16 + 2, count(dom, "<ellipse"), "one marker per run plus two legend markers");
        assertTrue(dom.contains("href=\"data:image/png;base64,iVBORw0KGgo"), "PNG as a data URI");
        Matcher runs = Pattern.compile("(?s)<table class=\"runs\">.*?<tbody>(.*?)</tbody>").matcher(dom);
        assertTrue(runs.find(), "runs table");
        assertEquals(16, count(runs.group(1), "<tr"));
        assertTrue(dom.contains("<table class=\"stats\">") && dom.contains("Spearman ρ") && dom.contains("Pearson r"));
        assertTrue(dom.contains("<table class=\"groups\">") && dom.contains("top − random"));
        assertTrue(dom.contains("parsimony sweep energy --budget 4288 --store results.sqlite"));
        assertTrue(dom.contains("parsimony report results.sqlite --out report.html"));

        // the plot really is drawn: blue (random) and red (top-energy) marker pixels in the screenshot
        BufferedImage shot = ImageIO.read(chromium.screenshot(page, tmp.resolve("shot.png"), 1100, 1400).toFile());
        int blue = 0, red = 0;
        for (int y = 0; y < shot.getHeight(); y++) {
            for (int x = 0; x < shot.getWidth(); x++) {
                int rgb = shot.getRGB(x, y), r = rgb >> 16 & 255, g = rgb >> 8 & 255, b = rgb & 255;
                if (near(r, g, b, EnergyPlot.RANDOM.getRed(), EnergyPlot.RANDOM.getGreen(), EnergyPlot.RANDOM.getBlue())) {
                    blue++;
                } else if (near(r, g, b, EnergyPlot.TOP.getRed(), EnergyPlot.TOP.getGreen(), EnergyPlot.TOP.getBlue())) {
                    red++;
                }
            }
        }
        assertTrue(blue > 12 * 20, "blue marker pixels: " + blue);
        assertTrue(red > 4 * 20, "red marker pixels: " + red);
    }

    @Test
    void plotFilesAreWritten(@TempDir Path tmp) throws Exception {
        Path file = store(tmp, 5, 2);
        try (ResultStore s = ResultStore.openExisting(file)) {
            SweepResults r = SweepResults.load(s, EnergyAnalysis.defaults()).get(0);
            List<Path> files = EnergyPlot.write(r.chart(800, 500), tmp.resolve("plots/energy"));
            assertTrue(Files.readString(files.get(1)).contains("<svg"));
            BufferedImage png = ImageIO.read(files.get(0).toFile());
            assertEquals(800, png.getWidth());
            assertTrue(r.headline().startsWith("7/7 runs done; Spearman ρ = "), r.headline());
        }
    }

    @Test
    void anEmptySweepRendersWithoutAPlot(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("empty.sqlite");
        try (ResultStore s = ResultStore.open(file)) {
            s.upsertSweep("k", "energy", "nothing yet", "{}", 38, "parsimony sweep energy", "runs", "test");
            String html = HtmlReport.render("empty.sqlite", SweepResults.load(s, EnergyAnalysis.defaults()), "parsimony report empty.sqlite");
            assertTrue(html.contains("No run of this sweep has finished yet."));
            assertTrue(html.contains("0 of 38 runs done"));
        }
    }

    private static boolean near(int r, int g, int b, int R, int G, int B) {
        return Math.abs(r - R) < 30 && Math.abs(g - G) < 30 && Math.abs(b - B) < 30;
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }
}
