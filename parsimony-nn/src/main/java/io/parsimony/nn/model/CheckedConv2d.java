package io.parsimony.nn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import ai.djl.nn.convolutional.Conv2d;
import io.parsimony.nn.engine.Convolutions;

/**
 * DJL's {@link Conv2d} (same parameters, same export, same {@code instanceof}) whose forward goes
 * through {@link Convolutions}, the conv every family shares, so that the numerics guard can mend
 * a conv shape the engine gets wrong on this CPU.
 */
final class CheckedConv2d extends Conv2d {

    CheckedConv2d(Conv2d.Builder builder) {
        super(builder);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = store.getValue(weight, x.getDevice(), training);
        NDArray b = bias == null ? null : store.getValue(bias, x.getDevice(), training);
        return new NDList(Convolutions.conv2d(x, w, b, stride, padding, dilation, groups));
    }
}
