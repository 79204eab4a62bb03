package io.parsimony.nn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;
import io.parsimony.layout.Layout;
import io.parsimony.layout.LayoutException;

import java.util.Arrays;

/**
 * A p4 group-equivariant CNN (Cohen &amp; Welling 2016, the P4CNN of their rotated-MNIST
 * experiment): a lifting conv (Z2 → P4), then p4 → p4 group convs ({@link P4Conv2d}), each
 * followed by BatchNorm shared over rotations ({@link GroupBatchNorm}) and ReLU, a 2×2 max-pool
 * after the convs listed in {@code poolAfter} (1-based), then max-pooling over the four rotations
 * (invariance), global average pool and a linear classifier. {@code widths} are group channels:
 * layer i has {@code 4·widths[i]} feature maps.
 *
 * <p>Optimised parameters are the learnable filters; the physical size is the expanded filter bank,
 * i.e. the plain CNN of the same shape ({@link #plainTwin()}: widths ×4) whose kernels the bank fills.
 */
public record P4CnnSpec(int inputChannels, int classes, int[] widths, int[] poolAfter) implements ModelSpec {

    /** Kernel side of every group conv. */
    public static final int KERNEL = 3;

    public P4CnnSpec {
        new Layout(widths);   // validates positive widths
        for (int p : poolAfter) {
            if (p < 1 || p >= widths.length) {
                throw new LayoutException("max-pool after conv " + p + " is outside 1.." + (widths.length - 1)
                        + "; pools go between convs");
            }
        }
    }

    @Override
    public Block build() {
        SequentialBlock net = new SequentialBlock();
        int in = inputChannels;
        for (int i = 0; i < widths.length; i++) {
            net.add(new P4Conv2d(in, widths[i], i == 0, KERNEL)).add(new GroupBatchNorm(widths[i]));
            final int conv = i + 1;
            if (Arrays.stream(poolAfter).anyMatch(p -> p == conv)) {
                net.add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)));   // pool → ReLU, as PlainCnnSpec
            }
            net.add(Activation.reluBlock());
            in = widths[i];
        }
        return net.add(new LambdaBlock(P4CnnSpec::poolRotations, "rotationPool"))
                .add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(classes).build());
    }

    /** Max over the four rotations of every group channel: (N, 4C, H, W) → (N, C, H, W), rotation invariant. */
    static NDList poolRotations(NDList x) {
        NDArray f = x.singletonOrThrow();
        Shape s = f.getShape();
        int r = P4Conv2d.ROTATIONS;
        return new NDList(f.reshape(s.get(0), s.get(1) / r, r, s.get(2), s.get(3)).max(new int[] {2}));
    }

    /** The plain CNN this network's expanded filter bank fills: same layers, 4× the channels. */
    public PlainCnnSpec plainTwin() {
        int[] k = new int[widths.length];
        Arrays.fill(k, KERNEL);
        return new PlainCnnSpec(inputChannels, classes, Arrays.stream(widths).map(w -> w * P4Conv2d.ROTATIONS).toArray(), k,
                poolAfter.clone());
    }

    /** Learnable filter elements: lifting in·w0·k², then 4·w[i-1]·w[i]·k². */
    @Override
    public long analyticConvWeights() {
        long n = 0;
        int in = inputChannels, rot = 1;
        for (int w : widths) {
            n += (long) in * rot * w * KERNEL * KERNEL;
            in = w;
            rot = P4Conv2d.ROTATIONS;
        }
        return n;
    }

    /** Elements of the expanded filter bank: 4× the learnable filters. */
    public long expandedConvWeights() {
        return P4Conv2d.ROTATIONS * analyticConvWeights();
    }

    @Override
    public String describe() {
        return "p4cnn " + new Layout(widths) + "x4";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof P4CnnSpec p && p.inputChannels == inputChannels && p.classes == classes
                && Arrays.equals(p.widths, widths) && Arrays.equals(p.poolAfter, poolAfter);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(widths) * 31 + Arrays.hashCode(poolAfter);
    }

    @Override
    public String toString() {
        return describe();
    }
}
