package io.parsimony.nn.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * What decides which conv kernel the engine picks, without the batch size and image size (the
 * check probes a shape with a small batch and image of its own): channels, kernel, stride,
 * padding, dilation and groups. Square kernels, strides and paddings are what the models build.
 */
public record ConvShape(long in, long out, long kernel, long stride, long padding, long dilation, int groups) {

    static ConvShape of(NDArray x, NDArray w, Shape stride, Shape padding, Shape dilation, int groups) {
        return new ConvShape(x.getShape().get(1), w.getShape().get(0), w.getShape().get(2), stride.get(0),
                padding.get(0), dilation.get(0), groups);
    }

    /** A plain 3×3 "same" conv, the grid's usual case. */
    static ConvShape same3x3(long in, long out) {
        return new ConvShape(in, out, 3, 1, 1, 1, 1);
    }

    @Override
    public String toString() {
        return in + "→" + out + " k" + kernel + (stride != 1 ? " s" + stride : "") + (padding != kernel / 2 ? " p" + padding : "")
                + (dilation != 1 ? " d" + dilation : "") + (groups != 1 ? " g" + groups : "");
    }
}
