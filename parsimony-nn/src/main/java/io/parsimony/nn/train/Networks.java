package io.parsimony.nn.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.util.Pair;
import io.parsimony.nn.engine.Numerics;
import io.parsimony.nn.model.ModelSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A network ready to train: built from its spec and initialised from a seed (He-normal conv and
 * linear weights, drawn through the engine), so a resumed or reloaded run rebuilds the same block.
 */
public final class Networks {

    private Networks() {
    }

    /** Builds and initialises {@code spec} for images of {@code channels}×{@code height}×{@code width}. */
    public static Block build(ModelSpec spec, NDManager manager, int channels, int height, int width, long seed) {
        Numerics.ensureChecked();   // before anything is built: its notice comes first, its refusal before any work
        Engine.getInstance().setRandomSeed((int) (seed ^ (seed >>> 32)));
        Block block = spec.build();
        initialize(block, manager, new Shape(1, channels, height, width));
        return block;
    }

    /**
     * Runs {@code spec} once on two blank images so that the numerics check probes each of its conv
     * shapes now (a once-per-host cost, cached) rather than inside a timed training.
     */
    public static void verifyConvs(ModelSpec spec, int channels, int height, int width) {
        try (NDManager manager = NDManager.newBaseManager(Engine.getInstance().defaultDevice())) {
            Block block = build(spec, manager, channels, height, width, 0);
            block.forward(new ParameterStore(manager, false), new NDList(manager.zeros(new Shape(2, channels, height, width))), true);
        }
    }

    /** He-normal conv and linear weights, then the block initialised for {@code inputShape}. */
    public static void initialize(Block block, NDManager manager, Shape inputShape) {
        Numerics.ensureChecked();
        block.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN,
                XavierInitializer.FactorType.IN, 2), Parameter.Type.WEIGHT);
        block.initialize(manager, DataType.FLOAT32, inputShape);
    }

    /** Distinct trainable tensors in block order (a shared block's tensor once). */
    public static List<Parameter> trainable(Block block) {
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Parameter> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (p.getValue().requiresGradient() && seen.add(p.getValue())) {
                out.add(p.getValue());
            }
        }
        return out;
    }
}
