package io.parsimony.experiment.ebcle;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The probe's figure: test accuracy and last-layer CKA against depth, with the EBCLE bound marked. */
public final class ProbePlot {
    private ProbePlot() {
    }

    /** Writes {@code prefix}.png and {@code prefix}.svg; returns the two paths. */
    public static List<Path> write(DepthProbe.Report report, Path prefix) {
        XYChart chart = new XYChartBuilder().width(800).height(500)
                .title("EBCLE probe: " + report.entropy().data() + String.format(" (H = %.2f bits)", report.entropy().meanImageEntropy()))
                .xAxisTitle("conv layers").yAxisTitle("test accuracy / CKA").build();
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        double[] depth = report.points().stream().mapToDouble(DepthProbe.Point::depth).toArray();
        double[] acc = report.points().stream().mapToDouble(DepthProbe.Point::top1).toArray();
        chart.addSeries("test top-1", depth, acc).setMarker(SeriesMarkers.CIRCLE);
        double[] ckaDepth = report.points().stream().filter(p -> p.layerCka().length > 0).mapToDouble(DepthProbe.Point::depth).toArray();
        double[] cka = report.points().stream().filter(p -> p.layerCka().length > 0).mapToDouble(DepthProbe.Point::lastLayerCka).toArray();
        if (ckaDepth.length > 0) {
            chart.addSeries("CKA(last layer, previous)", ckaDepth, cka).setMarker(SeriesMarkers.DIAMOND);
        }
        int b = report.bound().maxConvLayers();
        XYSeries bound = chart.addSeries("EBCLE bound (" + b + " layers)", new double[] {b, b}, new double[] {0, 1});
        bound.setMarker(SeriesMarkers.NONE);
        try {
            Files.createDirectories(prefix.toAbsolutePath().getParent());
            BitmapEncoder.saveBitmap(chart, prefix.toString(), BitmapEncoder.BitmapFormat.PNG);
            VectorGraphicsEncoder.saveVectorGraphic(chart, prefix.toString(), VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the plot " + prefix + ": " + e.getMessage(), e);
        }
        return List.of(Path.of(prefix + ".png"), Path.of(prefix + ".svg"));
    }
}
