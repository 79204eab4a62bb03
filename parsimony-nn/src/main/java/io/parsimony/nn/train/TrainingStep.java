package io.parsimony.nn.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.parsimony.nn.model.MemoryFormat;

import java.util.List;

/**
 * The hot path of training, one optimizer step on one batch: forward under a gradient
 * collector, cross-entropy, backward, then the PyTorch-semantics update. Shared by
 * {@link TrainingRun} and the training benchmark, so what is measured is what trains.
 */
public final class TrainingStep {

    private final Block block;
    private final NDManager manager;
    private final ParameterStore store;
    private final ParameterUpdater updater;
    private final MemoryFormat format;

    public TrainingStep(Block block, NDManager manager, OptimizerKind optimizer, double momentum, double weightDecay) {
        this(block, manager, optimizer, momentum, weightDecay, ParameterUpdater.Mode.FUSED,
                MemoryFormat.forDevice(manager.getDevice()));
    }

    TrainingStep(Block block, NDManager manager, OptimizerKind optimizer, double momentum, double weightDecay,
                 ParameterUpdater.Mode mode, MemoryFormat format) {
        this.format = format;
        this.block = block;
        this.manager = manager;
        this.store = new ParameterStore(manager, false);
        List<Parameter> trainable = TrainingRun.trainable(block);
        this.updater = new ParameterUpdater(optimizer, mode, trainable, manager, momentum, weightDecay);
    }

    ParameterUpdater updater() {
        return updater;
    }

    ParameterStore store() {
        return store;
    }

    /** The layout the batches are fed in ({@link MemoryFormat#forDevice} unless a test chose one). */
    public MemoryFormat format() {
        return format;
    }

    /** Forward + backward on one batch (no update); returns {loss, correct}. Gradients accumulate until {@link #update}. */
    public float[] forwardBackward(float[] images, int[] labels, Shape batchShape) {
        try (NDManager sm = manager.newSubManager()) {
            NDArray x = format.apply(sm.create(images, batchShape));
            NDArray y = sm.create(TrainingRun.toLong(labels));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray logits = block.forward(store, new NDList(x), true).singletonOrThrow();
                NDArray loss = TrainingRun.crossEntropy(logits, y);
                gc.backward(loss);
                float lossValue = loss.getFloat();
                return new float[] {lossValue, correct(logits.toFloatArray(), labels)};
            }
        }
    }

    /** Top-1 hits counted on the host: one copy of the logits instead of three more tensor ops. */
    private static int correct(float[] logits, int[] labels) {
        int classes = logits.length / labels.length, hits = 0;
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (logits[i * classes + c] > logits[i * classes + best]) {
                    best = c;
                }
            }
            hits += best == labels[i] ? 1 : 0;
        }
        return hits;
    }

    /** Applies and clears the accumulated gradients. */
    public void update(double lr) {
        updater.step(lr);
    }
}
