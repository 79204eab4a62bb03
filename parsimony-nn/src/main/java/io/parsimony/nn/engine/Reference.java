package io.parsimony.nn.engine;

/**
 * The ops a training step runs, in double precision and plain Java loops: the yardstick the
 * engine's float32 kernels are checked against ({@link EngineCheck}). Written for clarity, not
 * speed: the check runs them on tiny shapes only. Tensors are row-major (N, C, H, W) arrays.
 */
final class Reference {

    private Reference() {
    }

    /** A conv's output and both gradients of {@code sum(y · g)}: dL/dx and dL/dw. */
    record ConvResult(double[] y, double[] dx, double[] dw) {
    }

    /** Bias-free 2-d convolution (zero padding, square kernel and stride) and its backward for upstream {@code g}. */
    static ConvResult conv2d(double[] x, double[] w, double[] g, int n, int c, int h, int wd, int o, int k, int stride,
                             int pad) {
        int oh = (h + 2 * pad - k) / stride + 1, ow = (wd + 2 * pad - k) / stride + 1;
        double[] y = new double[n * o * oh * ow];
        double[] dx = new double[x.length];
        double[] dw = new double[w.length];
        for (int b = 0; b < n; b++) {
            for (int f = 0; f < o; f++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        int yi = ((b * o + f) * oh + i) * ow + j;
                        double sum = 0, up = g[yi];
                        for (int ch = 0; ch < c; ch++) {
                            for (int ki = 0; ki < k; ki++) {
                                int r = i * stride - pad + ki;
                                if (r < 0 || r >= h) {
                                    continue;
                                }
                                for (int kj = 0; kj < k; kj++) {
                                    int col = j * stride - pad + kj;
                                    if (col < 0 || col >= wd) {
                                        continue;
                                    }
                                    int xi = ((b * c + ch) * h + r) * wd + col;
                                    int wi = ((f * c + ch) * k + ki) * k + kj;
                                    sum += x[xi] * w[wi];
                                    dx[xi] += up * w[wi];
                                    dw[wi] += up * x[xi];
                                }
                            }
                        }
                        y[yi] = sum;
                    }
                }
            }
        }
        return new ConvResult(y, dx, dw);
    }

    /** Training-mode BatchNorm's output and the gradients of {@code sum(y · g)} for x, γ and β. */
    record BatchNormResult(double[] y, double[] dx, double[] dGamma, double[] dBeta) {
    }

    /** BatchNorm over (N, H, W) per channel with the batch's biased variance, as in training. */
    static BatchNormResult batchNorm(double[] x, double[] gamma, double[] beta, double[] g, int n, int c, int hw, double eps) {
        double[] y = new double[x.length], dx = new double[x.length], dGamma = new double[c], dBeta = new double[c];
        int m = n * hw;
        for (int ch = 0; ch < c; ch++) {
            double mean = 0;
            for (int b = 0; b < n; b++) {
                for (int p = 0; p < hw; p++) {
                    mean += x[(b * c + ch) * hw + p];
                }
            }
            mean /= m;
            double var = 0;
            for (int b = 0; b < n; b++) {
                for (int p = 0; p < hw; p++) {
                    double d = x[(b * c + ch) * hw + p] - mean;
                    var += d * d;
                }
            }
            var /= m;
            double inv = 1 / Math.sqrt(var + eps), sumG = 0, sumGxHat = 0;
            for (int b = 0; b < n; b++) {
                for (int p = 0; p < hw; p++) {
                    int i = (b * c + ch) * hw + p;
                    double xHat = (x[i] - mean) * inv;
                    y[i] = gamma[ch] * xHat + beta[ch];
                    sumG += g[i];
                    sumGxHat += g[i] * xHat;
                }
            }
            dGamma[ch] = sumGxHat;
            dBeta[ch] = sumG;
            for (int b = 0; b < n; b++) {
                for (int p = 0; p < hw; p++) {
                    int i = (b * c + ch) * hw + p;
                    double xHat = (x[i] - mean) * inv;
                    dx[i] = gamma[ch] * inv * (g[i] - sumG / m - xHat * sumGxHat / m);
                }
            }
        }
        return new BatchNormResult(y, dx, dGamma, dBeta);
    }

    /** An op's output and its input gradient. */
    record Result(double[] y, double[] dx) {
    }

    /** 2×2 max-pool with stride 2 (no padding) and its backward (the gradient goes to each window's maximum). */
    static Result maxPool2(double[] x, double[] g, int n, int c, int h, int w) {
        int oh = h / 2, ow = w / 2;
        double[] y = new double[n * c * oh * ow], dx = new double[x.length];
        for (int plane = 0; plane < n * c; plane++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int best = -1;
                    for (int di = 0; di < 2; di++) {
                        for (int dj = 0; dj < 2; dj++) {
                            int xi = (plane * h + 2 * i + di) * w + 2 * j + dj;
                            best = best < 0 || x[xi] > x[best] ? xi : best;
                        }
                    }
                    int yi = (plane * oh + i) * ow + j;
                    y[yi] = x[best];
                    dx[best] += g[yi];
                }
            }
        }
        return new Result(y, dx);
    }

    /** A linear layer's output and the gradients of {@code sum(y · g)} for x, W and b. */
    record LinearResult(double[] y, double[] dx, double[] dw, double[] db) {
    }

    /** y = x·Wᵀ + b for x (n × in), W (out × in). */
    static LinearResult linear(double[] x, double[] w, double[] bias, double[] g, int n, int in, int out) {
        double[] y = new double[n * out], dx = new double[n * in], dw = new double[out * in], db = new double[out];
        for (int r = 0; r < n; r++) {
            for (int o = 0; o < out; o++) {
                double sum = bias[o], up = g[r * out + o];
                for (int i = 0; i < in; i++) {
                    sum += x[r * in + i] * w[o * in + i];
                    dx[r * in + i] += up * w[o * in + i];
                    dw[o * in + i] += up * x[r * in + i];
                }
                y[r * out + o] = sum;
                db[o] += up;
            }
        }
        return new LinearResult(y, dx, dw, db);
    }

    /** Mean cross-entropy of logits (n × classes) against labels, and its gradient for the logits. */
    static Result crossEntropy(double[] z, int[] labels, int classes) {
        int n = labels.length;
        double loss = 0;
        double[] dz = new double[z.length];
        for (int r = 0; r < n; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < classes; k++) {
                max = Math.max(max, z[r * classes + k]);
            }
            double sum = 0;
            for (int k = 0; k < classes; k++) {
                sum += Math.exp(z[r * classes + k] - max);
            }
            double logSum = max + Math.log(sum);
            loss += logSum - z[r * classes + labels[r]];
            for (int k = 0; k < classes; k++) {
                dz[r * classes + k] = (Math.exp(z[r * classes + k] - logSum) - (k == labels[r] ? 1 : 0)) / n;
            }
        }
        return new Result(new double[] {loss / n}, dz);
    }

    /**
     * One step of the fused SGD the trainer issues, in its state form v = lr·b:
     * v ← μ·v + lr·(g + λ·w), w ← w − v. Returns {w, v} after the step.
     */
    static double[][] sgd(double[] w, double[] g, double[] v, double lr, double decay, double momentum) {
        double[] w2 = new double[w.length], v2 = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            v2[i] = momentum * v[i] + lr * (g[i] + decay * w[i]);
            w2[i] = w[i] - v2[i];
        }
        return new double[][] {w2, v2};
    }
}
