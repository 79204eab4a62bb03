package io.parsimony.nn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.parsimony.nn.engine.Convolutions;

/**
 * A plain CNN's layer sequence that, when {@link ChannelPadding} applies, runs every conv but the
 * last with its output channels rounded up to a multiple of 16: the conv's weight gets zero rows
 * (and the next conv zero input columns), BatchNorm gets γ = 1, β = 0 and running statistics
 * (0, 1) for the extra channels, which therefore stay exactly 0 through BN, pooling and ReLU. The
 * parameters keep their real shapes, so checkpoints, parameter counts and exports do not see the
 * padding; the children are the usual {@link Conv2d} and {@link BatchNorm} blocks, which is all an
 * exporter reads. Without padding this is a {@link SequentialBlock}. The decision is by device
 * ({@link ChannelPadding#appliesTo}), not by the batch's strides, which DJL does not expose: a
 * row-major batch on a CPU is padded too (same result, no gain). Only the training/inference
 * {@code forward} pads; DJL's labelled {@code forward} overload (its {@code Trainer}) is not used here.
 */
final class PlainCnnBlock extends SequentialBlock {

    private final ChannelPadding padding;
    /** The channels each conv produced in the last padded forward (what a test checks the padding by). */
    private volatile int[] lastConvWidths = new int[0];

    PlainCnnBlock(ChannelPadding padding) {
        this.padding = padding;
    }

    int[] lastConvWidths() {
        return lastConvWidths.clone();
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        if (!padding.appliesTo(x.getDevice())) {
            return super.forwardInternal(store, inputs, training, params);
        }
        var children = getChildren().values();
        int lastConv = -1;
        for (int i = 0; i < children.size(); i++) {
            lastConv = children.get(i) instanceof Conv2d ? i : lastConv;
        }
        NDList current = inputs;
        java.util.List<Integer> widths = new java.util.ArrayList<>();
        for (int i = 0; i < children.size(); i++) {
            Block child = children.get(i);
            NDArray in = current.singletonOrThrow();
            if (child instanceof Conv2d conv) {
                current = new NDList(conv(store, conv, in, i != lastConv, training));
                widths.add((int) current.head().getShape().get(1));
            } else if (child instanceof BatchNorm norm) {
                current = new NDList(batchNorm(store, norm, in, training));
            } else {
                current = child.forward(store, current, training, params);
            }
        }
        lastConvWidths = widths.stream().mapToInt(Integer::intValue).toArray();
        return current;
    }

    /** The conv with its weight widened to the input's (padded) channels and, unless last, padded outputs. */
    private static NDArray conv(ParameterStore store, Conv2d conv, NDArray x, boolean padOutput, boolean training) {
        NDArray w = store.getValue(conv.getParameters().get("weight"), x.getDevice(), training);
        Shape s = w.getShape();
        long out = s.get(0), in = s.get(1), inputChannels = x.getShape().get(1);
        long outPadded = padOutput ? ChannelPadding.padded((int) out) : out;
        NDManager batch = x.getManager();
        if (inputChannels > in) {
            w = attached(NDArrays.concat(new NDList(w, batch.zeros(new Shape(out, inputChannels - in, s.get(2), s.get(3)),
                    w.getDataType(), w.getDevice())), 1), batch);
        }
        if (outPadded > out) {
            w = attached(NDArrays.concat(new NDList(w, batch.zeros(new Shape(outPadded - out, inputChannels, s.get(2), s.get(3)),
                    w.getDataType(), w.getDevice())), 0), batch);
        }
        return Convolutions.conv2d(x, w, null, conv.getStride(), conv.getPadding(), conv.getDilation(), conv.getGroups());
    }

    /**
     * BatchNorm over the input's channels, the real ones from the block's parameters and statistics, the padded
     * ones neutral; the running statistics the step updated are copied back into the block's own.
     */
    private static NDArray batchNorm(ParameterStore store, BatchNorm norm, NDArray x, boolean training) {
        var p = norm.getParameters();
        NDArray gamma = value(store, p.get("gamma"), x, training);
        NDArray beta = value(store, p.get("beta"), x, training);
        NDArray mean = value(store, p.get("runningMean"), x, training);
        NDArray var = value(store, p.get("runningVar"), x, training);
        long channels = gamma.getShape().get(0), extra = x.getShape().get(1) - channels;
        if (extra == 0) {
            return BatchNorm.batchNorm(x, mean, var, gamma, beta, 1, Layers.BN_MOMENTUM, Layers.BN_EPSILON, training)
                    .singletonOrThrow();
        }
        NDManager batch = x.getManager();
        Shape pad = new Shape(extra);
        NDArray meanPadded = attached(mean.concat(batch.zeros(pad, mean.getDataType(), mean.getDevice())), batch);
        NDArray varPadded = attached(var.concat(batch.ones(pad, var.getDataType(), var.getDevice())), batch);
        NDArray y = BatchNorm.batchNorm(x, meanPadded, varPadded,
                attached(gamma.concat(batch.ones(pad, gamma.getDataType(), gamma.getDevice())), batch),
                attached(beta.concat(batch.zeros(pad, beta.getDataType(), beta.getDevice())), batch),
                1, Layers.BN_MOMENTUM, Layers.BN_EPSILON, training).singletonOrThrow();
        if (training) {
            NDIndex real = new NDIndex(":" + channels);
            mean.set(new NDIndex(":"), meanPadded.get(real));
            var.set(new NDIndex(":"), varPadded.get(real));
        }
        return y;
    }

    private static NDArray value(ParameterStore store, Parameter parameter, NDArray x, boolean training) {
        return store.getValue(parameter, x.getDevice(), training);
    }

    /** A tensor made from a parameter inside forward belongs to the batch, not to the parameter's long-lived manager. */
    private static NDArray attached(NDArray array, NDManager batch) {
        array.attach(batch);
        return array;
    }
}
