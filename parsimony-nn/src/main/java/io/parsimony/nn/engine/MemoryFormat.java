package io.parsimony.nn.engine;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.parsimony.InputException;

import java.util.Locale;

/**
 * How a batch of images is laid out in memory. The shape is always (N, C, H, W); channels-last
 * stores it as N·H·W rows of C values, which libtorch's oneDNN convolutions and its pooling
 * read without reordering. Every op after the input keeps the layout, so converting the input
 * batch once switches the whole network. Measured on CPU (libtorch 2.7.1, 2 threads, batch 128):
 * a training step of resnet32 −18%, dacnn14 −15% (conv and max-pool gain most). BatchNorm over a
 * width that is not a multiple of 16 is slower channels-last (libtorch handles the rest of each row
 * of C with a masked copy: plain4's (35, 36, 37, 43) lost 20 ms of the 40 ms conv and pooling gain);
 * converting around it costs more than it saves (two strided copies each way), so plain CNNs pad
 * their channels instead ({@link io.parsimony.nn.model.ChannelPadding}).
 *
 * <p>A one-channel batch is the same bytes in both layouts; only its strides tell libtorch which one
 * is meant, so {@link #apply} gives it the channels-last strides (no copy) and grey-image networks
 * (Fashion-MNIST, MNIST) switch too.
 *
 * <p>DJL has no memory-format API; a permuted view of an (N, H, W, C) tensor has exactly the
 * strides PyTorch's {@code channels_last} has, which is how {@link #apply} builds it.
 */
public enum MemoryFormat {
    /** PyTorch's default (N, C, H, W) row-major layout. */
    CONTIGUOUS("contiguous"),
    /** (N, H, W, C) in memory, (N, C, H, W) in shape: PyTorch's {@code torch.channels_last}. */
    CHANNELS_LAST("channels-last");

    /** System property that overrides the default; the environment variable is read when it is absent. */
    public static final String PROPERTY = "parsimony.memory-format";
    public static final String ENVIRONMENT = "PARSIMONY_MEMORY_FORMAT";

    private final String label;

    MemoryFormat(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    /** The batch in this layout; a 4-d row-major batch becomes channels-last with one copy, anything else is returned as is. */
    public NDArray apply(NDArray batch) {
        if (this == CONTIGUOUS || batch.getShape().dimension() != 4) {
            return batch;
        }
        return toChannelsLast(batch);
    }

    /** The other layout (the route a conv takes when its kernel is wrong in this one). */
    public MemoryFormat other() {
        return this == CONTIGUOUS ? CHANNELS_LAST : CONTIGUOUS;
    }

    /**
     * The 4-d tensor in this layout whatever layout it is in now (DJL cannot read strides): views
     * when it already is, one copy when it is not; anything else is returned as is.
     */
    public NDArray force(NDArray x) {
        if (x.getShape().dimension() != 4) {
            return x;
        }
        return this == CHANNELS_LAST ? toChannelsLast(x) : toContiguous(x);
    }

    /**
     * The layout for {@code device}: the {@value #PROPERTY} property, else {@value #ENVIRONMENT},
     * else "auto" = channels-last on CPU (measured faster) and contiguous elsewhere (PyTorch's default
     * on CUDA for float32).
     */
    public static MemoryFormat forDevice(Device device) {
        String setting = System.getProperty(PROPERTY, System.getenv().getOrDefault(ENVIRONMENT, "auto"));
        return switch (setting.trim().toLowerCase(Locale.ROOT)) {
            case "auto", "" -> Device.Type.CPU.equals(device.getDeviceType()) ? CHANNELS_LAST : CONTIGUOUS;
            case "channels-last", "channels_last" -> CHANNELS_LAST;
            case "contiguous" -> CONTIGUOUS;
            default -> throw new InputException("unknown memory format '" + setting + "' (" + ENVIRONMENT + " or -D"
                    + PROPERTY + "): use auto, channels-last or contiguous");
        };
    }

    /** Row-major (N, C, H, W) → channels-last: views around one copying reshape (rows of C cannot be a view of N, C, H, W). */
    static NDArray toChannelsLast(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0), c = s.get(1), h = s.get(2), w = s.get(3);
        if (c == 1) {
            // The same bytes in both layouts: only the strides differ. A view of (N, H, W, 1) permuted to
            // (N, 1, H, W) has strides (HW, 1, W, 1), which libtorch reads as channels-last (a contiguous
            // (N, 1, H, W) has (HW, HW, W, 1)), so the first conv answers channels-last and the net stays so.
            return x.reshape(n, h, w, 1).transpose(0, 3, 1, 2);
        }
        return x.reshape(n, c, h * w).transpose(0, 2, 1).reshape(n * h * w, c).reshape(n, h, w, c).transpose(0, 3, 1, 2);
    }

    /**
     * Any (N, C, H, W) layout → row-major: flattening (C, H, W) is a view only of a row-major tensor
     * and copies any other into row-major order (a same-shape reshape would be a view that keeps the
     * strides).
     */
    static NDArray toContiguous(NDArray x) {
        Shape s = x.getShape();
        long n = s.get(0), c = s.get(1), h = s.get(2), w = s.get(3);
        return x.reshape(n, c * h * w).reshape(n, c, h, w);
    }
}
