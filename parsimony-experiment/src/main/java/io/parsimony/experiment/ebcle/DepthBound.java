package io.parsimony.experiment.ebcle;

import io.parsimony.InputException;

/**
 * The EBCLE depth bound, derived from seed 003's principle (the seed states the principle, not
 * a formula; the derivation is in the README):
 * <ol>
 *   <li>Compression needs room: a stage of convs is useful only while pooling/striding can
 *       still shrink the feature map, down to {@code minFeatureMap} pixels on a side, so an
 *       input of side R allows S = 1 + ⌊log2(R / minFeatureMap)⌋ stages.</li>
 *   <li>Abstraction needs information: a conv + ReLU layer can at best abstract
 *       {@code bitsPerLayer} bits per position, so the H̄ bits per pixel an image carries
 *       (mean per-image entropy) are exhausted after ⌈H̄ / bitsPerLayer⌉ layers in a stage;
 *       more layers at that resolution are near-identity maps.</li>
 * </ol>
 * Bound: L_max = S · max(1, ⌈H̄ / bitsPerLayer⌉) conv layers. Both constants are parameters.
 */
public record DepthBound(double minFeatureMap, double bitsPerLayer) {

    /** Defaults: stop at 4×4 maps; one bit of abstraction per layer and position. */
    public static final DepthBound DEFAULT = new DepthBound(4, 1);

    public DepthBound {
        if (!(minFeatureMap >= 1) || !(bitsPerLayer > 0)) {
            throw new InputException("EBCLE constants must be positive (min feature map ≥ 1, bits per layer > 0)");
        }
    }

    /** The bound for a data set of mean per-image entropy {@code bits} and smaller side {@code resolution}. */
    public Result apply(double bits, int resolution) {
        int stages = 1 + (int) Math.floor(Math.log(Math.max(1.0, resolution / minFeatureMap)) / Math.log(2) + 1e-9);
        int perStage = Math.max(1, (int) Math.ceil(bits / bitsPerLayer - 1e-9));
        return new Result(stages, perStage, stages * perStage, bits, resolution, this);
    }

    public record Result(int stages, int layersPerStage, int maxConvLayers, double bits, int resolution, DepthBound constants) {
    }
}
