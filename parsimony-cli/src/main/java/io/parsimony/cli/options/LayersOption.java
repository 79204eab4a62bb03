package io.parsimony.cli.options;

import picocli.CommandLine.Option;

/**
 * The depth of the layouts a command searches or trains ({@code -N}), defined once for
 * {@code layout search}, {@code layout sample}, {@code sweep energy} and {@code extremes}. Commands
 * that default it (the paper's 4 layers) or imply it (--repeats, --kernels) pass the fallback in.
 */
public final class LayersOption {

    @Option(names = {"-N", "--layers"}, paramLabel = "N", description = "Number of conv layers (plain) or block units.")
    Integer layers;

    /** The given depth, or null when it is implied by other flags or the command's default. */
    public Integer layers() {
        return layers;
    }

    /** The depth, or {@code fallback} when --layers is not given. */
    public int layersOr(int fallback) {
        return layers != null ? layers : fallback;
    }
}
