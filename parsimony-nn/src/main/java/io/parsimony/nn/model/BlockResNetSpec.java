package io.parsimony.nn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import io.parsimony.layout.Layout;
import io.parsimony.layout.NetworkShape;
import io.parsimony.layout.Shortcuts;

import java.util.Arrays;
import java.util.List;

/**
 * The block-unit ResNet of Table 3 of seed 001: unit 1 is {@code repeats[0]} conv-BN-ReLU
 * layers (the stem), every later unit holds repeats[i]/2 basic blocks (two 3×3 convs, identity
 * shortcut); the units after the first residual one start with a stride-2 block. A shortcut
 * whose shape changes (stride or width) is a 1×1 conv + BN projection, as in torchvision, so
 * the conv count equals the foundation's count with {@link Shortcuts#PROJECTION}.
 */
public record BlockResNetSpec(int inputChannels, int classes, int[] widths, int[] repeats) implements ModelSpec {

    public BlockResNetSpec {
        shapeOf(inputChannels, widths, repeats).count(new Layout(widths));   // validates widths, repeats
    }

    private static NetworkShape shapeOf(int inputChannels, int[] widths, int[] repeats) {
        if (widths.length != repeats.length) {
            throw new io.parsimony.layout.LayoutException("ResNet has " + widths.length + " widths but " + repeats.length
                    + " repeats; give one repeat count per unit");
        }
        return NetworkShape.residual(inputChannels, repeats, 3).withShortcuts(Shortcuts.PROJECTION);
    }

    public Layout layout() {
        return new Layout(widths);
    }

    /** The counting shape matching this network: 3×3 convs, projections counted. */
    public NetworkShape shape() {
        return shapeOf(inputChannels, widths, repeats);
    }

    @Override
    public Block build() {
        return build(LayerFactory.FREE);
    }

    Block build(LayerFactory layers) {
        NetworkShape shape = shape();
        SequentialBlock net = new SequentialBlock();
        int in = inputChannels;
        for (int l = 0; l < repeats[0]; l++) {
            net.add(layers.conv("stem" + l, in, widths[0], 3, 1)).add(layers.batchNorm("stembn" + l, widths[0]))
                    .add(Activation.reluBlock());
            in = widths[0];
        }
        for (int u = 1; u < widths.length; u++) {
            for (int b = 0; b < repeats[u] / 2; b++) {
                int stride = b == 0 && shape.strided(u) ? 2 : 1;
                net.add(basicBlock(layers, "u" + u + "b" + b, "u" + u, in, widths[u], stride));
                in = widths[u];
            }
        }
        return net.add(layers.head("head", in, classes));
    }

    /** Two 3×3 convs with BN, identity shortcut or (when the shape changes) 1×1 conv + BN projection. */
    static Block basicBlock(LayerFactory layers, String key, String unitKey, int in, int out, int stride) {
        SequentialBlock main = new SequentialBlock()
                .add(layers.conv(key + "c1", in, out, 3, stride)).add(layers.batchNorm(key + "bn1", out))
                .add(Activation.reluBlock())
                .add(layers.conv(key + "c2", out, out, 3, 1)).add(layers.batchNorm(key + "bn2", out));
        Block shortcut = stride != 1 || in != out
                ? new SequentialBlock().add(layers.conv(unitKey + "p", in, out, 1, stride)).add(layers.batchNorm(unitKey + "pbn", out))
                : Blocks.identityBlock();
        return new ParallelBlock(BlockResNetSpec::addRelu, List.of(main, shortcut));
    }

    private static NDList addRelu(List<NDList> branches) {
        NDArray sum = branches.get(0).singletonOrThrow().add(branches.get(1).singletonOrThrow());
        return new NDList(Activation.relu(sum));
    }

    @Override
    public long analyticConvWeights() {
        return shape().count(layout()).weights();
    }

    @Override
    public String describe() {
        return "resnet " + layout() + " x " + Arrays.toString(repeats).replace('[', '(').replace(']', ')').replace(" ", "");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BlockResNetSpec r && r.inputChannels == inputChannels && r.classes == classes
                && Arrays.equals(r.widths, widths) && Arrays.equals(r.repeats, repeats);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(widths) * 31 + Arrays.hashCode(repeats);
    }

    @Override
    public String toString() {
        return describe();
    }
}
