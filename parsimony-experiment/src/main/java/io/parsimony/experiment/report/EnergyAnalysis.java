package io.parsimony.experiment.report;

import org.apache.commons.math3.stat.correlation.PearsonsCorrelation;
import org.apache.commons.math3.stat.ranking.NaNStrategy;
import org.apache.commons.math3.stat.ranking.NaturalRanking;
import org.apache.commons.math3.stat.ranking.TiesStrategy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalDouble;
import java.util.SplittableRandom;

/**
 * Seed 001's claim as numbers: how energy and test accuracy go together across the trained
 * layouts (Pearson's r, Spearman's ρ, each with a seeded percentile-bootstrap confidence
 * interval over the runs), and how the top-energy layouts do against the random ones (mean
 * accuracies and their difference, bootstrapped within each group).
 */
public final class EnergyAnalysis {

    /** One trained layout: its energy, its test accuracy (0..1), and the groups it belongs to. */
    public record Point(double energy, double accuracy, boolean top, boolean random) {
    }

    /** A correlation and its bootstrap interval; NaN when fewer than 3 runs or no spread. */
    public record Correlation(String method, double value, double low, double high, int n, int validResamples) {
        public boolean defined() {
            return Double.isFinite(value);
        }
    }

    /** Mean accuracy of a group (NaN when empty), standard deviation, size. */
    public record Group(String name, int n, double mean, double sd) {
    }

    /** Top-k against random: the means and their difference (top − random) with its bootstrap interval. */
    public record Comparison(Group top, Group random, double difference, double low, double high) {
    }

    /**
     * One end of the energy range: its energy and the mean accuracy (0..1) of the {@code runs} runs
     * at exactly that energy. Ties are common at the low end (every layout with a 1-wide layer has
     * energy 0), and picking one of them would make the headline depend on run order.
     */
    public record End(double energy, double accuracy, int runs) {
        /** " (mean of 2 runs)" when several runs share this energy, else "". */
        public String tieNote() {
            return runs > 1 ? " (mean of " + runs + " runs)" : "";
        }
    }

    /**
     * The runs of highest and lowest energy (seed 001's own headline: "the accuracy of CNN with the
     * largest energy is 2.5% higher than that with the smallest"); null ends when no run finished.
     */
    public record Extremes(End highest, End lowest) {
        /** Accuracy at the highest energy minus that at the lowest (0..1 scale), NaN without both. */
        public double gap() {
            return highest == null || lowest == null ? Double.NaN : highest.accuracy() - lowest.accuracy();
        }

        /** Whether the two ends are different energies (not one run, or all runs at one energy). */
        public boolean distinct() {
            return highest != null && lowest != null && highest.energy() != lowest.energy();
        }
    }

    public record Result(int n, Correlation pearson, Correlation spearman, Comparison topVsRandom, Extremes extremes,
                         double level, int resamples, long seed) {
    }

    private final int resamples;
    private final double level;
    private final long seed;

    /**
     * @param resamples bootstrap resamples (e.g. 2000)
     * @param level     confidence level, e.g. 0.95
     * @param seed      bootstrap seed (the same seed gives the same interval)
     */
    public EnergyAnalysis(int resamples, double level, long seed) {
        if (resamples < 1) {
            throw new io.parsimony.InputException("bootstrap resamples must be at least 1, got " + resamples);
        }
        if (!(level > 0 && level < 1)) {
            throw new io.parsimony.InputException("confidence level must be in (0, 1), got " + level);
        }
        this.resamples = resamples;
        this.level = level;
        this.seed = seed;
    }

    public static EnergyAnalysis defaults() {
        return new EnergyAnalysis(2000, 0.95, 0);
    }

