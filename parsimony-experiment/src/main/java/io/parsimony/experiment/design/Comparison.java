package io.parsimony.experiment.design;

import java.util.List;

/**
 * The final comparison's statistics: a group's test accuracies (one per seed) as mean ± sample
 * standard deviation, and the difference of two groups' means with a 95% Welch confidence
 * interval (Student's t quantile at the Welch–Satterthwaite degrees of freedom).
 */
public final class Comparison {

    private Comparison() {
    }

    /** One network of the final comparison: its role (winner, default, random), model, test top-1 per seed, their mean and deviation. */
    public record Group(String role, String model, List<Double> top1, double mean, double std) {
        /** The group of these per-seed test accuracies. */
        public static Group of(String role, String model, List<Double> top1) {
            double mean = top1.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
            double ss = top1.stream().mapToDouble(x -> (x - mean) * (x - mean)).sum();
            return new Group(role, model, List.copyOf(top1), mean, top1.size() > 1 ? Math.sqrt(ss / (top1.size() - 1)) : Double.NaN);
        }
    }

    /** {@code a.mean − b.mean} and its 95% interval [low, high]. */
    public record Difference(String of, String against, double mean, double low, double high) {
    }

    /** {@code a}'s mean accuracy minus {@code b}'s, with its confidence interval. */
    public static Difference difference(Group a, Group b) {
        double d = a.mean() - b.mean();
        int na = a.top1().size(), nb = b.top1().size();
        if (na < 2 || nb < 2) {
            return new Difference(a.role(), b.role(), d, Double.NaN, Double.NaN);
        }
        double va = a.std() * a.std() / na, vb = b.std() * b.std() / nb;
        double se = Math.sqrt(va + vb);
        if (se == 0) {
            return new Difference(a.role(), b.role(), d, d, d);
        }
        double df = (va + vb) * (va + vb) / (va * va / (na - 1) + vb * vb / (nb - 1));
        double t = t975(df);
        return new Difference(a.role(), b.role(), d, d - t * se, d + t * se);
    }

    /** The 97.5% quantile of Student's t with {@code df} degrees of freedom (table, linear between entries). */
    static double t975(double df) {
        double[] q = {Double.NaN, 12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228,
                2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086};
        if (df >= 20) {
            return 1.96 + (2.086 - 1.96) * 20 / df;
        }
        double lo = Math.max(1, Math.floor(df));
        int i = (int) lo;
        return q[i] + (q[Math.min(20, i + 1)] - q[i]) * (df - lo);
    }
}
