package io.parsimony.layout;

/**
 * One row of a parameter breakdown: a conv (or projection) layer with its weights and biases.
 *
 * @param unit  1-based unit index, as in the paper's (n1..nN)
 * @param layer 1-based conv index within the unit; 0 for a projection shortcut
 */
public record LayerCount(int unit, int layer, Kind kind, int inChannels, int outChannels, int kernel,
                         long weights, long biases) {
    public enum Kind { CONV, PROJECTION }

    public long total() {
        return weights + biases;
    }
}
