package io.parsimony.cli.options;

import io.parsimony.layout.NetworkShape;
import io.parsimony.layout.Shortcuts;
import picocli.CommandLine.Option;
import io.parsimony.cli.output.UserException;

import java.util.Locale;

/** Options that fix a network family except its widths (input channels, kernels, repeats, counting rules). */
public final class ShapeOptions {

    @Option(names = {"-c", "--input-channels"}, defaultValue = "3", paramLabel = "N0",
            description = "Input image channels n0 (default: ${DEFAULT-VALUE}).")
    int inputChannels;

    @Option(names = {"-k", "--kernel"}, defaultValue = "3", paramLabel = "K",
            description = "Kernel size of every conv (default: ${DEFAULT-VALUE}).")
    int kernel;

    @Option(names = "--kernels", split = ",", paramLabel = "K1,K2,..",
            description = "Per-layer kernel sizes of a plain CNN (overrides --kernel).")
    int[] kernels;

    @Option(names = "--repeats", split = ",", paramLabel = "R1,R2,..",
            description = "Block-unit residual net (Table 3 of seed 001): conv layers per unit, e.g. 1,10,10,10.")
    int[] repeats;

    @Option(names = "--shortcuts", defaultValue = "none", paramLabel = "none|projection",
            description = "Residual nets: count 1x1 projection shortcuts where widths change (default: ${DEFAULT-VALUE}, the paper's count).")
    String shortcuts;

    @Option(names = "--biases", description = "Count a bias vector per conv (the paper does not).")
    boolean biases;

    /** The shape for {@code depth} units, or for the depth implied by --repeats/--kernels when depth is null. */
    public NetworkShape shape(Integer depth) {
        if (kernel < 1) {
            throw new UserException("kernel size must be at least 1, got " + kernel);
        }
        NetworkShape shape;
        if (repeats != null) {
            if (kernels != null) {
                throw new UserException("--kernels applies to plain CNNs only; residual units use --kernel");
            }
            requireDepth(depth, repeats.length, "--repeats");
            for (int r : repeats) {
                if (r < 1) {
                    throw new UserException("--repeats needs positive conv counts, got " + r);
                }
            }
            shape = NetworkShape.residual(inputChannels, repeats, kernel).withShortcuts(parseShortcuts());
        } else if (kernels != null) {
            requireDepth(depth, kernels.length, "--kernels");
            shape = NetworkShape.plain(inputChannels, kernels);
        } else {
            if (depth == null) {
                throw new UserException("give the number of conv layers with --layers (or --repeats / --kernels)");
            }
            shape = NetworkShape.plain(inputChannels, depth, kernel);
        }
        return shape.withBiases(biases);
    }

    public boolean residual() {
        return repeats != null;
    }

    private static void requireDepth(Integer depth, int given, String option) {
        if (depth != null && depth != given) {
            throw new UserException(option + " lists " + given + " units but the layout/--layers has " + depth
                    + "; make them agree");
        }
    }

    private Shortcuts parseShortcuts() {
        return switch (shortcuts.toLowerCase(Locale.ROOT)) {
            case "none" -> Shortcuts.NONE;
            case "projection", "projections" -> Shortcuts.PROJECTION;
            default -> throw new UserException("unknown --shortcuts '" + shortcuts + "': use none or projection");
        };
    }
}
