package io.parsimony.search;

import io.parsimony.layout.NetworkShape;
import io.parsimony.layout.UnitSpec;

/**
 * A proven upper bound on the energy reachable by the units i..N−1 of a shape, given the
 * width p before them and a remaining budget R: the continuous relaxation of Eq. 4.
 *
 * <p>With x_j = ln n_j, the log-energy Σ ln x_j is concave and the weight count
 * G(x) = Σ k_j²(e^{x_{j−1}+x_j} + (r_j−1)e^{2x_j}) + b_j e^{x_j} is convex, so
 * max Σ ln x_j s.t. G ≤ R is a convex program. Projection shortcuts are left out of G (that
 * only enlarges the feasible set) and integrality and order are dropped, so its optimum bounds
 * every integer layout. Any multiplier λ ≥ 0 gives the weak-duality bound
 * λR + max_x [Σ ln x_j − λG(x)]; the inner maximum is over the box ln 2 ≤ x_j ≤ ln R (a width
 * of 1 gives energy 0, below any bound) and is certified, not trusted: at the Newton iterate x̂
 * with gradient g, concavity gives max ≤ φ(x̂) + Σ max(g_j(lo−x̂_j), g_j(hi−x̂_j)). So the value
 * returned is a bound even if the numerics stop early; the solver only makes it tight.
 *
 * <p>Not thread-safe (it reuses scratch arrays); make one per thread.
 */
public final class RelaxationBound {
    private static final double LO = Math.log(2);

    private final int n;
    private final double[] a;   // k²: coefficient of n_{j-1}·n_j
    private final double[] b;   // k²(r−1): coefficient of n_j²
    private final double[] c;   // r if biases are counted: coefficient of n_j
    private final double[] x;
    private final double[] e;
    private final double[] g;
    private final double[] diag;
    private final double[] off;
    private final double[] d;
    private final double[] xTrial;
    private final double[] cp;
    private final double[] dp;
    private double[] last;      // continuous optimum of the last call (widths), for the heuristic

    public RelaxationBound(NetworkShape shape) {
        n = shape.depth();
        a = new double[n];
        b = new double[n];
        c = new double[n];
        for (int j = 0; j < n; j++) {
            UnitSpec u = shape.unit(j);
            double k2 = (double) u.kernel() * u.kernel();
            a[j] = k2;
            b[j] = k2 * (u.convLayers() - 1);
            c[j] = shape.countBiases() ? u.convLayers() : 0;
        }
        x = new double[n];
        e = new double[n];
        g = new double[n];
        diag = new double[n];
        off = new double[n];
        d = new double[n];
        xTrial = new double[n];
        cp = new double[n];
        dp = new double[n];
    }

    /**
     * Upper bound on Π_{j=i}^{N−1} ln n_j over widths with n_{i−1} = p (the input channels
     * when i = 0) and counted weights of units i.. at most R. Returns 0 when no width ≥ 2
     * fits (then every completion has energy 0).
     */
    public double bound(int i, double p, double remaining) {
        if (i >= n) {
            return 1.0;
        }
        double hi = Math.log(Math.max(remaining, 2.0));
        if (minCostAllTwo(i, p) > remaining) {
            return 0.0;   // some width must be 1
        }
        int len = n - i;
        double lnP = Math.log(p);
        // start: equal widths that spend about the budget
        double w0 = Math.max(2.0, Math.sqrt(remaining / (len * (a[i] + b[i]) + 1e-300)));
        for (int j = i; j < n; j++) {
            x[j] = clamp(Math.log(w0), hi);
        }
        double lam = len / (2.0 * remaining * Math.max(LO, Math.log(w0)));
        double lamLo = 0, lamHi = Double.POSITIVE_INFINITY;
        double best = Double.POSITIVE_INFINITY;
        for (int it = 0; it < 60; it++) {
            solveInner(i, lnP, lam, hi);
            double cert = certificate(i, lnP, lam, hi, remaining);
            if (cert < best) {
                best = cert;
            }
            double gx = cost(i, lnP, x);
            if (Math.abs(gx - remaining) <= 1e-9 * remaining) {
                break;
            }
            if (gx > remaining) {
                lamLo = lam;
                lam = Double.isInfinite(lamHi) ? lam * 4 : Math.sqrt(lamLo * lamHi);
            } else {
                lamHi = lam;
                lam = lamLo == 0 ? lam / 4 : Math.sqrt(lamLo * lamHi);
            }
            if (lamLo > 0 && lamHi / lamLo < 1 + 1e-10) {
                break;
            }
        }
        last = new double[len];
        for (int j = i; j < n; j++) {
            last[j - i] = Math.exp(x[j]);
        }
        return Math.exp(best);
    }

