package io.parsimony.nn.model;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The two networks of the G-CNN paper's rotated-MNIST experiment (Cohen &amp; Welling 2016, §8.1),
 * by name: {@code z2cnn}, the plain baseline (7 3×3 convs of 20 channels, max-pool after conv 2),
 * and {@code p4cnn}, the same with p4 group convs of 10 group channels (×4 rotations), so that
 * both optimise about the same number of parameters. Differences from the paper: "same" padding
 * (the paper's are valid), and the paper's last layer, a 4×4 conv to the classes on the 4×4 map,
 * is a seventh 3×3 conv followed by global average pooling and a linear classifier (as every
 * Parsimony network ends, and what the rescaler generates); the P4CNN max-pools over rotations
 * before that pooling; no dropout.
 */
public final class GroupCnns {

    public static final List<String> NAMES = List.of("z2cnn", "p4cnn");

    /** Layers of both networks. */
    static final int LAYERS = 7;
    /** Z2CNN channels; the P4CNN's group channels are half (×4 rotations: the same optimised size). */
    static final int Z2_CHANNELS = 20;
    static final int P4_CHANNELS = 10;
    static final int[] POOL_AFTER = {2};

    private GroupCnns() {
    }

    /** The network called {@code name} (case-insensitive), or null if it is not one of {@link #NAMES}. */
    public static ModelSpec byName(String name, int inputChannels, int classes) {
        return switch (name.strip().toLowerCase(Locale.ROOT)) {
            case "z2cnn" -> z2cnn(inputChannels, classes);
            case "p4cnn" -> p4cnn(inputChannels, classes);
            default -> null;
        };
    }

    public static PlainCnnSpec z2cnn(int inputChannels, int classes) {
        int[] k = new int[LAYERS];
        Arrays.fill(k, 3);
        return new PlainCnnSpec(inputChannels, classes, filled(Z2_CHANNELS), k, POOL_AFTER.clone());
    }

    public static P4CnnSpec p4cnn(int inputChannels, int classes) {
        return new P4CnnSpec(inputChannels, classes, filled(P4_CHANNELS), POOL_AFTER.clone());
    }

    /** The name of {@code spec} if it is one of these networks, else null (so text forms round-trip). */
    static String nameOf(ModelSpec spec) {
        for (String n : NAMES) {
            if (spec.equals(byName(n, spec.inputChannels(), spec.classes()))) {
                return n;
            }
        }
        return null;
    }

    private static int[] filled(int width) {
        int[] w = new int[LAYERS];
        Arrays.fill(w, width);
        return w;
    }
}
