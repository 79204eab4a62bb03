package io.parsimony.experiment.report;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Figs. 3–5 of seed 001: test accuracy against layout energy, the random layouts in blue and
 * the top-energy ("learned") layouts in red, as PNG and SVG (XChart). A layout in both groups
 * is drawn in both series, the red one on top.
 */
public final class EnergyPlot {

    /** The paper's colours. */
    public static final Color RANDOM = new Color(31, 84, 200);
    public static final Color TOP = new Color(214, 30, 30);

    private EnergyPlot() {
    }

    public static XYChart chart(List<EnergyAnalysis.Point> points, String title, int width, int height) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("no points to plot");
        }
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle("energy of the parameter layout (Eq. 3)").yAxisTitle("test top-1 accuracy (%)").build();
        var st = chart.getStyler();
        st.setDefaultSeriesRenderStyle(org.knowm.xchart.XYSeries.XYSeriesRenderStyle.Scatter);
        st.setLegendPosition(Styler.LegendPosition.OutsideS);
        st.setLegendLayout(Styler.LegendLayout.Horizontal);
        st.setMarkerSize(9);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotGridLinesColor(new Color(225, 225, 225));
        st.setDecimalPattern("#,##0.##");
        add(chart, points.stream().filter(EnergyAnalysis.Point::random).toList(), "random layouts", RANDOM);
        add(chart, points.stream().filter(EnergyAnalysis.Point::top).toList(), "top-energy layouts", TOP);
        return chart;
    }

    private static void add(XYChart chart, List<EnergyAnalysis.Point> pts, String name, Color color) {
        if (pts.isEmpty()) {
            return;
        }
        double[] x = pts.stream().mapToDouble(EnergyAnalysis.Point::energy).toArray();
        double[] y = pts.stream().mapToDouble(p -> 100 * p.accuracy()).toArray();
        XYSeries s = chart.addSeries(name + " (" + pts.size() + ")", x, y);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setMarkerColor(color);
    }

    public static byte[] png(XYChart chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The SVG document (with its XML prolog). */
    public static String svg(XYChart chart) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /** The SVG as an element to inline in HTML: no XML prolog or doctype, scaling with the page. */
    public static String inlineSvg(String svg, String cssClass, String label) {
        String s = svg.replaceFirst("(?s)^\\s*<\\?xml[^>]*\\?>", "").replaceFirst("(?s)^\\s*<!DOCTYPE[^>]*>", "").strip();
        return s.replaceFirst("<svg", "<svg class=\"" + cssClass + "\" role=\"img\" aria-label=\"" + HtmlReport.escape(label) + "\"");
    }

    /** Writes {@code prefix}.png and {@code prefix}.svg; returns both paths. */
    public static List<Path> write(XYChart chart, Path prefix) {
        try {
            Path dir = prefix.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            Path png = Path.of(prefix + ".png"), svg = Path.of(prefix + ".svg");
            Files.write(png, png(chart));
            Files.writeString(svg, svg(chart));
            return List.of(png, svg);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the plot " + prefix + ": " + e.getMessage(), e);
        }
    }
}
