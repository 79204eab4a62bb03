package io.parsimony.nn.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.parsimony.layout.Layout;
import io.parsimony.layout.LayoutException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RescaledSpecTest {

    private static ModelSummary summary(ModelSpec spec, NDManager m, int size) {
        Block b = spec.build();
        Shape in = new Shape(1, spec.inputChannels(), size, size);
        b.initialize(m, DataType.FLOAT32, in);
        return ModelSummary.of(b, in);
    }

    @Test
    void optimisedParametersAreTheBasesPlusCoefficients() {
        var plain = PlainCnnSpec.of(Layout.of(8, 16, 24, 32), 1, 10, 28);
        var resnet = new BlockResNetSpec(3, 10, new int[] {8, 8, 16, 32}, new int[] {1, 2, 2, 2});
        try (NDManager m = NDManager.newBaseManager()) {
            for (ModelSpec base : List.of(plain, resnet)) {
                int size = base == plain ? 28 : 32;
                ModelSummary b = summary(base, m, size);
                for (int[] f : new int[][] {{2, 1}, {1, 2}, {2, 2}, {3, 3}}) {
                    RescaledSpec r = new RescaledSpec(base, f[0], f[1]);
                    ModelSummary s = summary(r, m, size);
                    String what = r.describe();
                    assertEquals(b.trainable() + r.coefficients(), s.trainable(), what);
                    assertEquals(base.analyticConvWeights(), s.convWeights(), what);
                    // the network really is wider/deeper: its unshared twin has many more weights
                    ModelSummary twin = summary(r.scaled(), m, size);
                    assertTrue(twin.convWeights() > 2 * s.convWeights(), what);
                    assertEquals("(1, 10)", s.rows().get(s.rows().size() - 1).outputShape(), what);
                    assertTrue(r.coefficients() > 0 && r.coefficients() < s.trainable() / 10, what);
                }
            }
        }
    }

    @Test
    void gradientsReachTheBaseKernelThroughEveryRepetition() {
        var spec = new RescaledSpec(PlainCnnSpec.of(Layout.of(4, 6), 1, 3, 8), 2, 2);
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(3);
            Block b = spec.build();
            b.initialize(m, DataType.FLOAT32, new Shape(2, 1, 8, 8));
            List<Parameter> kernels = new ArrayList<>();
            List<Parameter> coefficients = new ArrayList<>();
            for (Pair<String, Parameter> p : b.getParameters()) {
                if (p.getValue().getType() == Parameter.Type.WEIGHT && p.getValue().getShape().dimension() == 4) {
                    kernels.add(p.getValue());
                }
                if (p.getValue().getName().equals("coefficients")) {
                    coefficients.add(p.getValue());
                }
            }
            assertEquals(2, kernels.size(), "one owned base kernel per base conv");
            assertEquals(4, coefficients.size(), "one coefficient set per rescaled conv");
            NDArray x = m.randomNormal(new Shape(2, 1, 8, 8));
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = b.forward(new ParameterStore(m, false), new NDList(x), true).singletonOrThrow();
                gc.backward(y.square().sum());
            }
            for (Parameter p : kernels) {
                float[] g = p.getArray().getGradient().toFloatArray();
                assertTrue(java.util.Arrays.stream(toDouble(g)).anyMatch(v -> v != 0), p.getName());
            }
            for (Parameter p : coefficients) {
                assertFalse(java.util.Arrays.equals(new float[p.getArray().toFloatArray().length],
                        p.getArray().getGradient().toFloatArray()), "coefficients learn");
            }
        }
    }

    private static double[] toDouble(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @Test
    void badFactorsAreOneLineErrors() {
        var base = PlainCnnSpec.of(Layout.of(4, 6), 1, 3, 8);
        var e = assertThrows(LayoutException.class, () -> new RescaledSpec(base, 0, 1));
        assertFalse(e.getMessage().contains("\n"));
        assertThrows(LayoutException.class, () -> new RescaledSpec(new RescaledSpec(base, 2, 1), 2, 1));
        assertArrayEquals(new int[] {8, 8, 12, 12}, ((PlainCnnSpec) new RescaledSpec(base, 2, 2).scaled()).widths());
    }
}
