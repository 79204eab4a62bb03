package io.parsimony.nn.model;

import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

/**
 * Where a family's layers come from. A family builds its network by asking for layers by a
 * stable key ("conv2", "u3b0c1", ...); {@link #FREE} gives each its own weights, and
 * {@link RepetitionFactory} generates them from a base network's tensors instead, which is how
 * {@link RescaledSpec} rescales any family without a second implementation of it.
 */
interface LayerFactory {

    /** A bias-free kernel×kernel conv ("same" padding) from {@code in} to {@code out} channels. */
    Block conv(String key, int in, int out, int kernel, int stride);

    /** BatchNorm over {@code channels} channels. */
    Block batchNorm(String key, int channels);

    /** Global average pool → flatten → linear classifier over {@code features} channels. */
    Block head(String key, int features, int classes);

    LayerFactory FREE = new LayerFactory() {
        @Override
        public Block conv(String key, int in, int out, int kernel, int stride) {
            return Layers.conv(out, kernel, stride);
        }

        @Override
        public Block batchNorm(String key, int channels) {
            return Layers.batchNorm();
        }

        @Override
        public Block head(String key, int features, int classes) {
            return new SequentialBlock().add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock())
                    .add(Linear.builder().setUnits(classes).build());
        }
    };
}
