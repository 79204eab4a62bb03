package io.parsimony.nn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * BatchNorm over p4 feature maps with one mean, variance, γ and β per group channel, shared by
 * its four rotations (statistics over batch, rotations and pixels), as the G-CNN paper does:
 * per-rotation statistics would differ between rotated copies and break equivariance.
 */
final class GroupBatchNorm extends AbstractBlock {

    private final BatchNorm norm;
    private final int channels;

    GroupBatchNorm(int channels) {
        this.channels = channels;
        this.norm = addChildBlock("norm", BatchNorm.builder().build());
    }

    private Shape grouped(Shape s) {
        return new Shape(s.get(0), channels, P4Conv2d.ROTATIONS * s.get(2), s.get(3));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray y = norm.forward(ps, new NDList(x.reshape(grouped(x.getShape()))), training).singletonOrThrow();
        return new NDList(y.reshape(x.getShape()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return inputs;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        norm.initialize(manager, dataType, grouped(inputShapes[0]));
    }
}
