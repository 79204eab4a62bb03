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
 * conv shapes wrongly is mended in one place ({@link Numerics}): each shape runs by the
 * {@link ConvRoute} its probe found right (padded, in the other memory layout, or both). Padded,
 * a conv whose out-channels are not a multiple of
 * {@value #MULTIPLE} runs with its weight widened by zero rows to the next multiple and its output
 * cut back to the real channels: the same function and the same gradients (the extra rows are
 * constants, their outputs are dropped), computed by the kernel case the check found correct.
 */
public final class Convolutions {

    /** The out-channel multiple oneDNN's blocked conv kernels work in (16 floats of AVX-512). */
    public static final int MULTIPLE = 16;

    private Convolutions() {
    }

    /**
     * {@code x} convolved with {@code w} (and {@code bias}, may be null) by the route {@link Numerics}
     * found right on this host for this shape in the network's memory format.
     */
    public static NDArray conv2d(NDArray x, NDArray w, NDArray bias, Shape stride, Shape padding, Shape dilation, int groups) {
        MemoryFormat format = MemoryFormat.forDevice(x.getDevice());
        ConvRoute route = Numerics.route(ConvShape.of(x, w, stride, padding, dilation, groups), format, x.getDevice());
        return conv2d(x, w, bias, stride, padding, dilation, groups, format, route);
    }

    /**
     * As {@link #conv2d(NDArray, NDArray, NDArray, Shape, Shape, Shape, int)} by the given route. The
     * input is put in the layout the route was checked in (views when it already is: a caller that
     * passes another layout gets the checked kernel too, at one copy); a route in the other format
     * converts the output back to {@code format}, so the layers after the conv see the network's.
     */
    static NDArray conv2d(NDArray x, NDArray w, NDArray bias, Shape stride, Shape padding, Shape dilation, int groups,
                          MemoryFormat format, ConvRoute route) {
        if (isStridedPointwise(w, stride, padding, dilation)) {
            // a strided 1×1 conv is the 1×1 conv of every stride-th pixel: run it so. oneDNN's own
            // strided 1×1 kernels (which copy to unit stride inside) were seen to write out of bounds
            // in backward-weights (SIGSEGV at batch 64, in-channels 8 or 12) and to return wrong
            // outputs on 512 out-channels, at sizes a probe cannot safely reach (docs/numerics.md)
            x = x.get(new NDIndex(":, :, ::" + stride.get(0) + ", ::" + stride.get(1)));
            stride = new Shape(1, 1);
        }
        MemoryFormat runIn = route.otherFormat() ? format.other() : format;
        NDArray y = conv2d(runIn.force(x), w, bias, stride, padding, dilation, groups, route.padOutputs());
        return route.otherFormat() ? format.force(y) : y;
    }

    /** The conv in the layout {@code x} is in, its out-channels padded or not. */
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

    /** A 1×1 kernel with a stride above 1, no padding and no dilation. */
    private static boolean isStridedPointwise(NDArray w, Shape stride, Shape padding, Shape dilation) {
        Shape k = w.getShape();
        return k.get(2) == 1 && k.get(3) == 1 && (stride.get(0) > 1 || stride.get(1) > 1)
                && padding.get(0) == 0 && padding.get(1) == 0 && dilation.get(0) == 1 && dilation.get(1) == 1;
    }

    /** {@code channels} rounded up to a multiple of {@value #MULTIPLE}. */
    public static long padded(long channels) {
        return (channels + MULTIPLE - 1) / MULTIPLE * MULTIPLE;
    }
}
