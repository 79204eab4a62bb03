package io.parsimony.nn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;

/**
 * BatchNorm whose affine scale and shift are the base network's, repeated cyclically over the
 * wider channel count; its running statistics are its own (they are not optimised). So a
 * rescaled network adds no normalisation parameters to optimise.
 *
 * <p>Public (with read-only accessors) so exporters can write the same computation as ops.
 */
public final class RepeatedBatchNorm extends AbstractBlock {

    private final BatchNorm normalise;
    private final Parameter gamma;
    private final Parameter beta;
    private final int channels;

    RepeatedBatchNorm(Parameter[] affine, boolean owner, int channels) {
        this.normalise = addChildBlock("norm", BatchNorm.builder().build());
        this.gamma = owner ? addParameter(affine[0]) : affine[0];
        this.beta = owner ? addParameter(affine[1]) : affine[1];
        this.channels = channels;
    }

    static Parameter[] baseAffine(int channels) {
        return new Parameter[] {
                Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).optShape(new Shape(channels))
                        .optInitializer(Initializer.ONES).build(),
                Parameter.builder().setName("beta").setType(Parameter.Type.BETA).optShape(new Shape(channels))
                        .optInitializer(Initializer.ZEROS).build()};
    }

    /** The inner BatchNorm: its running statistics, with γ = 1 and β = 0 fixed. */
    public BatchNorm normalise() {
        return normalise;
    }

    /** The base network's scale, repeated cyclically over {@link #channels()}. */
    public Parameter gamma() {
        return gamma;
    }

    /** The base network's shift, repeated like {@link #gamma()}. */
    public Parameter beta() {
        return beta;
    }

    public int channels() {
        return channels;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray y = normalise.forward(ps, inputs, training).singletonOrThrow();
        NDArray g = ps.getValue(gamma, y.getDevice(), training);
        NDArray b = ps.getValue(beta, y.getDevice(), training);
        long base = g.getShape().get(0);
        long reps = (channels + base - 1) / base;
        NDList derived = new NDList();
        NDArray gt = g, bt = b;
        if (reps > 1 || base != channels) {
            NDArray gTiled = g.tile(reps), bTiled = b.tile(reps);
            gt = gTiled.get("0:" + channels);
            bt = bTiled.get("0:" + channels);
            derived.addAll(new NDList(gTiled, bTiled, gt, bt));
        }
        NDArray gs = gt.reshape(1, channels, 1, 1), bs = bt.reshape(1, channels, 1, 1);
        derived.add(gs);
        derived.add(bs);
        derived.attach(y.getManager());
        return new NDList(y.mul(gs).add(bs));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputs) {
        return inputs;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        normalise.initialize(manager, dataType, inputShapes);
        normalise.freezeParameters(true);   // its own γ = 1, β = 0 stay fixed: the affine is the base's
    }
}
