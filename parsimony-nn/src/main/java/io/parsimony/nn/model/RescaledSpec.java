package io.parsimony.nn.model;

import ai.djl.nn.Block;
import io.parsimony.layout.LayoutException;

import java.util.Arrays;
import java.util.function.Function;

/**
 * A base network rescaled without new optimised weights (seed 004): widths × {@code width}
 * and depth × {@code depth} (plain: every conv applied {@code depth} times in a row; ResNet:
 * every unit's blocks repeated {@code depth} times), every conv kernel and BatchNorm affine
 * generated from the base network's by learnable repetition ({@link RepeatedConv2d},
 * {@link RepeatedBatchNorm}). Optimised parameters = the base's + {@link #coefficients()}.
 * {@code tiles} says whether the repeated copies of a base kernel are rotated by 90° steps (the
 * default) or plain scaled copies.
 */
public record RescaledSpec(ModelSpec base, int width, int depth, Tiles tiles) implements ModelSpec {

    /** How the tiles of a generated kernel relate to the base kernel. */
    public enum Tiles {
        /** tile t is α_t · rot90^t(W_base): copies differ as a G-CNN's rotated filters do */
        ROTATED,
        /** tile t is α_t · W_base: repetition without rotation (the control for the rotation) */
        PLAIN
    }

    /** Rotated tiles, the rescaler's default. */
    public RescaledSpec(ModelSpec base, int width, int depth) {
        this(base, width, depth, Tiles.ROTATED);
    }

    public RescaledSpec {
        tiles = tiles == null ? Tiles.ROTATED : tiles;   // checkpoints written before tiles were a choice
        if (width < 1 || depth < 1) {
            throw new LayoutException("rescaling factors must be ≥ 1, got width x" + width + ", depth x" + depth);
        }
        if (!(base instanceof PlainCnnSpec) && !(base instanceof BlockResNetSpec)) {
            throw new LayoutException("rescaling applies to plain and residual layouts, not " + base.describe());
        }
        int[] widths = base instanceof PlainCnnSpec p ? p.widths() : ((BlockResNetSpec) base).widths();
        int[] lengths = base instanceof PlainCnnSpec p ? new int[] {p.widths().length} : ((BlockResNetSpec) base).repeats();
        long widest = Arrays.stream(widths).max().orElse(1), longest = Arrays.stream(lengths).max().orElse(1);
        if (widest * width > Integer.MAX_VALUE || longest * depth > Integer.MAX_VALUE) {
            throw new LayoutException("rescaling " + base.describe() + " by width x" + width + ", depth x" + depth
                    + " exceeds " + Integer.MAX_VALUE + " channels or layers; use smaller factors");
        }
    }

    @Override
    public int inputChannels() {
        return base.inputChannels();
    }

    @Override
    public int classes() {
        return base.classes();
    }

    /** The same family at the larger size (what the rescaled network looks like). */
    public ModelSpec scaled() {
        if (base instanceof PlainCnnSpec p) {
            int n = p.widths().length;
            int[] w = new int[n * depth], k = new int[n * depth];
            for (int i = 0; i < n; i++) {
                for (int r = 0; r < depth; r++) {
                    w[i * depth + r] = p.widths()[i] * width;
                    k[i * depth + r] = p.kernels()[i];
                }
            }
            int[] pools = Arrays.stream(p.poolAfter()).map(after -> after * depth).toArray();
            return new PlainCnnSpec(p.inputChannels(), p.classes(), w, k, pools);
        }
        BlockResNetSpec r = (BlockResNetSpec) base;
        int[] w = Arrays.stream(r.widths()).map(x -> x * width).toArray();
        int[] rep = Arrays.stream(r.repeats()).map(x -> x * depth).toArray();
        return new BlockResNetSpec(r.inputChannels(), r.classes(), w, rep);
    }

    /** Which base layer a rescaled layer's key repeats. */
    private Function<String, String> toBaseKey() {
        if (base instanceof PlainCnnSpec) {
            return key -> {
                if (key.startsWith("conv") || key.startsWith("bn")) {
                    String prefix = key.startsWith("conv") ? "conv" : "bn";
                    return prefix + Integer.parseInt(key.substring(prefix.length())) / depth;
                }
                return key;
            };
        }
        BlockResNetSpec r = (BlockResNetSpec) base;
        return key -> {
            java.util.regex.Matcher stem = java.util.regex.Pattern.compile("(stem|stembn)(\\d+)").matcher(key);
            if (stem.matches()) {
                return stem.group(1) + Integer.parseInt(stem.group(2)) % r.repeats()[0];
            }
            java.util.regex.Matcher block = java.util.regex.Pattern.compile("u(\\d+)b(\\d+)(.*)").matcher(key);
            if (block.matches()) {
                int u = Integer.parseInt(block.group(1));
                int blocks = r.repeats()[u] / 2;
                return "u" + u + "b" + Integer.parseInt(block.group(2)) % blocks + block.group(3);
            }
            return key;
        };
    }

    private RepetitionFactory factory() {
        RepetitionFactory.Recorder rec = new RepetitionFactory.Recorder();
        buildWith(base, rec);
        return new RepetitionFactory(rec.convs, rec.norms, rec.heads, toBaseKey(), tiles == Tiles.ROTATED);
    }

    private static Block buildWith(ModelSpec spec, LayerFactory layers) {
        return spec instanceof PlainCnnSpec p ? p.build(layers) : ((BlockResNetSpec) spec).build(layers);
    }

    @Override
    public Block build() {
        return buildWith(scaled(), factory());
    }

    /** Learnable repetition coefficients the rescaling adds (one per kernel tile). */
    public long coefficients() {
        RepetitionFactory f = factory();
        buildWith(scaled(), f);
        return f.coefficients();
    }

    /** Optimised conv weights: the base network's, whatever the size. */
    @Override
    public long analyticConvWeights() {
        return base.analyticConvWeights();
    }

    @Override
    public String describe() {
        return "rescaled " + base.describe() + " width x" + width + " depth x" + depth + (tiles == Tiles.PLAIN ? " plain tiles" : "");
    }
}
