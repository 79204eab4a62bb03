package io.parsimony.nn.model;

import ai.djl.nn.Block;
import io.parsimony.layout.LayoutException;

import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Locale;

/**
 * How much memory a network needs, computed from its spec before anything is allocated, so a
 * layout that cannot fit is refused in one line instead of stalling the machine (DJL/PyTorch
 * allocate every tensor at initialisation; a 200000-wide conv would ask for 1.4 TB).
 *
 * <p>{@code parameters} is exact: the elements of the distinct tensors the built network holds
 * (conv kernels, the four per-channel BatchNorm tensors, the classifier; a shared kernel once),
 * what {@link ModelSummary#parameters()} reports after initialisation. {@code activations} is
 * the elements of every conv's output for one image (each application of a shared kernel
 * counted): the feature maps the forward pass produces. Both are {@link BigInteger}s, so no
 * width can overflow them.
 *
 * <p>The limit is this machine's physical memory (the container's limit where there is one):
 * PyTorch allocates outside the JVM heap, so the heap size says nothing. The estimates are lower
 * bounds, so a refusal is certain to be right: building needs the parameters and one image's
 * feature maps as 32-bit floats; training needs weights, gradients and one optimizer state per
 * parameter, and for each image of a batch the conv and BatchNorm outputs kept for the backward
 * pass.
 */
public record ModelSize(String model, BigInteger parameters, BigInteger activations) {

    private static final BigInteger FLOAT = BigInteger.valueOf(4);
    private static final double GB = 1e9;

    /** The size of {@code spec} for {@code height}×{@code width} input images. */
    public static ModelSize of(ModelSpec spec, int height, int width) {
        if (height < 1 || width < 1) {
            throw new LayoutException("input images must be at least 1x1 pixels, got " + height + "x" + width);
        }
        return new ModelSize(spec.describe(), parameters(spec), activations(spec, height, width));
    }

    /** Bytes needed to build and initialise the network and run one image through it. */
    public BigInteger buildBytes() {
        return FLOAT.multiply(parameters.add(activations));
    }

    /** Bytes needed to train with {@code batch} images per step (a lower bound; see the class comment). */
    public BigInteger trainingBytes(int batch) {
        return FLOAT.multiply(BigInteger.valueOf(3).multiply(parameters)
                .add(BigInteger.valueOf(2).multiply(BigInteger.valueOf(batch)).multiply(activations)));
    }

    /** Refuses a network that cannot be built in {@code limitBytes}; returns this size otherwise. */
    public ModelSize requireBuildable(long limitBytes) {
        BigInteger need = buildBytes();
        if (need.compareTo(BigInteger.valueOf(limitBytes)) > 0) {
            throw new LayoutException(String.format(Locale.ROOT, "%s is too large to build: %s parameters and %s feature-map "
                            + "values per image need %s as 32-bit floats, more than this machine's %s of memory; use fewer or narrower "
                            + "layers (or smaller --input)", model, thousands(parameters), thousands(activations), gb(need),
                    gb(BigInteger.valueOf(limitBytes))));
        }
        return this;
    }

    /** Refuses training with {@code batch} images per step that cannot fit in {@code limitBytes}. */
    public ModelSize requireTrainable(int batch, long limitBytes) {
        requireBuildable(limitBytes);
        BigInteger need = trainingBytes(batch);
        if (need.compareTo(BigInteger.valueOf(limitBytes)) > 0) {
            BigInteger state = FLOAT.multiply(BigInteger.valueOf(3).multiply(parameters));
            throw new LayoutException(String.format(Locale.ROOT, "training %s with batch %d needs at least %s (weights, gradients "
                            + "and optimizer state %s, feature maps of the batch %s), more than this machine's %s of memory; "
                            + "lower --batch or use fewer or narrower layers", model, batch, gb(need), gb(state),
                    gb(need.subtract(state)), gb(BigInteger.valueOf(limitBytes))));
        }
        return this;
    }

    /** {@link #requireBuildable(long)} against {@link #machineMemory()}. */
    public ModelSize requireBuildable() {
        return requireBuildable(machineMemory());
    }

    /** {@link #requireTrainable(int, long)} against {@link #machineMemory()}: call before building a network to train. */
    public ModelSize requireTrainable(int batch) {
        return requireTrainable(batch, machineMemory());
    }

