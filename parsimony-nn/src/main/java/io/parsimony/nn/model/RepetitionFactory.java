package io.parsimony.nn.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.pooling.Pool;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Layers of a rescaled network generated from a base network's tensors: each key of the
 * rescaled family maps to a key of the base family; the base tensor is created (owned) by the
 * first layer of that key and shared by every later one, each use with its own coefficients
 * and repetition index. The classifier averages the repeated channel groups back to the base
 * width and reuses the base classifier's size.
 */
final class RepetitionFactory implements LayerFactory {

    /** A conv of the base network as its family built it. */
    record BaseConv(int in, int out, int kernel) {
    }

    private final Map<String, BaseConv> baseConvs;
    private final Map<String, Integer> baseNorms;
    private final Map<String, Integer> baseHeads;
    private final Function<String, String> toBaseKey;
    private final Map<String, Parameter> kernels = new HashMap<>();
    private final Map<String, Parameter[]> affines = new HashMap<>();
    private final Map<String, Integer> uses = new HashMap<>();
    private final boolean rotateTiles;
    private long coefficients;

    RepetitionFactory(Map<String, BaseConv> baseConvs, Map<String, Integer> baseNorms, Map<String, Integer> baseHeads,
                      Function<String, String> toBaseKey, boolean rotateTiles) {
        this.rotateTiles = rotateTiles;
        this.baseConvs = baseConvs;
        this.baseNorms = baseNorms;
        this.baseHeads = baseHeads;
        this.toBaseKey = toBaseKey;
    }

    /** Records what a family builds, to learn the base shapes by key. */
    static final class Recorder implements LayerFactory {
        final Map<String, BaseConv> convs = new HashMap<>();
        final Map<String, Integer> norms = new HashMap<>();
        final Map<String, Integer> heads = new HashMap<>();

        @Override
        public Block conv(String key, int in, int out, int kernel, int stride) {
            convs.put(key, new BaseConv(in, out, kernel));
            return FREE.conv(key, in, out, kernel, stride);
        }

        @Override
        public Block batchNorm(String key, int channels) {
            norms.put(key, channels);
            return FREE.batchNorm(key, channels);
        }

        @Override
        public Block head(String key, int features, int classes) {
            heads.put(key, features);
            return FREE.head(key, features, classes);
        }
    }

    long coefficients() {
        return coefficients;
    }

    private String base(String key, Map<String, ?> known) {
        String b = toBaseKey.apply(key);
        if (!known.containsKey(b)) {
            throw new IllegalStateException("rescaled layer " + key + " maps to " + b + ", which the base network lacks");
        }
        return b;
    }

    @Override
    public Block conv(String key, int in, int out, int kernel, int stride) {
        String b = base(key, baseConvs);
        BaseConv bc = baseConvs.get(b);
        boolean owner = !kernels.containsKey(b);
        Parameter p = kernels.computeIfAbsent(b, k -> RepeatedConv2d.baseKernel(bc.out(), bc.in(), bc.kernel()));
        int repetition = uses.merge(b, 1, Integer::sum) - 1;
        RepeatedConv2d conv = new RepeatedConv2d(p, owner, in, out, kernel, stride, repetition, rotateTiles);
        coefficients += conv.coefficientCount();
        return conv;
    }

    @Override
    public Block batchNorm(String key, int channels) {
        String b = base(key, baseNorms);
        boolean owner = !affines.containsKey(b);
        Parameter[] affine = affines.computeIfAbsent(b, k -> RepeatedBatchNorm.baseAffine(baseNorms.get(k)));
        return new RepeatedBatchNorm(affine, owner, channels);
    }

    @Override
    public Block head(String key, int features, int classes) {
        int baseFeatures = baseHeads.get(base(key, baseHeads));
        SequentialBlock head = new SequentialBlock().add(Pool.globalAvgPool2dBlock()).add(Blocks.batchFlattenBlock());
        if (features != baseFeatures) {
            if (features % baseFeatures != 0) {
                throw new IllegalStateException("rescaled head has " + features + " features, not a multiple of " + baseFeatures);
            }
            long groups = features / baseFeatures;
            head.add(new LambdaBlock(x -> {
                NDArray f = x.singletonOrThrow();
                return new NDList(f.reshape(f.getShape().get(0), groups, baseFeatures).mean(new int[] {1}));
            }, "foldRepetitions"));
        }
        return head.add(Linear.builder().setUnits(classes).build());
    }
}
