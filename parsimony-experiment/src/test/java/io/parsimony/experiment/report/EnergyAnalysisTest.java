package io.parsimony.experiment.report;

import io.parsimony.experiment.report.EnergyAnalysis.Point;
import org.apache.commons.math3.stat.correlation.SpearmansCorrelation;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnergyAnalysisTest {

    @Test
    void monotoneButCurvedGivesSpearmanOneAndPearsonBelow() {
        List<Point> p = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            p.add(new Point(i, Math.exp(i) / Math.exp(10), false, true));
        }
        EnergyAnalysis.Result r = EnergyAnalysis.defaults().analyse(p);
        assertEquals(1.0, r.spearman().value(), 1e-12);
        assertTrue(r.pearson().value() < 0.9 && r.pearson().value() > 0.5, "r " + r.pearson().value());
        assertEquals(1.0, r.spearman().low(), 1e-12, "every resample of a monotone set is monotone");
        assertTrue(r.pearson().low() <= r.pearson().value() && r.pearson().value() <= r.pearson().high());
    }

    @Test
    void matchesCommonsMathWithTiesAndIsReproducibleBySeed() {
        Random rng = new Random(7);
        List<Point> p = new ArrayList<>();
        double[] x = new double[38], y = new double[38];
        for (int i = 0; i < 38; i++) {
            x[i] = Math.round(rng.nextDouble() * 20);   // ties
            y[i] = 0.8 + 0.005 * x[i] + 0.02 * rng.nextGaussian();
            p.add(new Point(x[i], y[i], i < 6, i >= 6));
        }
        EnergyAnalysis.Result a = new EnergyAnalysis(500, 0.95, 3).analyse(p), b = new EnergyAnalysis(500, 0.95, 3).analyse(p);
        assertEquals(new SpearmansCorrelation().correlation(x, y), a.spearman().value(), 1e-12);
        assertEquals(a, b, "same seed, same intervals");
        EnergyAnalysis.Result c = new EnergyAnalysis(500, 0.95, 4).analyse(p);
        assertFalse(a.spearman().low() == c.spearman().low() && a.spearman().high() == c.spearman().high());
        assertTrue(a.spearman().low() < a.spearman().value() && a.spearman().value() < a.spearman().high());
        assertTrue(a.spearman().low() > 0, "a clear positive trend excludes 0");
        assertEquals(6, a.topVsRandom().top().n());
        assertEquals(32, a.topVsRandom().random().n());
        double meanTop = p.subList(0, 6).stream().mapToDouble(Point::accuracy).average().orElseThrow();
        assertEquals(meanTop, a.topVsRandom().top().mean(), 1e-12);
        assertTrue(a.topVsRandom().low() <= a.topVsRandom().difference() && a.topVsRandom().difference() <= a.topVsRandom().high());
    }

    @Test
    void tiedExtremesAverageTheirRunsWhateverTheOrder() {
        // two layouts of energy 0 (a 1-wide layer), as in Table 4: the headline must not depend on which came first
        List<Point> p = new ArrayList<>(List.of(new Point(0, 0.7291, false, true), new Point(150.06, 0.7571, true, true),
                new Point(40.55, 0.5742, false, true), new Point(0, 0.7154, false, true)));
        EnergyAnalysis.Extremes e = EnergyAnalysis.defaults().analyse(p).extremes();
        Collections.reverse(p);
        assertEquals(e, EnergyAnalysis.defaults().analyse(p).extremes());
        assertEquals(2, e.lowest().runs());
        assertEquals((0.7291 + 0.7154) / 2, e.lowest().accuracy(), 1e-12);
        assertEquals(1, e.highest().runs());
        assertEquals(0.7571 - (0.7291 + 0.7154) / 2, e.gap(), 1e-12);
        assertTrue(e.distinct());
    }

    @Test
    void tooFewOrFlatRunsHaveNoCorrelation() {
        EnergyAnalysis.Result two = EnergyAnalysis.defaults().analyse(List.of(new Point(1, 0.5, true, false), new Point(2, 0.6, false, true)));
        assertFalse(two.spearman().defined());
        assertTrue(Double.isNaN(two.pearson().low()));
        assertEquals(0.1, -two.topVsRandom().difference(), 1e-12);
        assertEquals(2, two.extremes().highest().energy());
        assertEquals(0.1, two.extremes().gap(), 1e-12, "the paper's headline: highest-energy run minus lowest");
        EnergyAnalysis.Result flat = EnergyAnalysis.defaults().analyse(List.of(new Point(1, 0.5, false, true),
                new Point(1, 0.6, false, true), new Point(1, 0.7, false, true)));
        assertFalse(flat.pearson().defined());
        assertFalse(flat.extremes().distinct(), "one energy has no highest-minus-lowest gap");
        assertEquals(3, flat.extremes().lowest().runs());
        assertTrue(Double.isNaN(flat.topVsRandom().difference()), "no top-energy runs");
    }
}
