package io.parsimony.search;

import io.parsimony.layout.NetworkShape;
import io.parsimony.layout.UnitSpec;

/**
 * A proven upper bound on the energy reachable by the units i..N−1 of a shape, given the
 * width p before them and a remaining budget R: the continuous relaxation of Eq. 4.
 *
 * <p>With x_j = ln n_j, the log-energy Σ ln x_j is concave and the weight count
 * G(x) = Σ k_j²(e^{x_{j−1}+x_j} + (r_j−1)e^{2x_j}) + b_j e^{x_j} is convex, so
 * max Σ ln x_j s.t. G ≤ R is a convex program. Ordered searches keep their order as
 * x_j ≥ x_{j−1} (linear, so still convex), written with increments y_j = x_j − x_{j−1} ≥ 0:
 * without it the relaxed optimum zig-zags (wide, narrow, wide…) far above any ordered layout.
 * Projection shortcuts are left out of G (that only enlarges the feasible set) and
 * integrality is dropped, so the optimum bounds every integer layout.
 *
 * <p>Any multiplier λ ≥ 0 gives the weak-duality bound λR + max_y [Σ ln x_j − λG]; the inner
 * maximum over the box of y (widths ≥ 2: a width of 1 gives energy 0, below any bound) is
 * certified, not trusted: at the Newton iterate ŷ with gradient g, concavity gives
 * max ≤ φ(ŷ) + Σ max(g_j(lo_j−ŷ_j), g_j(hi_j−ŷ_j)). So the value returned is a bound even if
 * the numerics stop early; the solver only makes it tight.
 *
 * <p>Not thread-safe (it reuses scratch arrays); make one per thread.
 */
public final class RelaxationBound {
    private static final double LN2 = Math.log(2);

    private final int n;
    private final boolean ordered;
    private final double[] a;   // k²: coefficient of n_{j-1}·n_j
    private final double[] b;   // k²(r−1): coefficient of n_j²
    private final double[] c;   // r if biases are counted: coefficient of n_j
    // scratch, indexed by position within the tail (0..len−1)
    private final double[] y, x, e, gx, gy, dx, ox, d, yTrial, lo, hiBox;
    private final double[][] h;
    private double[] last;

    public RelaxationBound(NetworkShape shape) {
        this(shape, Order.FREE);
    }

    public RelaxationBound(NetworkShape shape, Order order) {
        n = shape.depth();
        if (n > LayoutSearch.MAX_DEPTH) {   // its Hessian is n × n doubles, its Newton steps n³
            throw new io.parsimony.layout.LayoutException(String.format(java.util.Locale.ROOT,
                    "the relaxation supports at most %,d units, got %,d", LayoutSearch.MAX_DEPTH, n));
        }
        ordered = order != Order.FREE;
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
        y = new double[n];
        x = new double[n];
        e = new double[n];
        gx = new double[n];
        gy = new double[n];
        dx = new double[n];
        ox = new double[n];
        d = new double[n];
        yTrial = new double[n];
        lo = new double[n];
        hiBox = new double[n];
        h = new double[n][n];
    }

