package io.parsimony.nn.engine;

import io.parsimony.InputException;

import java.util.Locale;

/**
 * A seam that makes the numerics check see a fault this host does not have, so the detection
 * and the fallback are tested on any machine ({@value #PROPERTY}): {@code conv-input-gradient}
 * corrupts conv input-gradients whenever the kernel that ran had out-channels not a multiple of
 * 16, as the faulty oneDNN does (so padding mends it); {@code everything} corrupts every conv
 * input-gradient (so nothing mends it). Only the check's own probes are corrupted.
 */
enum InjectedFault {
    NONE, CONV_INPUT_GRADIENT, EVERYTHING;

    static final String PROPERTY = "parsimony.numerics.inject-fault";

    static InjectedFault configured() {
        String v = System.getProperty(PROPERTY, "none").trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "none", "" -> NONE;
            case "conv-input-gradient" -> CONV_INPUT_GRADIENT;
            case "everything" -> EVERYTHING;
            default -> throw new InputException("unknown -D" + PROPERTY + " '" + v + "': use none, conv-input-gradient or everything");
        };
    }

    /** The input gradient as the faulty engine would return it (every other value NaN, the rest doubled). */
    float[] convInputGradient(ConvShape shape, boolean padded, float[] dx) {
        long ran = padded ? Convolutions.padded(shape.out()) : shape.out();
        boolean hit = this == EVERYTHING || (this == CONV_INPUT_GRADIENT && ran % Convolutions.MULTIPLE != 0);
        if (!hit) {
            return dx;
        }
        float[] bad = dx.clone();
        for (int i = 0; i < bad.length; i++) {
            bad[i] = i % 2 == 0 ? Float.NaN : 2 * bad[i];
        }
        return bad;
    }
}
