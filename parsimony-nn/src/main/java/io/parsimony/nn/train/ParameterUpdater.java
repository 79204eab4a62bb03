package io.parsimony.nn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies one optimizer step to every trainable tensor, with PyTorch's semantics (DJL's own
 * SGD folds the learning rate into the momentum and decays BatchNorm too, and its Adagrad does
 * not run on the PyTorch engine):
 * <ul>
 *   <li>SGD: g ← ∇ + λ·w (weights only); b ← μ·b + g; w ← w − lr·b</li>
 *   <li>Adagrad: g ← ∇ + λ·w; s ← s + g²; w ← w − lr·g / (√s + ε)</li>
 * </ul>
 * SGD runs {@link Mode#FUSED} by default: one native call per tensor (the engine's fused SGD
 * kernel keeps v = lr·b; when the learning rate changes, v is rescaled by lr_new / lr_old, which
 * keeps it exactly PyTorch's update) instead of a handful of element-wise ops, each of which
 * may wake the intra-op thread pool. {@link Mode#PLAIN} spells the update out op by op and is
 * the reference the fused path is tested against. Gradients accumulate in PyTorch, so each is
 * zeroed after use. State tensors are checkpointed as they live, with the scale (Checkpoint.Header).
 */
final class ParameterUpdater {

    /** How SGD updates are issued. */
    enum Mode { FUSED, PLAIN }

    private static final float ADAGRAD_EPS = 1e-10f;

    private final OptimizerKind kind;
    private final Mode mode;
    private final List<Parameter> parameters;
    private final List<NDArray> state = new ArrayList<>();
    private final boolean[] decays;
    private final float momentum;
    private final float weightDecay;
    /** FUSED SGD: the learning rate the state is currently scaled by (NaN: state is PyTorch's b). */
    private double stateScale = Double.NaN;

    ParameterUpdater(OptimizerKind kind, List<Parameter> parameters, NDManager manager, double momentum, double weightDecay) {
        this(kind, Mode.FUSED, parameters, manager, momentum, weightDecay);
    }

    ParameterUpdater(OptimizerKind kind, Mode mode, List<Parameter> parameters, NDManager manager, double momentum,
                     double weightDecay) {
        this.kind = kind;
        this.mode = kind == OptimizerKind.SGD ? mode : Mode.PLAIN;
        this.parameters = parameters;
        this.momentum = (float) momentum;
        this.weightDecay = (float) weightDecay;
        this.decays = new boolean[parameters.size()];
        for (int i = 0; i < parameters.size(); i++) {
            NDArray w = parameters.get(i).getArray();
            state.add(manager.zeros(w.getShape(), w.getDataType(), w.getDevice()));
            decays[i] = parameters.get(i).getType() == Parameter.Type.WEIGHT && weightDecay > 0;
        }
    }

    /** The optimizer state as it lives, for checkpoints; {@link #stateScale()} says how it is scaled. */
    List<NDArray> state() {
        return state;
    }

    /** The learning rate the live state is scaled by (the fused SGD's v = lr·b), or null when it is PyTorch's b. */
    Double stateScale() {
        return mode == Mode.PLAIN || Double.isNaN(stateScale) ? null : stateScale;
    }

    /** Loads a checkpoint's state as it was written, scaled by {@code scale} (null: PyTorch's b). */
    void loadState(List<NDArray> saved, Double scale) {
        if (saved.size() != state.size()) {
            throw new IllegalStateException("optimizer state has " + saved.size() + " tensors, model needs " + state.size());
        }
        for (int i = 0; i < saved.size(); i++) {
            state.get(i).set(saved.get(i).toType(state.get(i).getDataType(), false).toFloatArray());
        }
        stateScale = scale == null || mode == Mode.PLAIN ? Double.NaN : scale;
    }

    void step(double lr) {
        if (mode == Mode.FUSED) {
            fusedSgd(lr);
            return;
        }
        float rate = (float) lr;
        for (int i = 0; i < parameters.size(); i++) {
            NDArray w = parameters.get(i).getArray();
            try (NDArray grad = w.getGradient()) {
                NDArray decayed = decays[i] ? w.mul(weightDecay).addi(grad) : null;
                NDArray g = decayed != null ? decayed : grad;
                NDArray s = state.get(i);
                if (kind == OptimizerKind.SGD) {
                    s.muli(momentum).addi(g);
                    try (NDArray delta = s.mul(rate)) {
                        w.subi(delta);
                    }
                } else {
                    try (NDArray g2 = g.square()) {
                        s.addi(g2);
                    }
                    try (NDArray den = s.sqrt().addi(ADAGRAD_EPS); NDArray q = g.div(den)) {
                        w.subi(q.muli(rate));
                    }
                }
                if (decayed != null) {
                    decayed.close();
                }
                grad.subi(grad);
            }
        }
    }

    private void fusedSgd(double lr) {
        double scale = Double.isNaN(stateScale) ? 1.0 : stateScale;
        if (lr != scale) {
            float ratio = (float) (lr / scale);
            for (NDArray s : state) {
                s.muli(ratio);   // v = lr·b must follow the learning rate (rare: at schedule steps)
            }
        }
        stateScale = lr;
        for (int i = 0; i < parameters.size(); i++) {
            NDArray w = parameters.get(i).getArray();
            try (NDArray grad = w.getGradient()) {
                w.getNDArrayInternal().sgdUpdate(new NDList(w, grad, state.get(i)), new NDList(w), (float) lr,
                        decays[i] ? weightDecay : 0f, 1f, -1f, momentum, true);
                grad.subi(grad);
            }
        }
    }
}
