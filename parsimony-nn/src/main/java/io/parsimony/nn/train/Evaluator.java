package io.parsimony.nn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.parsimony.InputException;
import io.parsimony.nn.data.Augmentation;
import io.parsimony.nn.data.BatchLoader;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.Normalization;
import io.parsimony.nn.engine.MemoryFormat;

/**
 * Evaluates a network on a set with BatchNorm's running statistics (training = false) and no
 * gradients: mean loss, top-1, top-5 and the confusion matrix, for validation during training
 * and for the test set alike.
 */
public final class Evaluator {

    private static final int BATCH = 500;

    private final Block block;
    private final ParameterStore store;
    private final NDManager manager;
    private final Normalization norm;
    private final int classes;

    /** @param classes the network's outputs; every label of an evaluated set must be below it */
    public Evaluator(Block block, ParameterStore store, NDManager manager, Normalization norm, int classes) {
        this.block = block;
        this.store = store;
        this.manager = manager;
        this.norm = norm;
        this.classes = classes;
    }

    public Evaluation evaluate(ImageSet set) {
        if (set.size() == 0) {
            throw new InputException(set.name() + " has no images to evaluate on");
        }
        if (set.classes() > classes) {
            throw new InputException(set.name() + " has " + set.classes() + " classes but the network has " + classes
                    + " outputs; evaluate on a data set with the classes it was trained on");
        }
        long[][] confusion = new long[classes][classes];
        long[] top5 = {0};
        double[] lossSum = {0};
        Shape imageShape = new Shape(set.channels(), set.height(), set.width());
        MemoryFormat format = MemoryFormat.forDevice(manager.getDevice());
        new BatchLoader(set, norm, Augmentation.NONE, BATCH).forEachInOrder(batch -> {
            try (NDManager sm = manager.newSubManager()) {
                NDArray x = format.apply(sm.create(batch.images(), new Shape(batch.size()).addAll(imageShape)));
                NDArray logits = block.forward(store, new NDList(x), false).singletonOrThrow();
                lossSum[0] += Logits.crossEntropy(logits, Logits.labels(sm, batch.labels())).getFloat() * batch.size();
                float[] z = logits.toFloatArray();
                for (int i = 0; i < batch.size(); i++) {
                    int truth = batch.labels()[i];
                    confusion[truth][Logits.top1(z, i, classes)]++;
                    if (Logits.rankOf(z, i, classes, truth) < 5) {
                        top5[0]++;
                    }
                }
            }
        });
        return Evaluation.of(confusion, top5[0], lossSum[0]);
    }
}
