package io.parsimony.nn.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;

/** The conv building blocks both families share: bias-free k×k conv ("same" padding), BN, ReLU. */
final class Layers {
    private Layers() {
    }

    static Conv2d conv(int filters, int kernel, int stride) {
        return new CheckedConv2d(Conv2d.builder()
                .setKernelShape(new Shape(kernel, kernel))
                .optPadding(new Shape(kernel / 2, kernel / 2))
                .optStride(new Shape(stride, stride))
                .optBias(false)
                .setFilters(filters));
    }

    /** DJL's defaults, named because {@link PlainCnnBlock} calls the BatchNorm op itself with them. */
    static final float BN_MOMENTUM = 0.9f;
    static final float BN_EPSILON = 1e-5f;

    static Block batchNorm() {
        return BatchNorm.builder().optMomentum(BN_MOMENTUM).optEpsilon(BN_EPSILON).build();
    }

    /** conv → BN → ReLU, the unit of Fig. 2 of seed 001. */
    static SequentialBlock convBnRelu(int filters, int kernel, int stride) {
        return new SequentialBlock().add(conv(filters, kernel, stride)).add(batchNorm()).add(Activation.reluBlock());
    }
}
