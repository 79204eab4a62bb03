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
import io.parsimony.nn.engine.MemoryFormat;

import java.util.List;

/**
 * The hot path of training, one optimizer step on one batch: forward under a gradient
 * collector, cross-entropy, backward, then the PyTorch-semantics update (top-1 hits counted on
 * the host from one copy of the logits). Shared by {@link TrainingLoop} and the training
 * benchmark, so what is measured is what trains.
 */
public final class TrainingStep {

    private final Block block;
    private final NDManager manager;
    private final ParameterStore store;
    private final ParameterUpdater updater;
    private final MemoryFormat format;
    private long forwardNanos;
    private long backwardNanos;
    private long updateNanos;

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
        List<Parameter> trainable = Networks.trainable(block);
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
            NDArray y = Logits.labels(sm, labels);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                long t0 = System.nanoTime();
                NDArray logits = block.forward(store, new NDList(x), true).singletonOrThrow();
                NDArray loss = Logits.crossEntropy(logits, y);
                float lossValue = loss.getFloat();
                float[] logitValues = logits.toFloatArray();
                long t1 = System.nanoTime();
                gc.backward(loss);
                forwardNanos += t1 - t0;
                backwardNanos += System.nanoTime() - t1;
                return new float[] {lossValue, Logits.correct(logitValues, labels)};
            }
        }
    }

    /** Applies and clears the accumulated gradients. */
    public void update(double lr) {
        long t0 = System.nanoTime();
        updater.step(lr);
        updateNanos += System.nanoTime() - t0;
    }

    /**
     * Seconds spent in forward (with the loss and the copy of the logits to the host), backward
     * and update since the last call, then zeroed: where a step's time goes, per epoch. The
     * readings wait for each phase's result, which a CPU engine computes before returning; on a
     * GPU they are launch times unless a phase ends in a copy to the host.
     */
    public PhaseSeconds takePhaseSeconds() {
        PhaseSeconds p = new PhaseSeconds(forwardNanos / 1e9, backwardNanos / 1e9, updateNanos / 1e9);
        forwardNanos = backwardNanos = updateNanos = 0;
        return p;
    }

    /** Seconds per phase of the optimizer steps of one epoch. */
    public record PhaseSeconds(double forward, double backward, double update) {
    }
}
