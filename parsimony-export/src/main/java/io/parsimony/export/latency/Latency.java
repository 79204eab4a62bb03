package io.parsimony.export.latency;

/**
 * Batch-1 inference latency of one network on one host, as {@link LatencyMeter} measured it.
 *
 * @param medianMillis the median of the timed runs, in milliseconds
 * @param p90Millis    their 90th percentile (nearest rank), in milliseconds
 * @param runs         how many runs were timed
 * @param host         what it was measured on: CPU model, cores, ONNX Runtime version
 */
public record Latency(double medianMillis, double p90Millis, int runs, String host) {
}
