package io.parsimony.export.graph;

import java.util.List;

/**
 * One inference-mode step of an exported network, independent of the file format: the ONNX and
 * PyTorch writers turn the same list of layers into nodes and module code. Convs are "same"
 * padded and bias-free unless BatchNorm was folded into them.
 */
public sealed interface Layer {

    /** A 2-D convolution with {@code padding} on every side; {@code bias} may be null. */
    record Conv(Tensor weight, Tensor bias, int stride, int padding) implements Layer {
    }

    /**
     * A conv whose kernel is generated from {@code base} by learnable repetition: tile (a, b) of a
     * tilesOut × tilesIn tiling is the base rotated by 90°·((repetition + a·tilesIn + b) mod 4) in
     * its last two axes and scaled by {@code coefficients[a·tilesIn + b]}, cropped to out × in.
     */
    record GeneratedConv(Tensor base, Tensor coefficients, int in, int out, int kernel, int stride, int repetition,
                         int tilesOut, int tilesIn) implements Layer {

        /** Quarter turns of tile (a, b). */
        public int turns(int a, int b) {
            return (repetition + a * tilesIn + b) % 4;
        }
    }

    /** BatchNorm with running statistics: (x − mean) / √(variance + ε) · scale + shift, per channel. */
    record Norm(Tensor scale, Tensor shift, Tensor mean, Tensor variance, float epsilon) implements Layer {
    }

    /**
     * BatchNorm whose scale and shift are a base network's, repeated cyclically over {@code channels}
     * (the rescaled family); its running statistics are its own.
     */
    record RepeatedNorm(Tensor baseScale, Tensor baseShift, Tensor mean, Tensor variance, float epsilon, int channels)
            implements Layer {
    }

    /** x · scale + shift per channel: a BatchNorm folded for a conv whose kernel is shared or generated. */
    record Affine(Tensor scale, Tensor shift) implements Layer {
    }

    /** max(x, 0). */
    record Relu() implements Layer {
    }

    /** Max-pool with a square window. */
    record MaxPool(int kernel, int stride) implements Layer {
    }

    /** Mean over height and width, flattened to (N, C). */
    record GlobalAvgPool() implements Layer {
    }

    /** (N, groups·F) → (N, groups, F) → mean over the groups: a rescaled head's repeated channels folded back. */
    record FoldGroups(int groups) implements Layer {
    }

    /** y = x · weightᵀ + bias, weight (out, in). */
    record Linear(Tensor weight, Tensor bias) implements Layer {
    }

    /** relu(main(x) + shortcut(x)); an empty shortcut is the identity. */
    record Residual(List<Layer> main, List<Layer> shortcut) implements Layer {
    }
}
