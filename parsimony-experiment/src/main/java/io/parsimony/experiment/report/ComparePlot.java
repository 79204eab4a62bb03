package io.parsimony.experiment.report;

import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.util.List;

/**
 * A comparison as seed 004 draws it: test accuracy against optimised parameters (log scale), one
 * marker per model with its spread over seeds as an error bar, so a rescaled net (few optimised
 * parameters, large physical size) sits left of the free networks it is compared with.
 */
public final class ComparePlot {

    /** One model: its label, optimised parameters, and test top-1 (0..1) mean and sample std over seeds. */
    public record Point(String label, long parameters, double top1Mean, double top1Std) {
    }

    /** Okabe–Ito colours (distinct for colour-blind readers), then shapes, so two models never look alike. */
    private static final Color[] COLOURS = {new Color(0, 114, 178), new Color(230, 159, 0), new Color(0, 158, 115),
        new Color(204, 121, 167), new Color(86, 180, 233), new Color(213, 94, 0), new Color(240, 228, 66), Color.BLACK};
    private static final org.knowm.xchart.style.markers.Marker[] SHAPES = {SeriesMarkers.CIRCLE, SeriesMarkers.DIAMOND,
        SeriesMarkers.SQUARE, SeriesMarkers.TRIANGLE_UP, SeriesMarkers.TRIANGLE_DOWN};

    private ComparePlot() {
    }

    public static XYChart chart(List<Point> points, String title, int width, int height) {
        if (points.isEmpty()) {
            throw new IllegalArgumentException("no models to plot");
        }
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title)
                .xAxisTitle("optimised parameters (log scale)").yAxisTitle("test top-1 accuracy (%)").build();
        var st = chart.getStyler();
        st.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        st.setXAxisLogarithmic(points.stream().allMatch(p -> p.parameters() > 0));
        st.setLegendPosition(Styler.LegendPosition.OutsideS);
        st.setLegendLayout(Styler.LegendLayout.Vertical);
        st.setMarkerSize(10);
        st.setErrorBarsColorSeriesColor(true);
        st.setChartBackgroundColor(Color.WHITE);
        st.setPlotBackgroundColor(Color.WHITE);
        st.setPlotGridLinesColor(new Color(225, 225, 225));
        st.setDecimalPattern("#,##0.##");
        for (int i = 0; i < points.size(); i++) {
            Point p = points.get(i);
            double sd = Double.isFinite(p.top1Std()) ? 100 * p.top1Std() : 0;
            XYSeries s = chart.addSeries(String.format("%s (%,d)", p.label(), p.parameters()), new double[] {p.parameters()},
                    new double[] {100 * p.top1Mean()}, new double[] {sd});
            s.setMarker(SHAPES[i % SHAPES.length]);
            s.setMarkerColor(COLOURS[i % COLOURS.length]);
            s.setLineColor(COLOURS[i % COLOURS.length]);   // the error bar takes it
        }
        return chart;
    }
}
