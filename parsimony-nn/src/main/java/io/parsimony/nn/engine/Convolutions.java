package io.parsimony.nn.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * The one 2-d convolution every model family calls, so that a host whose engine computes some
 * conv shapes wrongly is mended in one place ({@link Numerics}). Where the check chose
 * {@link Remedy#PAD_CONV_OUTPUTS}, a conv whose out-channels are not a multiple of
 * {@value #MULTIPLE} runs with its weight widened by zero rows to the next multiple and its output
 * cut back to the real channels: the same function and the same gradients (the extra rows are
 * constants, their outputs are dropped), computed by the kernel case the check found correct.
 */
public final class Convolutions {

    /** The out-channel multiple oneDNN's blocked conv kernels work in (16 floats of AVX-512). */
    public static final int MULTIPLE = 16;

    private Convolutions() {
    }

    /** {@code x} convolved with {@code w} (and {@code bias}, may be null), checked and mended as {@link Numerics} decided. */
    public static NDArray conv2d(NDArray x, NDArray w, NDArray bias, Shape stride, Shape padding, Shape dilation, int groups) {
        boolean pad = Numerics.padsConv(ConvShape.of(x, w, stride, padding, dilation, groups), x.getDevice());
        return conv2d(x, w, bias, stride, padding, dilation, groups, pad);
    }

    /** As {@link #conv2d(NDArray, NDArray, NDArray, Shape, Shape, Shape, int)} with the padding decided by the caller. */
    static NDArray conv2d(NDArray x, NDArray w, NDArray bias, Shape stride, Shape padding, Shape dilation, int groups,
                          boolean padOutputs) {
        long out = w.getShape().get(0);
        if (!padOutputs || groups != 1 || out % MULTIPLE == 0) {
            return Conv2d.conv2d(x, w, bias, stride, padding, dilation, groups).singletonOrThrow();
        }
        long extra = padded(out) - out;
        NDManager batch = x.getManager();
        Shape s = w.getShape();
        NDArray wide = NDArrays.concat(new NDList(w, batch.zeros(new Shape(extra, s.get(1), s.get(2), s.get(3)),
                w.getDataType(), w.getDevice())), 0);
        wide.attach(batch);   // made from a parameter: freed with the batch, not with the parameter's manager
        NDArray wideBias = null;
        if (bias != null) {
            wideBias = bias.concat(batch.zeros(new Shape(extra), bias.getDataType(), bias.getDevice()));
            wideBias.attach(batch);
        }
        NDArray y = Conv2d.conv2d(x, wide, wideBias, stride, padding, dilation, groups).singletonOrThrow();
        return y.get(new NDIndex(":, 0:" + out));
    }

    /** {@code channels} rounded up to a multiple of {@value #MULTIPLE}. */
    public static long padded(long channels) {
        return (channels + MULTIPLE - 1) / MULTIPLE * MULTIPLE;
    }
}
