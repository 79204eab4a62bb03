package io.parsimony.nn.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Parsimony's update rules against the reference they claim to copy: {@code torch.optim.SGD} and
 * {@code torch.optim.Adagrad} from Debian's python3-torch, run by {@code torch_optim.py} on the same
 * initial tensors and per-step gradients. Weight decay sits in a parameter group holding only the
 * conv/linear weights (biases and BatchNorm's gamma/beta are not decayed), and the learning rate
 * drops mid-way, which is where the fused path rescales its state. The reference is computed
 * independently of Parsimony's code; only the inputs are shared.
 */
class TorchOptimizerParityTest {

    /** Debian's interpreter: the one python3-torch installs into (a pyenv python3 on PATH has no torch). */
    private static final String PYTHON = "/usr/bin/python3";
    private static final double MOMENTUM = 0.9, WEIGHT_DECAY = 0.01;
    /** Five steps; the rate changes after the third (a schedule step). */
    private static final double[] SGD_LR = {0.1, 0.1, 0.1, 0.01, 0.01};
    private static final double[] ADAGRAD_LR = {0.05, 0.05, 0.05, 0.02, 0.02};
    /**
     * Tolerance relative to the tensor's largest element: float32 rounding differs op by op, and an
     * element that cancels to near zero keeps the absolute error of the terms that made it.
     */
    private static final double REL = 1e-6;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A conv layer with bias and BatchNorm, then a linear layer: every parameter type a model trains. */
    private record Tensor(String name, Parameter.Type type, Shape shape) {
        /** The rule under test, stated independently of ParameterUpdater: only conv/linear weights decay. */
        boolean decays() {
            return type == Parameter.Type.WEIGHT;
        }
    }

    private static final List<Tensor> TENSORS = List.of(
            new Tensor("conv.weight", Parameter.Type.WEIGHT, new Shape(4, 2, 3, 3)),
            new Tensor("conv.bias", Parameter.Type.BIAS, new Shape(4)),
            new Tensor("bn.gamma", Parameter.Type.GAMMA, new Shape(4)),
            new Tensor("bn.beta", Parameter.Type.BETA, new Shape(4)),
            new Tensor("fc.weight", Parameter.Type.WEIGHT, new Shape(10, 36)),
            new Tensor("fc.bias", Parameter.Type.BIAS, new Shape(10)));

    @BeforeAll
    static void torchIsInstalled() throws Exception {
        Process p = new ProcessBuilder(PYTHON, "-c", "import torch").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            fail(PYTHON + " cannot import torch, the reference for this test: run bin/setup (installs Debian's "
                    + "python3-torch). " + out.strip());
        }
    }

    @TempDir
    Path dir;

    @Test
    void fusedSgdMatchesTorch() throws Exception {
        assertMatchesTorch(OptimizerKind.SGD, ParameterUpdater.Mode.FUSED, SGD_LR, -1);
    }

    @Test
    void plainSgdMatchesTorch() throws Exception {
        assertMatchesTorch(OptimizerKind.SGD, ParameterUpdater.Mode.PLAIN, SGD_LR, -1);
    }

    @Test
    void adagradMatchesTorch() throws Exception {
        assertMatchesTorch(OptimizerKind.ADAGRAD, ParameterUpdater.Mode.PLAIN, ADAGRAD_LR, -1);
    }

    /** Resuming from the checkpointed state after the rate change (fused state is held scaled by lr) continues as torch does. */
    @Test
    void fusedSgdResumedFromSavedStateMatchesTorch() throws Exception {
        assertMatchesTorch(OptimizerKind.SGD, ParameterUpdater.Mode.FUSED, SGD_LR, 4);
    }

    @Test
    void adagradResumedFromSavedStateMatchesTorch() throws Exception {
        assertMatchesTorch(OptimizerKind.ADAGRAD, ParameterUpdater.Mode.PLAIN, ADAGRAD_LR, 4);
    }

    /**
     * @param resumeAt if ≥ 0, the step before which the optimizer state is saved, the updater
     *                 discarded and a fresh one loaded from the saved state (as {@code --resume} does)
     */
    private void assertMatchesTorch(OptimizerKind kind, ParameterUpdater.Mode mode, double[] lrs, int resumeAt)
            throws Exception {
        Random rnd = new Random(20240612L + kind.ordinal());
        List<float[]> initial = new ArrayList<>();
        for (Tensor t : TENSORS) {
            initial.add(gaussian(rnd, t.shape(), 0.5f));
        }
        List<List<float[]>> grads = new ArrayList<>();
        for (double ignored : lrs) {
            List<float[]> g = new ArrayList<>();
            for (Tensor t : TENSORS) {
                g.add(gaussian(rnd, t.shape(), 1f));
            }
            grads.add(g);
        }
        JsonNode torch = runTorch(kind, lrs, initial, grads);

        try (NDManager m = NDManager.newBaseManager()) {
            List<Parameter> params = new ArrayList<>();
            for (int i = 0; i < TENSORS.size(); i++) {
                Tensor t = TENSORS.get(i);
                NDArray w = m.create(initial.get(i), t.shape());
                w.setRequiresGradient(true);
                params.add(Parameter.builder().setName(t.name()).setType(t.type()).optArray(w).build());
            }
            ParameterUpdater updater = new ParameterUpdater(kind, mode, params, m, MOMENTUM, WEIGHT_DECAY);
            for (int s = 0; s < lrs.length; s++) {
                if (s == resumeAt) {
                    List<float[]> saved = updater.state().stream().map(NDArray::toFloatArray).toList();
                    Double scale = updater.stateScale();
                    updater = new ParameterUpdater(kind, mode, params, m, MOMENTUM, WEIGHT_DECAY);
                    List<NDArray> loaded = new ArrayList<>();
                    for (int i = 0; i < saved.size(); i++) {
                        loaded.add(m.create(saved.get(i), TENSORS.get(i).shape()));
                    }
                    updater.loadState(loaded, scale);
                }
                setGradients(m, params, grads.get(s));
                updater.step(lrs[s]);
            }
            List<NDArray> state = updater.state();
            Double scale = updater.stateScale();   // the fused SGD keeps v = lr·b: PyTorch's b is v / lr
            for (int i = 0; i < TENSORS.size(); i++) {
                String what = kind + " " + mode + " " + TENSORS.get(i).name();
                assertClose(floats(torch.get("params").get(i)), params.get(i).getArray().toFloatArray(), what);
                float[] b = state.get(i).toFloatArray();
                for (int j = 0; scale != null && j < b.length; j++) {
                    b[j] = (float) (b[j] / scale);
                }
                assertClose(floats(torch.get("state").get(i)), b, what + " optimizer state");
            }
        }
    }

    /** Makes each parameter's gradient exactly {@code g}: backward of Σ w·g. */
    private static void setGradients(NDManager m, List<Parameter> params, List<float[]> g) {
        try (NDManager sm = m.newSubManager(); GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray loss = null;
            for (int i = 0; i < params.size(); i++) {
                NDArray w = params.get(i).getArray();
                NDArray term = w.mul(sm.create(g.get(i), w.getShape())).sum();
                loss = loss == null ? term : loss.add(term);
            }
            gc.backward(loss);
        }
    }

    private JsonNode runTorch(OptimizerKind kind, double[] lrs, List<float[]> initial, List<List<float[]>> grads)
            throws IOException, InterruptedException, URISyntaxException {
        List<Map<String, Object>> params = new ArrayList<>();
        for (int i = 0; i < TENSORS.size(); i++) {
            Tensor t = TENSORS.get(i);
            params.add(Map.of("values", initial.get(i), "shape", t.shape().getShape(), "decay", t.decays()));
        }
        List<Map<String, Object>> steps = new ArrayList<>();
        for (int s = 0; s < lrs.length; s++) {
            steps.add(Map.of("lr", lrs[s], "grads", grads.get(s)));
        }
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("optimizer", kind.name().toLowerCase(java.util.Locale.ROOT));
        spec.put("momentum", MOMENTUM);
        spec.put("weightDecay", WEIGHT_DECAY);
        spec.put("params", params);
        spec.put("steps", steps);
        Path in = dir.resolve("in.json"), out = dir.resolve("out.json");
        JSON.writeValue(in.toFile(), spec);
        Path script = Path.of(TorchOptimizerParityTest.class.getResource("torch_optim.py").toURI());
        Process p = new ProcessBuilder(PYTHON, script.toString(), in.toString(), out.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "torch_optim.py timed out");
        assertEquals(0, p.exitValue(), "torch_optim.py failed: " + log);
        return JSON.readTree(Files.readString(out));
    }

    private static void assertClose(float[] expected, float[] actual, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double scale = 0;
        for (float e : expected) {
            scale = Math.max(scale, Math.abs(e));
        }
        double tol = REL * scale, worst = 0;
        for (int j = 0; j < expected.length; j++) {
            worst = Math.max(worst, Math.abs(expected[j] - actual[j]) / scale);
            if (!(Math.abs(expected[j] - actual[j]) <= tol)) {
                fail(what + "[" + j + "]: torch " + expected[j] + ", Parsimony " + actual[j] + " (tolerance " + tol + ")");
            }
        }
        if (Boolean.getBoolean("parity.verbose")) {
            System.out.printf("%s: max |Δ|/max|torch| = %.2e%n", what, worst);
        }
    }

    private static float[] floats(JsonNode array) {
        float[] f = new float[array.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) array.get(i).asDouble();
        }
        return f;
    }

    private static float[] gaussian(Random rnd, Shape shape, float sd) {
        float[] f = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) rnd.nextGaussian() * sd;
        }
        return f;
    }
}
