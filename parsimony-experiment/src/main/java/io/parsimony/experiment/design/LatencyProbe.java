package io.parsimony.experiment.design;

import io.parsimony.nn.model.ModelSpec;

/**
 * Batch-1 inference latency of a network on this machine, for the {@code --max-latency} budget
 * and the Pareto front. An interface because the measurement lives where the export does (ONNX
 * Runtime on the exported graph, {@code parsimony-export}), which the design does not depend on.
 */
@FunctionalInterface
public interface LatencyProbe {

    /** Median milliseconds of one forward pass of {@code spec} on one {@code channels × height × width} image. */
    double medianMillis(ModelSpec spec, int channels, int height, int width);
}
