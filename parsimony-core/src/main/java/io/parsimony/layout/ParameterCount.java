package io.parsimony.layout;

import java.util.List;

/**
 * The counted parameters of one layout in one network shape, with the per-layer rows.
 * {@link #units()} is the paper's unit: total ÷ k² (tables in seed 001 are "divided by the
 * constant value (3×3)"); it is fractional when 1×1 projections or biases are counted.
 */
public record ParameterCount(NetworkShape shape, Layout layout, List<LayerCount> layers) {

    public ParameterCount {
        layers = List.copyOf(layers);
    }

    public long total() {
        return layers.stream().mapToLong(LayerCount::total).sum();
    }

    public long weights() {
        return layers.stream().mapToLong(LayerCount::weights).sum();
    }

    public long biases() {
        return layers.stream().mapToLong(LayerCount::biases).sum();
    }

    /** Total ÷ k², or NaN when units use different kernel sizes (then only weights are meaningful). */
    public double units() {
        int k = shape.uniformKernel();
        return k < 0 ? Double.NaN : total() / ((double) k * k);
    }

    /** Parameters of each unit (1-based unit i at index i−1). */
    public long[] perUnit() {
        long[] out = new long[shape.depth()];
        for (LayerCount row : layers) {
            out[row.unit() - 1] += row.total();
        }
        return out;
    }
}