    /**
     * Upper bound on Π_{j=i}^{N−1} ln n_j over widths with n_{i−1} = p (the input channels
     * when i = 0), in the search's order, and counted weights of units i.. at most R.
     * Returns 0 when no width ≥ 2 fits (then every completion has energy 0).
     */
    public double bound(int i, double p, double remaining) {
        if (i >= n) {
            return 1.0;
        }
        int len = n - i;
        double lnP = Math.log(p);
        double lnR = Math.log(Math.max(remaining, 2.0));
        if (minCostAllTwo(i, p) > remaining) {
            return 0.0;   // some width must be 1
        }
        // box and offset: x_j = offset + Σ_{m ≤ j} y_m (ordered) or x_j = y_j (free)
        double offset = ordered && i > 0 ? lnP : 0;
        for (int m = 0; m < len; m++) {
            boolean first = m == 0 || !ordered;
            lo[m] = first ? Math.max(LN2 - offset, 0) : 0;
            if (first && offset == 0) {
                lo[m] = LN2;
            }
            hiBox[m] = lnR;
        }
        double w0 = Math.max(2.0, Math.sqrt(remaining / (len * (a[i] + b[i]) + 1e-300)));
        for (int m = 0; m < len; m++) {
            boolean first = m == 0 || !ordered;
            y[m] = first ? clamp(Math.max(Math.log(w0) - offset, lo[m] + 0.01), m) : clamp(0.01, m);
        }
        double t = Math.log(len / (2.0 * remaining * Math.max(LN2, Math.log(w0))));
        double tLo = Double.NEGATIVE_INFINITY, tHi = Double.POSITIVE_INFINITY;
        double hLo = 0, hHi = 0;
        double best = Double.POSITIVE_INFINITY;
        for (int it = 0; it < 100; it++) {
            double lam = Math.exp(t);
            solveInner(i, len, lnP, offset, lam);
            double hv = Math.log(cost(i, len, lnP, x)) - Math.log(remaining);   // > 0: over budget, λ too small
            if (Math.abs(hv) < 1e-9 || it == 99) {
                best = certificate(i, len, lnP, offset, lam, remaining);
                break;
            }
            if (hv > 0) {
                tLo = t;
                hLo = hv;
            } else {
                tHi = t;
                hHi = hv;
            }
            if (Double.isInfinite(tLo)) {
                t -= 2;
            } else if (Double.isInfinite(tHi)) {
                t += 2;
            } else {
                if (tHi - tLo < 1e-12) {
                    best = certificate(i, len, lnP, offset, lam, remaining);
                    break;
                }
                double secant = tLo + (tHi - tLo) * hLo / (hLo - hHi);
                double margin = 1e-3 * (tHi - tLo);
                t = secant > tLo + margin && secant < tHi - margin ? secant : 0.5 * (tLo + tHi);
            }
        }
        last = new double[len];
        toX(len, offset, y, x);
        for (int m = 0; m < len; m++) {
            last[m] = Math.exp(x[m]);
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

    private double clamp(double v, int m) {
        return v < lo[m] ? lo[m] : Math.min(v, hiBox[m]);
    }

    private void toX(int len, double offset, double[] ys, double[] xs) {
        double acc = offset;
        for (int m = 0; m < len; m++) {
            if (ordered) {
                acc += ys[m];
                xs[m] = acc;
            } else {
                xs[m] = ys[m];
            }
        }
    }

    private double cost(int i, int len, double lnP, double[] xs) {
        double sum = 0, prevE = Math.exp(lnP);
        for (int m = 0; m < len; m++) {
            int j = i + m;
            double ej = Math.exp(xs[m]);
            sum += a[j] * prevE * ej + b[j] * ej * ej + c[j] * ej;
            prevE = ej;
        }
        return sum;
    }

    private double phi(int i, int len, double lnP, double offset, double lam, double[] ys) {
        toX(len, offset, ys, ox);
        double s = 0;
        for (int m = 0; m < len; m++) {
            s += Math.log(ox[m]);
        }
        return s - lam * cost(i, len, lnP, ox);
    }

    /** Gradient gy and Hessian of −φ (h, dense) with respect to y, at the current y. */
    private void derivatives(int i, int len, double lnP, double offset, double lam) {
        toX(len, offset, y, x);
        for (int m = 0; m < len; m++) {
            e[m] = Math.exp(x[m]);
        }
        double prevE = Math.exp(lnP);
        for (int m = 0; m < len; m++) {
            int j = i + m;
            double tj = a[j] * prevE * e[m];
            double q = b[j] * e[m] * e[m];
            double s = c[j] * e[m];
            double tNext = m + 1 < len ? a[j + 1] * e[m] * e[m + 1] : 0;
            gx[m] = 1.0 / x[m] - lam * (tj + 2 * q + s + tNext);
            dx[m] = 1.0 / (x[m] * x[m]) + lam * (tj + 4 * q + s + tNext);   // (−H_x)_{mm}
            ox[m] = lam * tNext;                                           // (−H_x)_{m,m+1}
            prevE = e[m];
        }
        if (!ordered) {
            for (int m = 0; m < len; m++) {
                gy[m] = gx[m];
                java.util.Arrays.fill(h[m], 0, len, 0.0);
                h[m][m] = dx[m];
                if (m + 1 < len) {
                    h[m][m + 1] = ox[m];
                    h[m + 1][m] = ox[m];
                }
            }
            return;
        }
        // x = offset + T y with T lower-triangular ones: g_y = Tᵀ g_x (suffix sums), H_y = Tᵀ H_x T
        double acc = 0;
        for (int m = len - 1; m >= 0; m--) {
            acc += gx[m];
            gy[m] = acc;
        }
        // column suffix sums of the tridiagonal M = −H_x, then row suffix sums
        for (int r = 0; r < len; r++) {
            double s = 0;
            for (int col = len - 1; col >= 0; col--) {
                double mv = col == r ? dx[r] : col == r + 1 ? ox[r] : col == r - 1 ? ox[col] : 0;
                s += mv;
                h[r][col] = s;
            }
        }
        for (int col = 0; col < len; col++) {
            double s = 0;
            for (int r = len - 1; r >= 0; r--) {
                s += h[r][col];
                h[r][col] = s;
            }
        }
    }

    /** Projected Newton on the box: variables at a bound whose gradient points out stay fixed. */
    private void solveInner(int i, int len, double lnP, double offset, double lam) {
        double f = phi(i, len, lnP, offset, lam, y);
        for (int iter = 0; iter < 60; iter++) {
            derivatives(i, len, lnP, offset, lam);
            boolean[] free = new boolean[len];
            for (int m = 0; m < len; m++) {
                free[m] = !((y[m] <= lo[m] + 1e-14 && gy[m] < 0) || (y[m] >= hiBox[m] - 1e-14 && gy[m] > 0));
            }
            if (!newtonDirection(len, free)) {
                break;
            }
            double step = 1.0;
            boolean moved = false;
            for (int ls = 0; ls < 40; ls++) {
                for (int m = 0; m < len; m++) {
                    yTrial[m] = clamp(y[m] + step * d[m], m);
                }
                double ft = phi(i, len, lnP, offset, lam, yTrial);
                if (ft >= f) {
                    moved = ft > f;
                    System.arraycopy(yTrial, 0, y, 0, len);
                    f = ft;
                    break;
                }
                step *= 0.5;
            }
            double maxStep = 0;
            for (int m = 0; m < len; m++) {
                maxStep = Math.max(maxStep, Math.abs(step * d[m]));
            }
            if (!moved || maxStep < 1e-13) {
                break;
            }
        }
    }

    /** Solves H_FF d_F = g_F (Cholesky; H = −Hessian is positive definite); d = 0 off F. */
    private boolean newtonDirection(int len, boolean[] free) {
        int[] idx = new int[len];
        int k = 0;
        for (int m = 0; m < len; m++) {
            d[m] = 0;
            if (free[m]) {
                idx[k++] = m;
            }
        }
        if (k == 0) {
            return false;
        }
        double[][] l = new double[k][k];
        for (int r = 0; r < k; r++) {
            for (int col = 0; col <= r; col++) {
                double s = h[idx[r]][idx[col]];
                for (int q = 0; q < col; q++) {
                    s -= l[r][q] * l[col][q];
                }
                if (r == col) {
                    if (s <= 0) {
                        return false;
                    }
                    l[r][r] = Math.sqrt(s);
                } else {
                    l[r][col] = s / l[col][col];
                }
            }
        }
        double[] z = new double[k];
        for (int r = 0; r < k; r++) {
            double s = gy[idx[r]];
            for (int q = 0; q < r; q++) {
                s -= l[r][q] * z[q];
            }
            z[r] = s / l[r][r];
        }
        for (int r = k - 1; r >= 0; r--) {
            double s = z[r];
            for (int q = r + 1; q < k; q++) {
                s -= l[q][r] * d[idx[q]];
            }
            d[idx[r]] = s / l[r][r];
        }
        return true;
    }

    private double certificate(int i, int len, double lnP, double offset, double lam, double remaining) {
        derivatives(i, len, lnP, offset, lam);
        double val = phi(i, len, lnP, offset, lam, y) + lam * remaining;
        for (int m = 0; m < len; m++) {
            val += Math.max(gy[m] * (lo[m] - y[m]), gy[m] * (hiBox[m] - y[m]));
        }
        return val;
    }
}
