package io.parsimony.export.graph;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Rewrites of a {@link Network} that keep its outputs (up to float rounding): materialising
 * generated kernels, and folding inference-mode BatchNorm into the conv before it.
 */
public final class Transforms {

    private Transforms() {
    }

    /**
     * Every {@link Layer.GeneratedConv} as a plain conv holding its generated kernel, every
     * {@link Layer.RepeatedNorm} as a plain BatchNorm with the repeated scale and shift: a file any
     * runtime reads as ordinary convs, at the size of the rescaled network instead of its base.
     */
    public static Network materialise(Network net) {
        return net.withLayers(map(net.layers(), l -> {
            if (l instanceof Layer.GeneratedConv g) {
                return new Layer.Conv(new Tensor(g.base().name() + ".generated",
                        new long[] {g.out(), g.in(), g.kernel(), g.kernel()}, generate(g)), null, g.stride(), g.kernel() / 2);
            }
            return l instanceof Layer.RepeatedNorm n ? plainNorm(n) : l;
        }));
    }

    /**
     * BatchNorm folded into the conv before it: W' = W·s, b' = b·s + t with s = scale/√(var+ε),
     * t = shift − mean·s. A conv whose kernel is shared (DACNN) or generated (rescaled) cannot take
     * per-layer BN into its kernel without un-sharing it, so there BN becomes a per-channel
     * {@link Layer.Affine} x·s + t (2C values, like BN's affine) and the kernel stays one tensor.
     */
    public static Network foldBatchNorm(Network net) {
        Map<Tensor, Integer> uses = new IdentityHashMap<>();
        countConvUses(net.layers(), uses);
        return net.withLayers(fold(net.layers(), uses));
    }

    private static void countConvUses(List<Layer> layers, Map<Tensor, Integer> uses) {
        for (Layer l : layers) {
            if (l instanceof Layer.Conv c) {
                uses.merge(c.weight(), 1, Integer::sum);
            } else if (l instanceof Layer.Residual r) {
                countConvUses(r.main(), uses);
                countConvUses(r.shortcut(), uses);
            }
        }
    }

    private static List<Layer> fold(List<Layer> layers, Map<Tensor, Integer> uses) {
        List<Layer> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Layer l = layers.get(i);
            Layer next = i + 1 < layers.size() ? layers.get(i + 1) : null;
            if (l instanceof Layer.Residual r) {
                out.add(new Layer.Residual(fold(r.main(), uses), fold(r.shortcut(), uses)));
                continue;
            }
            boolean conv = l instanceof Layer.Conv || l instanceof Layer.GeneratedConv;
            float[][] st = conv && next != null ? scaleShift(next) : null;
            if (st == null) {
                out.add(l);
                continue;
            }
            String name = l instanceof Layer.Conv c ? c.weight().name() : ((Layer.GeneratedConv) l).base().name();
            if (l instanceof Layer.Conv c && uses.get(c.weight()) == 1) {
                out.add(foldInto(c, st[0], st[1]));
            } else {
                out.add(l);
                int n = st[0].length;
                out.add(new Layer.Affine(new Tensor(name + ".bnscale" + i, new long[] {n}, st[0]),
                        new Tensor(name + ".bnshift" + i, new long[] {n}, st[1])));
            }
            i++;   // the BatchNorm is consumed
        }
        return out;
    }

    /** (s, t) of a BatchNorm layer, null for any other layer. */
    private static float[][] scaleShift(Layer l) {
        Layer.Norm n = l instanceof Layer.Norm norm ? norm : l instanceof Layer.RepeatedNorm r ? plainNorm(r) : null;
        if (n == null) {
            return null;
        }
        int c = n.mean().data().length;
        float[] s = new float[c], t = new float[c];
        for (int j = 0; j < c; j++) {
            double sj = n.scale().data()[j] / Math.sqrt(n.variance().data()[j] + (double) n.epsilon());
            s[j] = (float) sj;
            t[j] = (float) (n.shift().data()[j] - n.mean().data()[j] * sj);
        }
        return new float[][] {s, t};
    }

    private static Layer.Conv foldInto(Layer.Conv c, float[] s, float[] t) {
        Tensor w = c.weight();
        int out = w.dim(0), per = w.data().length / out;
        float[] fw = new float[w.data().length], fb = new float[out];
        for (int o = 0; o < out; o++) {
            for (int j = 0; j < per; j++) {
                fw[o * per + j] = w.data()[o * per + j] * s[o];
            }
            fb[o] = (c.bias() == null ? 0 : c.bias().data()[o] * s[o]) + t[o];
        }
        return new Layer.Conv(new Tensor(w.name() + ".folded", w.shape(), fw),
                new Tensor(w.name().replace("weight", "bias") + ".folded", new long[] {out}, fb), c.stride(), c.padding());
    }

    /** The generated out×in×k×k kernel of a {@link Layer.GeneratedConv}, as PyTorch's rot90 + cat + crop computes it. */
    public static float[] generate(Layer.GeneratedConv g) {
        Tensor base = g.base();
        int bo = base.dim(0), bi = base.dim(1), k = g.kernel();
        float[] w = base.data(), c = g.coefficients().data();
        float[] out = new float[g.out() * g.in() * k * k];
        for (int o = 0; o < g.out(); o++) {
            for (int i = 0; i < g.in(); i++) {
                int a = o / bo, b = i / bi, t = g.turns(a, b);
                float alpha = c[a * g.tilesIn() + b];
                int src = ((o % bo) * bi + (i % bi)) * k * k;
                for (int y = 0; y < k; y++) {
                    for (int x = 0; x < k; x++) {
                        // torch.rot90(w, t, dims=(2, 3)): 1 → w[x][k-1-y], 2 → w[k-1-y][k-1-x], 3 → w[k-1-x][y]
                        int sy, sx;
                        switch (t) {
                            case 1 -> { sy = x; sx = k - 1 - y; }
                            case 2 -> { sy = k - 1 - y; sx = k - 1 - x; }
                            case 3 -> { sy = k - 1 - x; sx = y; }
                            default -> { sy = y; sx = x; }
                        }
                        out[((o * g.in() + i) * k + y) * k + x] = w[src + sy * k + sx] * alpha;
                    }
                }
            }
        }
        return out;
    }

    private static Layer.Norm plainNorm(Layer.RepeatedNorm n) {
        return new Layer.Norm(repeat(n.baseScale(), n.channels()), repeat(n.baseShift(), n.channels()), n.mean(),
                n.variance(), n.epsilon());
    }

    /** A per-channel vector repeated cyclically to {@code channels}. */
    static Tensor repeat(Tensor base, int channels) {
        float[] b = base.data(), r = new float[channels];
        for (int j = 0; j < channels; j++) {
            r[j] = b[j % b.length];
        }
        return new Tensor(base.name() + ".repeated" + channels, new long[] {channels}, r);
    }

    private static List<Layer> map(List<Layer> layers, java.util.function.UnaryOperator<Layer> f) {
        List<Layer> out = new ArrayList<>();
        for (Layer l : layers) {
            out.add(l instanceof Layer.Residual r ? new Layer.Residual(map(r.main(), f), map(r.shortcut(), f)) : f.apply(l));
        }
        return out;
    }
}
