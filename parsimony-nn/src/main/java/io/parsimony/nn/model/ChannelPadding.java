package io.parsimony.nn.model;

import io.parsimony.nn.engine.MemoryFormat;
import ai.djl.Device;
import io.parsimony.InputException;

import java.util.Locale;

/**
 * Whether plain CNNs run their hidden layers with channel counts rounded up to a multiple of
 * {@value #MULTIPLE} ({@link PlainCnnBlock}). libtorch's channels-last BatchNorm walks rows of C
 * values 16 floats at a time and handles the remainder with a slow masked copy, once per row and
 * pass: on a CPU, one training step of conv(3→35) → BN → pool on 32×32 inputs takes 32 ms, of
 * which 22 ms are BatchNorm, and 18 ms with 48 channels. The padded channels carry exact zeros
 * (zero weights, BN of a constant 0 stays 0), so the network computes the same function and
 * gradients; only the parameters' real rows are trained and saved.
 *
 * <p>{@value #PROPERTY} (or {@value #ENVIRONMENT}): {@code auto} (default) pads on a CPU whose batches
 * run channels-last ({@link MemoryFormat#forDevice}), {@code off} never does.
 */
public enum ChannelPadding {
    /** Pad when the device's batches are channels-last. */
    AUTO,
    /** Never pad (the reference the padded path is tested against). */
    OFF;

    public static final int MULTIPLE = 16;
    public static final String PROPERTY = "parsimony.channel-padding";
    public static final String ENVIRONMENT = "PARSIMONY_CHANNEL_PADDING";

    /** The configured policy ({@value #PROPERTY}, else {@value #ENVIRONMENT}, else auto). */
    public static ChannelPadding configured() {
        String setting = System.getProperty(PROPERTY, System.getenv().getOrDefault(ENVIRONMENT, "auto"));
        return switch (setting.trim().toLowerCase(Locale.ROOT)) {
            case "auto", "" -> AUTO;
            case "off" -> OFF;
            default -> throw new InputException("unknown channel padding '" + setting + "' (" + ENVIRONMENT + " or -D"
                    + PROPERTY + "): use auto or off");
        };
    }

    /** Whether layers on {@code device} pad: the remainder cost is libtorch's CPU kernel's, so CPU only. */
    boolean appliesTo(Device device) {
        return this == AUTO && Device.Type.CPU.equals(device.getDeviceType())
                && MemoryFormat.forDevice(device) == MemoryFormat.CHANNELS_LAST;
    }

    /** {@code channels} rounded up to a multiple of {@value #MULTIPLE}. */
    static int padded(int channels) {
        return (channels + MULTIPLE - 1) / MULTIPLE * MULTIPLE;
    }
}