    /** The continuous widths at which the last {@link #bound} call's relaxation peaked. */
    public double[] lastContinuousOptimum() {
        return last == null ? new double[0] : last.clone();
    }

    private double minCostAllTwo(int i, double p) {
        double sum = 0, prev = p;
        for (int j = i; j < n; j++) {
            sum += a[j] * prev * 2 + b[j] * 4 + c[j] * 2;
            prev = 2;
        }
        return sum;
    }

    private static double clamp(double v, double hi) {
        return v < LO ? LO : Math.min(v, hi);
    }

    private double cost(int i, double lnP, double[] xs) {
        double sum = 0, prevE = Math.exp(lnP);
        for (int j = i; j < n; j++) {
            double ej = Math.exp(xs[j]);
            sum += a[j] * prevE * ej + b[j] * ej * ej + c[j] * ej;
            prevE = ej;
        }
        return sum;
    }

    private double phi(int i, double lnP, double lam, double[] xs) {
        double s = 0;
        for (int j = i; j < n; j++) {
            s += Math.log(xs[j]);
        }
        return s - lam * cost(i, lnP, xs);
    }

    /** Fills g (gradient of φ) and the tridiagonal of −H at the current x. */
    private void derivatives(int i, double lnP, double lam) {
        for (int j = i; j < n; j++) {
            e[j] = Math.exp(x[j]);
        }
        double prevE = Math.exp(lnP);
        for (int j = i; j < n; j++) {
            double t = a[j] * prevE * e[j];
            double q = b[j] * e[j] * e[j];
            double s = c[j] * e[j];
            double tNext = j + 1 < n ? a[j + 1] * e[j] * e[j + 1] : 0;
            g[j] = 1.0 / x[j] - lam * (t + 2 * q + s + tNext);
            diag[j] = 1.0 / (x[j] * x[j]) + lam * (t + 4 * q + s + tNext);
            off[j] = lam * tNext;   // −H_{j,j+1} = λ·T_{j+1}; the Hessian of G has +T there, so −H has… see solve
            prevE = e[j];
        }
    }

    private void solveInner(int i, double lnP, double lam, double hi) {
        double f = phi(i, lnP, lam, x);
        for (int iter = 0; iter < 50; iter++) {
            derivatives(i, lnP, lam);
            // Newton: (−H) d = g, with −H tridiagonal: diag, and off-diagonals −λT_{j+1}·(−1)… (−H)_{j,j+1} = λ·T_{j+1}
            // Hessian of φ: H_{j,j+1} = −λ·∂²G/∂x_j∂x_{j+1} = −λ·T_{j+1}, so (−H)_{j,j+1} = +λ·T_{j+1} = off[j].
            thomas(i);
            double step = 1.0;
            boolean moved = false;
            for (int ls = 0; ls < 30; ls++) {
                for (int j = i; j < n; j++) {
                    xTrial[j] = clamp(x[j] + step * d[j], hi);
                }
                double ft = phi(i, lnP, lam, xTrial);
                if (ft >= f) {
                    moved = ft > f;
                    System.arraycopy(xTrial, i, x, i, n - i);
                    f = ft;
                    break;
                }
                step *= 0.5;
            }
            if (!moved) {
                break;
            }
            double maxStep = 0;
            for (int j = i; j < n; j++) {
                maxStep = Math.max(maxStep, Math.abs(step * d[j]));
            }
            if (maxStep < 1e-13) {
                break;
            }
        }
    }

    /** Solves the tridiagonal system (−H) d = g for d. */
    private void thomas(int i) {
        // (−H)_{j,j} = diag[j]; (−H)_{j,j+1} = (−H)_{j+1,j} = off[j]
        cp[i] = off[i] / diag[i];
        dp[i] = g[i] / diag[i];
        for (int j = i + 1; j < n; j++) {
            double m = diag[j] - off[j - 1] * cp[j - 1];
            cp[j] = off[j] / m;
            dp[j] = (g[j] - off[j - 1] * dp[j - 1]) / m;
        }
        d[n - 1] = dp[n - 1];
        for (int j = n - 2; j >= i; j--) {
            d[j] = dp[j] - cp[j] * d[j + 1];
        }
    }

    private double certificate(int i, double lnP, double lam, double hi, double remaining) {
        derivatives(i, lnP, lam);
        double val = phi(i, lnP, lam, x) + lam * remaining;
        for (int j = i; j < n; j++) {
            val += Math.max(g[j] * (LO - x[j]), g[j] * (hi - x[j]));
        }
        return val;
    }
}
