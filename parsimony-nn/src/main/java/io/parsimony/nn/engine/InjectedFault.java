package io.parsimony.nn.engine;

import io.parsimony.InputException;

import java.util.Locale;

/**
 * A seam that makes the numerics check see a fault this host does not have, so the detection
 * and the fallback are tested on any machine ({@value #PROPERTY}): {@code conv-input-gradient}
 * corrupts conv input-gradients whenever the kernel that ran had out-channels not a multiple of
 * 16, as the faulty oneDNN does (so padding mends it); {@code everything} corrupts every conv
 * input-gradient (so nothing mends it); {@code contiguous-conv-forward} corrupts the conv output
 * whenever the kernel ran row-major on more than 16 in-channels that are not a multiple of 16, as
 * the same host's oneDNN does (so only the channels-last route mends it). Only the check's own
 * probes are corrupted.
 */
enum InjectedFault {
    NONE, CONV_INPUT_GRADIENT, EVERYTHING, CONTIGUOUS_CONV_FORWARD;

    static final String PROPERTY = "parsimony.numerics.inject-fault";

    static InjectedFault configured() {
        String v = System.getProperty(PROPERTY, "none").trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "none", "" -> NONE;
            case "conv-input-gradient" -> CONV_INPUT_GRADIENT;
            case "everything" -> EVERYTHING;
            case "contiguous-conv-forward" -> CONTIGUOUS_CONV_FORWARD;
            default -> throw new InputException("unknown -D" + PROPERTY + " '" + v
                    + "': use none, conv-input-gradient, everything or contiguous-conv-forward");
        };
    }

    /** The conv output as the faulty engine would return it from a kernel that ran in {@code ranIn}. */
    float[] convOutput(ConvShape shape, MemoryFormat ranIn, float[] y) {
        boolean hit = this == CONTIGUOUS_CONV_FORWARD && ranIn == MemoryFormat.CONTIGUOUS
                && shape.in() > Convolutions.MULTIPLE && shape.in() % Convolutions.MULTIPLE != 0;
        return hit ? corrupt(y) : y;
    }

    /** The input gradient as the faulty engine would return it (every other value NaN, the rest doubled). */
    float[] convInputGradient(ConvShape shape, boolean padded, float[] dx) {
        long ran = padded ? Convolutions.padded(shape.out()) : shape.out();
        boolean hit = this == EVERYTHING || (this == CONV_INPUT_GRADIENT && ran % Convolutions.MULTIPLE != 0);
        if (!hit) {
            return dx;
        }
        return corrupt(dx);
    }

    private static float[] corrupt(float[] values) {
        float[] bad = values.clone();
        for (int i = 0; i < bad.length; i++) {
            bad[i] = i % 2 == 0 ? Float.NaN : 2 * bad[i];
        }
        return bad;
    }
}
