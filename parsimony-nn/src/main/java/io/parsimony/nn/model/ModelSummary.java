package io.parsimony.nn.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * A torchinfo-like table of an initialised network: one row per top-level layer with its output
 * shape and parameters. Parameters are counted once per tensor (a block used at several places
 * shares one tensor, and DJL lists it once per use).
 */
public record ModelSummary(List<Row> rows, long parameters, long trainable, long convWeights) {

    public record Row(int index, String layer, String outputShape, long parameters) {
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
        return new ModelSummary(rows, uniqueSize(block, p -> true), uniqueSize(block, Parameter::requiresGradient),
                convWeights(block));
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

    private static void walk(Block b, java.util.function.Consumer<Block> visit) {
        visit.accept(b);
        for (Pair<String, Block> c : b.getChildren()) {
            walk(c.getValue(), visit);
        }
    }
}
