package io.parsimony.nn.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.util.Pair;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A torchinfo-like table of an initialised network: one row per top-level layer with its output
 * shape and parameters. Parameters are counted once per tensor (a block used at several places
 * shares one tensor, and DJL lists it once per use), so {@code parameters} is the unique count.
 *
 * <p>Sharing (seed 002's anchored kernels): {@code sharedTensors} tensors are used at more than
 * one place, with {@code reuses} extra uses in all (a kernel applied 14 times adds 13);
 * {@code unsharedParameters} is what the network would hold if every use had its own tensor,
 * and {@link #compression()} their ratio to {@code parameters}.
 *
 * <p>{@code classifierParameters} is the prediction layer (the last linear layer, weight + bias).
 * {@link #backboneParameters()} = {@code parameters} − {@code classifierParameters} is how seed
 * 002 counts "# param" in Table 6: every conv kernel once (no conv biases exist), every BatchNorm
 * with all four of its per-channel tensors (γ, β, running mean, running variance), no classifier.
 *
 * @param rows                 one per top-level layer; a shared tensor is counted in every row using it
 * @param parameters           elements of the distinct tensors (trainable + BN running statistics)
 * @param trainable            elements of the distinct tensors that get gradients
 * @param convWeights          elements of the distinct conv kernels
 * @param sharedTensors        distinct tensors used at more than one place
 * @param reuses               extra uses of shared tensors: Σ (uses − 1)
 * @param unsharedParameters   Σ elements × uses: the count if no tensor were shared
 * @param classifierParameters elements of the last linear layer
 */
public record ModelSummary(List<Row> rows, long parameters, long trainable, long convWeights, long sharedTensors,
                           long reuses, long unsharedParameters, long classifierParameters) {

    public record Row(int index, String layer, String outputShape, long parameters) {
    }

    /**
     * Builds {@code spec} for one channels×height×width image, initialises it on a fresh manager
     * and summarises it; a model too large to build is refused first, in one line
     * ({@link ModelSize#requireBuildable}), before DJL allocates anything.
     */
    public static ModelSummary of(ModelSpec spec, int channels, int height, int width) {
        ModelSize.of(spec, height, width).requireBuildable();
        Shape in = new Shape(1, channels, height, width);
        try (NDManager manager = NDManager.newBaseManager()) {
            Block b = spec.build();
            b.initialize(manager, DataType.FLOAT32, in);
            return of(b, in);
        }
    }

    public static ModelSummary of(Block block, Shape input) {
        List<Row> rows = new ArrayList<>();
        List<Pair<String, Block>> children = block instanceof SequentialBlock
                ? block.getChildren().stream().toList() : List.of(new Pair<>("model", block));
        Shape[] shape = {input};
        int i = 0;
        for (Pair<String, Block> child : children) {
            shape = child.getValue().getOutputShapes(shape);
            rows.add(new Row(++i, layerName(child.getValue()), shape[0].toString(), uniqueSize(child.getValue(), p -> true)));
        }
        Map<Parameter, Integer> uses = new IdentityHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            uses.merge(p.getValue(), 1, Integer::sum);
        }
        long shared = 0, reuses = 0, unshared = 0;
        for (Map.Entry<Parameter, Integer> e : uses.entrySet()) {
            Shape s = e.getKey().getShape();
            unshared += s == null ? 0 : s.size() * e.getValue();
            if (e.getValue() > 1) {
                shared++;
                reuses += e.getValue() - 1;
            }
        }
        return new ModelSummary(rows, uniqueSize(block, p -> true), uniqueSize(block, Parameter::requiresGradient),
                convWeights(block), shared, reuses, unshared, classifierSize(block));
    }

    /**
     * Seed 002's Table 6 count: all distinct tensors (BN running statistics included) except the
     * classifier. The paper evidently leaves the prediction layer out, as its abstract does for
     * the compression factor: with a 128→100 linear layer no plain DACNN could be within 2% of
     * Table 6's 0.16M (its conv kernels alone hold 0.151M).
     */
    public long backboneParameters() {
        return parameters - classifierParameters;
    }

    /** Parameters if every use had its own tensor ÷ the distinct parameters (1 without sharing). */
    public double compression() {
        return parameters == 0 ? 1 : (double) unsharedParameters / parameters;
    }

    private static String layerName(Block b) {
        String n = b.getClass().getSimpleName();
        if (n.equals("ParallelBlock")) {
            return "BasicBlock";
        }
        if (b instanceof ai.djl.nn.LambdaBlock lambda && !ai.djl.nn.LambdaBlock.DEFAULT_NAME.equals(lambda.getName())) {
            return lambda.getName();
        }
        return n;
    }

    /** Elements of the distinct parameter tensors of {@code b} that satisfy the filter. */
    static long uniqueSize(Block b, java.util.function.Predicate<Parameter> filter) {
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        long n = 0;
        for (Pair<String, Parameter> p : b.getParameters()) {
            if (seen.add(p.getValue()) && filter.test(p.getValue()) && p.getValue().getShape() != null) {
                n += p.getValue().getShape().size();
            }
        }
        return n;
    }

    /** Elements of the distinct conv kernels anywhere in {@code b}. */
    public static long convWeights(Block b) {
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        long[] n = {0};
        walk(b, blk -> {
            for (Pair<String, Parameter> p : blk.getDirectParameters()) {
                Shape shape = p.getValue().getShape();
                // conv kernels are the 4-D weights (Conv2d's, and repeated convs' base kernels)
                if (p.getValue().getType() == Parameter.Type.WEIGHT && shape != null && shape.dimension() == 4
                        && seen.add(p.getValue())) {
                    n[0] += shape.size();
                }
            }
        });
        return n[0];
    }

    /** Elements of the last linear layer in {@code b} (the classifier), 0 if there is none. */
    static long classifierSize(Block b) {
        Block[] last = {null};
        walk(b, blk -> {
            if (blk instanceof Linear) {
                last[0] = blk;
            }
        });
        return last[0] == null ? 0 : uniqueSize(last[0], p -> true);
    }

    private static void walk(Block b, java.util.function.Consumer<Block> visit) {
        visit.accept(b);
        for (Pair<String, Block> c : b.getChildren()) {
            walk(c.getValue(), visit);
        }
    }
}
