package io.parsimony.nn.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;

import java.util.ArrayList;
import java.util.List;

/**
 * Applies one optimizer step to every trainable tensor, with PyTorch's semantics (DJL's own
 * SGD folds the learning rate into the momentum and decays BatchNorm too, and its Adagrad does
 * not run on the PyTorch engine):
 * <ul>
 *   <li>SGD: g ← ∇ + λ·w (weights only); v ← μ·v + g; w ← w − lr·v</li>
 *   <li>Adagrad: g ← ∇ + λ·w; s ← s + g²; w ← w − lr·g / (√s + ε)</li>
 * </ul>
 * Gradients accumulate in PyTorch, so each is zeroed after use. State tensors (momentum or
 * squared-gradient sums) are listed in parameter order for checkpoints.
 */
final class ParameterUpdater {

    private static final float ADAGRAD_EPS = 1e-10f;

    private final OptimizerKind kind;
    private final List<Parameter> parameters;
    private final List<NDArray> state = new ArrayList<>();
    private final boolean[] decays;
    private final float momentum;
    private final float weightDecay;

    ParameterUpdater(OptimizerKind kind, List<Parameter> parameters, NDManager manager, double momentum, double weightDecay) {
        this.kind = kind;
        this.parameters = parameters;
        this.momentum = (float) momentum;
        this.weightDecay = (float) weightDecay;
        this.decays = new boolean[parameters.size()];
        for (int i = 0; i < parameters.size(); i++) {
            NDArray w = parameters.get(i).getArray();
            NDArray s = manager.zeros(w.getShape(), w.getDataType(), w.getDevice());
            state.add(s);
            decays[i] = parameters.get(i).getType() == Parameter.Type.WEIGHT && weightDecay > 0;
        }
    }

    List<NDArray> state() {
        return state;
    }

    void loadState(List<NDArray> saved) {
        if (saved.size() != state.size()) {
            throw new IllegalStateException("optimizer state has " + saved.size() + " tensors, model needs " + state.size());
        }
        for (int i = 0; i < saved.size(); i++) {
            state.get(i).set(saved.get(i).toType(state.get(i).getDataType(), false).toFloatArray());
        }
    }

    void step(double lr) {
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
}