    public Result analyse(List<Point> points) {
        int n = points.size();
        double[] x = points.stream().mapToDouble(Point::energy).toArray();
        double[] y = points.stream().mapToDouble(Point::accuracy).toArray();
        double pearson = pearson(x, y), spearman = spearman(x, y);
        List<Double> bp = new ArrayList<>(), bs = new ArrayList<>();
        if (n >= 3 && (Double.isFinite(pearson) || Double.isFinite(spearman))) {
            SplittableRandom rng = new SplittableRandom(seed);
            double[] rx = new double[n], ry = new double[n];
            for (int b = 0; b < resamples; b++) {
                for (int i = 0; i < n; i++) {
                    int j = rng.nextInt(n);
                    rx[i] = x[j];
                    ry[i] = y[j];
                }
                double p = pearson(rx, ry), s = spearman(rx, ry);
                if (Double.isFinite(p)) {
                    bp.add(p);
                }
                if (Double.isFinite(s)) {
                    bs.add(s);
                }
            }
        }
        double[] ci = interval(bp), cs = interval(bs);
        Correlation cp = new Correlation("Pearson r", pearson, ci[0], ci[1], n, bp.size());
        Correlation cr = new Correlation("Spearman ρ", spearman, cs[0], cs[1], n, bs.size());
        Extremes extremes = new Extremes(end(points, Arrays.stream(x).max()), end(points, Arrays.stream(x).min()));
        return new Result(n, cp, cr, compare(points), extremes, level, resamples, seed);
    }

    private static End end(List<Point> points, OptionalDouble energy) {
        if (energy.isEmpty()) {
            return null;
        }
        double e = energy.getAsDouble();
        double[] acc = points.stream().filter(p -> p.energy() == e).mapToDouble(Point::accuracy).toArray();
        return new End(e, Arrays.stream(acc).average().orElseThrow(), acc.length);
    }

    private Comparison compare(List<Point> points) {
        double[] top = points.stream().filter(Point::top).mapToDouble(Point::accuracy).toArray();
        double[] rnd = points.stream().filter(Point::random).mapToDouble(Point::accuracy).toArray();
        Group gt = group("top-energy", top), gr = group("random", rnd);
        double diff = gt.mean() - gr.mean();
        double[] ci = {Double.NaN, Double.NaN};
        if (top.length > 0 && rnd.length > 0) {
            SplittableRandom rng = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
            List<Double> d = new ArrayList<>();
            for (int b = 0; b < resamples; b++) {
                d.add(resampledMean(top, rng) - resampledMean(rnd, rng));
            }
            ci = interval(d);
        }
        return new Comparison(gt, gr, diff, ci[0], ci[1]);
    }

    private static double resampledMean(double[] v, SplittableRandom rng) {
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            s += v[rng.nextInt(v.length)];
        }
        return s / v.length;
    }

    private static Group group(String name, double[] v) {
        if (v.length == 0) {
            return new Group(name, 0, Double.NaN, Double.NaN);
        }
        double mean = Arrays.stream(v).average().orElse(Double.NaN);
        double ss = 0;
        for (double a : v) {
            ss += (a - mean) * (a - mean);
        }
        return new Group(name, v.length, mean, v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0);
    }

    /** Percentile interval at this level; NaN when nothing to take it from. */
    private double[] interval(List<Double> values) {
        if (values.isEmpty()) {
            return new double[] {Double.NaN, Double.NaN};
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double a = (1 - level) / 2;
        return new double[] {quantile(v, a), quantile(v, 1 - a)};
    }

    /** Linear interpolation between order statistics (type 7). */
    static double quantile(double[] sorted, double p) {
        double h = (sorted.length - 1) * p;
        int lo = (int) Math.floor(h);
        int hi = Math.min(sorted.length - 1, lo + 1);
        return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
    }

    static double pearson(double[] x, double[] y) {
        if (x.length < 3 || constant(x) || constant(y)) {
            return Double.NaN;
        }
        return new PearsonsCorrelation().correlation(x, y);
    }

    /** Pearson's r of the ranks, ties given their average rank. */
    static double spearman(double[] x, double[] y) {
        if (x.length < 3 || constant(x) || constant(y)) {
            return Double.NaN;
        }
        NaturalRanking ranking = new NaturalRanking(NaNStrategy.FAILED, TiesStrategy.AVERAGE);
        return pearson(ranking.rank(x), ranking.rank(y));
    }

    private static boolean constant(double[] v) {
        for (double a : v) {
            if (a != v[0]) {
                return false;
            }
        }
        return true;
    }
}
