package io.parsimony.export.graph;

import io.parsimony.nn.data.Normalization;
import io.parsimony.nn.model.ModelSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A trained network as exporters see it: its layers in inference mode, what its input is
 * (channels × height × width pixels in [0, 1], standardised with {@code normalization} as in
 * training) and what its outputs mean ({@code classNames}).
 */
public record Network(ModelSpec spec, List<Layer> layers, int channels, int height, int width,
                      Normalization normalization, List<String> classNames) {

    public Network {
        layers = List.copyOf(layers);
        classNames = List.copyOf(classNames);
    }

    public Network withLayers(List<Layer> replaced) {
        return new Network(spec, replaced, channels, height, width, normalization, classNames);
    }

    /** Distinct tensors in first-use order (a shared kernel once). */
    public List<Tensor> tensors() {
        Set<Tensor> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Tensor> out = new ArrayList<>();
        collect(layers, seen, out);
        return out;
    }

    /** Values of the distinct tensors: what the exported file must hold at 4 bytes each. */
    public long values() {
        return tensors().stream().mapToLong(Tensor::size).sum();
    }

    private static void collect(List<Layer> layers, Set<Tensor> seen, List<Tensor> out) {
        for (Layer l : layers) {
            List<Tensor> ts = List.of();
            if (l instanceof Layer.Conv c) {
                ts = c.bias() == null ? List.of(c.weight()) : List.of(c.weight(), c.bias());
            } else if (l instanceof Layer.GeneratedConv g) {
                ts = List.of(g.base(), g.coefficients());
            } else if (l instanceof Layer.Norm n) {
                ts = List.of(n.scale(), n.shift(), n.mean(), n.variance());
            } else if (l instanceof Layer.RepeatedNorm n) {
                ts = List.of(n.baseScale(), n.baseShift(), n.mean(), n.variance());
            } else if (l instanceof Layer.Affine a) {
                ts = List.of(a.scale(), a.shift());
            } else if (l instanceof Layer.Linear f) {
                ts = List.of(f.weight(), f.bias());
            } else if (l instanceof Layer.Residual r) {
                collect(r.main(), seen, out);
                collect(r.shortcut(), seen, out);
            }
            for (Tensor t : ts) {
                if (seen.add(t)) {
                    out.add(t);
                }
            }
        }
    }
}
