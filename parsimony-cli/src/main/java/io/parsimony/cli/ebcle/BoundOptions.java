package io.parsimony.cli.ebcle;

import io.parsimony.experiment.ebcle.DepthBound;
import picocli.CommandLine.Option;

/** The two explicit constants of the EBCLE bound. */
public final class BoundOptions {
    @Option(names = "--min-feature-map", defaultValue = "4", paramLabel = "PX",
            description = "Smallest useful feature-map side (default: ${DEFAULT-VALUE}).")
    double minFeatureMap;

    @Option(names = "--bits-per-layer", defaultValue = "1", paramLabel = "BITS",
            description = "Bits of abstraction one conv+ReLU layer achieves per position (default: ${DEFAULT-VALUE}).")
    double bitsPerLayer;

    DepthBound constants() {
        return new DepthBound(minFeatureMap, bitsPerLayer);
    }
}
