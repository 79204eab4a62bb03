package io.parsimony.nn.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.pooling.Pool;
import io.parsimony.layout.Layout;
import io.parsimony.layout.LayoutException;
import io.parsimony.layout.NetworkShape;

import java.util.Arrays;

/**
 * The plain CNN of Fig. 2 of seed 001: each conv k×k (no bias) → BN → ReLU, a 2×2 max-pool
 * after the convs listed in {@code poolAfter} (1-based), global average pool → linear.
 */
public record PlainCnnSpec(int inputChannels, int classes, int[] widths, int[] kernels, int[] poolAfter)
        implements ModelSpec {

    public PlainCnnSpec {
        if (widths.length != kernels.length) {
            throw new LayoutException("plain CNN has " + widths.length + " widths but " + kernels.length + " kernels");
        }
        for (int p : poolAfter) {
            if (p < 1 || p >= widths.length) {
                throw new LayoutException("max-pool after conv " + p + " is outside 1.." + (widths.length - 1)
                        + "; pools go between convs");
            }
        }
        new Layout(widths);   // validates positive widths
    }

    /**
     * The usual plain CNN for {@code imageSize}-pixel inputs: 3×3 kernels and as many 2×2 pools
     * as keep the last feature map at least 2×2 (at most one between each pair of convs),
     * spread evenly — for 4 convs on 28×28 or 32×32 images that is a pool after convs 1, 2, 3.
     */
    public static PlainCnnSpec of(Layout layout, int inputChannels, int classes, int imageSize) {
        int n = layout.size();
        int pools = 0;
        for (int s = imageSize; s / 2 >= 2 && pools < n - 1; s /= 2) {
            pools++;
        }
        int[] after = new int[pools];
        for (int j = 0; j < pools; j++) {
            after[j] = (int) Math.round((j + 1) * (double) n / (pools + 1));
        }
        int[] kernels = new int[n];
        Arrays.fill(kernels, 3);
        return new PlainCnnSpec(inputChannels, classes, layout.widths(), kernels, after);
    }

    public Layout layout() {
        return new Layout(widths);
    }

    public NetworkShape shape() {
        return NetworkShape.plain(inputChannels, kernels);
    }

    @Override
    public Block build() {
        return build(LayerFactory.FREE);
    }

    /** With {@code padding}: {@link ChannelPadding#OFF} gives the unpadded reference network. */
    public Block build(ChannelPadding padding) {
        return build(LayerFactory.FREE, padding);
    }

    Block build(LayerFactory layers) {
        return build(layers, layers == LayerFactory.FREE ? ChannelPadding.configured() : ChannelPadding.OFF);
    }

    private Block build(LayerFactory layers, ChannelPadding padding) {
        SequentialBlock net = padding == ChannelPadding.OFF ? new SequentialBlock() : new PlainCnnBlock(padding);
        int in = inputChannels;
        for (int i = 0; i < widths.length; i++) {
            net.add(layers.conv("conv" + i, in, widths[i], kernels[i], 1))
                    .add(layers.batchNorm("bn" + i, widths[i]));
            final int conv = i + 1;
            if (Arrays.stream(poolAfter).anyMatch(p -> p == conv)) {
                // conv → BN → ReLU → pool, computed as pool → ReLU: max commutes with the monotone
                // ReLU, values and gradients are identical, and ReLU touches 4× fewer elements.
                net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
            }
            net.add(ai.djl.nn.Activation.reluBlock());
            in = widths[i];
        }
        return net.add(layers.head("head", in, classes));
    }

    @Override
    public long analyticConvWeights() {
        return shape().count(layout()).weights();
    }

    @Override
    public String describe() {
        return "plain " + layout();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlainCnnSpec p && p.inputChannels == inputChannels && p.classes == classes
                && Arrays.equals(p.widths, widths) && Arrays.equals(p.kernels, kernels) && Arrays.equals(p.poolAfter, poolAfter);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(widths) * 31 + Arrays.hashCode(kernels);
    }

    @Override
    public String toString() {
        return describe();
    }
}
