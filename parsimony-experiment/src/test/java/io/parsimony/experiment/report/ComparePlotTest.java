package io.parsimony.experiment.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ComparePlotTest {

    @Test
    void oneMarkerPerModelAtItsParametersAndAccuracyWithTheSpreadAsErrorBar(@TempDir Path tmp) throws Exception {
        var chart = ComparePlot.chart(List.of(new ComparePlot.Point("base", 20_000, 0.60, 0.01),
                new ComparePlot.Point("base@w2", 20_100, 0.64, 0.02), new ComparePlot.Point("free w2", 80_000, 0.66, Double.NaN)),
                "t", 800, 600);
        assertEquals(3, chart.getSeriesMap().size());
        var s = chart.getSeriesMap().get("base@w2 (20,100)");
        assertArrayEquals(new double[] {20_100}, s.getXData());
        assertArrayEquals(new double[] {64.0}, s.getYData(), 1e-9);
        assertArrayEquals(new double[] {2.0}, s.getExtraValues(), 1e-9);
        assertArrayEquals(new double[] {0.0}, chart.getSeriesMap().get("free w2 (80,000)").getExtraValues(), "one seed: no bar");
        assertTrue(chart.getStyler().isXAxisLogarithmic());
        List<Path> files = EnergyPlot.write(chart, tmp.resolve("cmp"));
        byte[] png = Files.readAllBytes(files.get(0));
        assertEquals((byte) 0x89, png[0]);
        assertTrue(Files.readString(files.get(1)).contains("<svg"));
        assertThrows(IllegalArgumentException.class, () -> ComparePlot.chart(List.of(), "t", 10, 10));
    }

    @Test
    void noTwoModelsLookAlikeEvenWhereTheyOverlap() {
        List<ComparePlot.Point> points = new java.util.ArrayList<>();
        for (int i = 0; i < 12; i++) {
            points.add(new ComparePlot.Point("m" + i, 20_000, 0.60, 0.01));   // all at one spot, as a tie would be
        }
        var looks = ComparePlot.chart(points, "t", 800, 600).getSeriesMap().values().stream()
                .map(s -> s.getMarker().getClass().getSimpleName() + "/" + s.getMarkerColor()).distinct().count();
        assertEquals(12, looks, "marker shape and colour together tell every model apart");
    }
}