    /** Physical memory of this machine, or of its container when it has a limit. */
    public static long machineMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            long total = os.getTotalMemorySize();
            if (total > 0) {
                return total;
            }
        }
        return Runtime.getRuntime().maxMemory();
    }

    private static String gb(BigInteger bytes) {
        return String.format(Locale.ROOT, "%,.1f GB", new java.math.BigDecimal(bytes).doubleValue() / GB);
    }

    private static String thousands(BigInteger n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    // ---- parameters: the family's own build, with a factory that counts instead of allocating ----

    /** Tallies the layers a family asks for; the blocks it hands back are the free ones (no tensors yet). */
    private static final class Counter implements LayerFactory {
        BigInteger convWeights = BigInteger.ZERO;
        BigInteger normChannels = BigInteger.ZERO;
        BigInteger head = BigInteger.ZERO;

        @Override
        public Block conv(String key, int in, int out, int kernel, int stride) {
            convWeights = convWeights.add(BigInteger.valueOf(in).multiply(BigInteger.valueOf(out))
                    .multiply(BigInteger.valueOf((long) kernel * kernel)));
            return FREE.conv(key, in, out, kernel, stride);
        }

        @Override
        public Block batchNorm(String key, int channels) {
            normChannels = normChannels.add(BigInteger.valueOf(channels));
            return FREE.batchNorm(key, channels);
        }

        @Override
        public Block head(String key, int features, int classes) {
            head = head.add(BigInteger.valueOf(features).add(BigInteger.ONE).multiply(BigInteger.valueOf(classes)));
            return FREE.head(key, features, classes);
        }
    }

    private static Counter count(ModelSpec spec) {
        Counter c = new Counter();
        if (spec instanceof PlainCnnSpec p) {
            p.build(c);
        } else if (spec instanceof BlockResNetSpec r) {
            r.build(c);
        } else if (spec instanceof DacnnSpec d) {
            d.build(c);
        } else {
            throw new IllegalArgumentException("no free-weight family: " + spec.describe());
        }
        return c;
    }

    static BigInteger parameters(ModelSpec spec) {
        if (spec instanceof RescaledSpec r) {
            // optimised: the base's kernels, BN affines (γ, β) and classifier, plus the coefficients;
            // every BatchNorm of the rescaled net also holds four per-channel tensors of its own
            Counter base = count(r.base());
            Counter scaled = count(r.scaled());
            return base.convWeights.add(BigInteger.TWO.multiply(base.normChannels)).add(base.head)
                    .add(BigInteger.valueOf(r.coefficients())).add(BigInteger.valueOf(4).multiply(scaled.normChannels));
        }
        if (spec instanceof P4CnnSpec g) {
            // learnable filters, BatchNorm's four tensors per group channel, the classifier after rotation pooling
            long groupChannels = java.util.Arrays.stream(g.widths()).asLongStream().sum();
            long features = g.widths()[g.widths().length - 1];
            return BigInteger.valueOf(g.analyticConvWeights()).add(BigInteger.valueOf(4 * groupChannels))
                    .add(BigInteger.valueOf((features + 1) * g.classes()));
        }
        Counter c = count(spec);
        return c.convWeights.add(BigInteger.valueOf(4).multiply(c.normChannels)).add(c.head);
    }

    // ---- activations: each family's conv outputs, resolution by resolution ----

    static BigInteger activations(ModelSpec spec, int height, int width) {
        Maps m = new Maps(height, width);
        if (spec instanceof RescaledSpec r) {
            return activations(r.scaled(), height, width);
        }
        if (spec instanceof P4CnnSpec g) {
            return activations(g.plainTwin(), height, width);   // the same maps: 4 rotations per group channel
        }
        if (spec instanceof PlainCnnSpec p) {
            for (int i = 0; i < p.widths().length; i++) {
                m.convs(1, p.widths()[i]);
                final int conv = i + 1;
                if (Arrays.stream(p.poolAfter()).anyMatch(a -> a == conv)) {
                    m.pool();
                }
            }
        } else if (spec instanceof BlockResNetSpec r) {
            int[] w = r.widths();
            m.convs(r.repeats()[0], w[0]);
            int in = w[0];
            for (int u = 1; u < w.length; u++) {
                for (int b = 0; b < r.repeats()[u] / 2; b++) {
                    boolean strided = b == 0 && r.shape().strided(u);
                    if (strided) {
                        m.stride2();
                    }
                    m.convs(strided || in != w[u] ? 3 : 2, w[u]);
                    in = w[u];
                }
            }
        } else if (spec instanceof DacnnSpec d) {
            m.convs(1, d.widths().get(0));
            for (int s = 0; s < d.widths().size(); s++) {
                int w = d.widths().get(s);
                int in = s == 0 ? d.widths().get(0) : d.widths().get(s - 1);
                if (s > 0) {
                    m.pool();
                }
                long units = d.units().get(s);
                long convs = units * (d.residual() ? 2 : 1) + (d.residual() && in != w ? 1 : 0)
                        + (d.regulators().covers(s + 1) ? units * d.regulators().perUnit(d.residual()) : 0);
                m.convs(convs, w);
            }
        }
        return m.total;
    }

    /** Feature maps so far: the current resolution and the elements produced. */
    private static final class Maps {
        long h;
        long w;
        BigInteger total = BigInteger.ZERO;

        Maps(long h, long w) {
            this.h = h;
            this.w = w;
        }

        void convs(long count, long channels) {
            total = total.add(BigInteger.valueOf(count).multiply(BigInteger.valueOf(channels))
                    .multiply(BigInteger.valueOf(h)).multiply(BigInteger.valueOf(w)));
        }

        /** 2×2 max-pool, stride 2. */
        void pool() {
            h /= 2;
            w /= 2;
        }

        /** 3×3 conv, padding 1, stride 2. */
        void stride2() {
            h = (h - 1) / 2 + 1;
            w = (w - 1) / 2 + 1;
        }
    }
}
