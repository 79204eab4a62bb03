package io.parsimony.nn.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A shared kernel is one tensor: one gradient (the sum over its uses), one update, seen by every
 * layer that uses it. Checked against the unshared twin (same layers, separate tensors holding
 * the same initial values) on a 2×3×8×8 batch.
 */
class DacnnSharingTest {

    private static final Shape INPUT = new Shape(2, 3, 8, 8);
    private static final float LR = 0.05f;

    /** Tiny nets covering plain/residual stacking, global/section sharing, both regulator placements. */
    private static List<DacnnSpec> tinySpecs() {
        return List.of(
                DacnnSpec.plain(3, 5, 5, 4, false, new int[] {2, 4}, Regulators.perBlock(2)),
                DacnnSpec.plain(3, 5, 6, 4, true, new int[] {2}, Regulators.perConv(2)),
                DacnnSpec.mixed(3, 5, new int[] {4, 6}, new int[] {2, 2}, true, Regulators.perBlock(1, 2)),
                DacnnSpec.mixed(3, 5, new int[] {4, 6, 8}, new int[] {2, 3, 2}, false, Regulators.NONE));
    }

    /** Conv blocks in forward order, one entry per use (a shared conv appears once per use). */
    private static List<Conv2d> convUses(Block b) {
        List<Conv2d> out = new ArrayList<>();
        if (b instanceof Conv2d c) {
            out.add(c);
        }
        for (Pair<String, Block> child : b.getChildren()) {
            out.addAll(convUses(child.getValue()));
        }
        return out;
    }

    private static Parameter weight(Conv2d c) {
        return c.getParameters().get("weight");
    }

    private static NDArray loss(Block b, NDArray x, NDArray mix) {
        NDArray logits = b.forward(new ParameterStore(x.getManager(), false), new NDList(x), true).singletonOrThrow();
        return logits.mul(mix).sum();
    }

    @Test
    void sharedKernelGradientIsTheSumOverUsesAndOneStepMovesEveryUse() {
        for (DacnnSpec spec : tinySpecs()) {
            String what = spec.describe();
            try (NDManager m = NDManager.newBaseManager()) {
                Engine.getInstance().setRandomSeed(11);
                Block shared = spec.build();
                shared.initialize(m, DataType.FLOAT32, INPUT);
                Block twin = spec.unshared().build();
                twin.initialize(m, DataType.FLOAT32, INPUT);

                // the same parameter list position by position: copy the shared net's values into the twin
                List<Parameter> ps = shared.getParameters().values();
                List<Parameter> pt = twin.getParameters().values();
                assertEquals(ps.size(), pt.size(), what);
                for (int i = 0; i < ps.size(); i++) {
                    assertEquals(ps.get(i).getArray().getShape(), pt.get(i).getArray().getShape(), what);
                    pt.get(i).getArray().set(ps.get(i).getArray().toFloatArray());
                }

                List<Conv2d> usesS = convUses(shared);
                List<Conv2d> usesT = convUses(twin);
                assertEquals(usesS.size(), usesT.size(), what);
                Map<Parameter, List<Integer>> positions = new IdentityHashMap<>();
                for (int i = 0; i < usesS.size(); i++) {
                    positions.computeIfAbsent(weight(usesS.get(i)), k -> new ArrayList<>()).add(i);
                }
                Set<Parameter> twinKernels = Collections.newSetFromMap(new IdentityHashMap<>());
                usesT.forEach(c -> twinKernels.add(weight(c)));
                assertEquals(usesT.size(), twinKernels.size(), "the twin shares nothing: " + what);
                long sharedKernels = positions.values().stream().filter(l -> l.size() > 1).count();
                assertTrue(sharedKernels >= 1, "some kernel is shared: " + what);

                NDArray x = m.randomNormal(INPUT);
                NDArray mix = m.randomNormal(new Shape(2, 5));
                float[] outS, outT;
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray l = loss(shared, x, mix);
                    outS = new float[] {l.getFloat()};
                    gc.backward(l);
                }
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    NDArray l = loss(twin, x, mix);
                    outT = new float[] {l.getFloat()};
                    gc.backward(l);
                }
                assertEquals(outS[0], outT[0], 1e-4 * Math.max(1, Math.abs(outS[0])), "same function: " + what);

                // gradient of each shared kernel = sum of the twin's kernels' gradients at its uses
                Map<Parameter, float[]> initial = new IdentityHashMap<>();
                Map<Parameter, float[]> expectedAfter = new IdentityHashMap<>();
                for (Map.Entry<Parameter, List<Integer>> e : positions.entrySet()) {
                    float[] g = e.getKey().getArray().getGradient().toFloatArray();
                    float[] sum = new float[g.length];
                    for (int i : e.getValue()) {
                        float[] gi = weight(usesT.get(i)).getArray().getGradient().toFloatArray();
                        for (int k = 0; k < sum.length; k++) {
                            sum[k] += gi[k];
                        }
                    }
                    assertClose(sum, g, "dL/dW for a kernel used " + e.getValue().size() + "x in " + what);
                    float[] w0 = e.getKey().getArray().toFloatArray();
                    float[] w1 = new float[w0.length];
                    for (int k = 0; k < w0.length; k++) {
                        w1[k] = w0[k] - LR * sum[k];
                    }
                    initial.put(e.getKey(), w0);
                    expectedAfter.put(e.getKey(), w1);
                }

                // one plain SGD step over the distinct tensors (what TrainingRun's updater iterates)
                sgdStep(shared);
                sgdStep(twin);
                for (Map.Entry<Parameter, List<Integer>> e : positions.entrySet()) {
                    float[] want = expectedAfter.get(e.getKey());
                    for (int i : e.getValue()) {
                        assertClose(want, weight(usesS.get(i)).getArray().toFloatArray(),
                                "use " + i + " of a shared kernel after the step in " + what);
                    }
                    if (e.getValue().size() > 1) {
                        // the twin's copies started equal and now differ: each got only its own gradient
                        float[] a = weight(usesT.get(e.getValue().get(0))).getArray().toFloatArray();
                        float[] b = weight(usesT.get(e.getValue().get(1))).getArray().toFloatArray();
                        assertFalse(java.util.Arrays.equals(a, b), "twin copies diverge in " + what);
                        assertFalse(java.util.Arrays.equals(initial.get(e.getKey()), want), "the step moved W in " + what);
                    }
                }
            }
        }
    }

    private static void sgdStep(Block b) {
        Set<Parameter> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Pair<String, Parameter> p : b.getParameters()) {
            Parameter q = p.getValue();
            if (q.requiresGradient() && seen.add(q)) {
                NDArray w = q.getArray();
                try (NDArray g = w.getGradient(); NDArray d = g.mul(LR)) {
                    w.subi(d);
                }
            }
        }
    }

    private static void assertClose(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        double scale = 0;
        for (float v : want) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int k = 0; k < want.length; k++) {
            assertEquals(want[k], got[k], 1e-4 * Math.max(scale, 1e-3), what + " [" + k + "]");
        }
    }

    @Test
    void everyUseOfTheGlobalKernelIsTheSameTensor() {
        DacnnSpec spec = (DacnnSpec) DacnnPresets.byName("dacnn-18-reg", 3, 10);
        try (NDManager m = NDManager.newBaseManager()) {
            Block b = spec.build();
            b.initialize(m, DataType.FLOAT32, new Shape(1, 3, 32, 32));
            List<Conv2d> uses = convUses(b);
            // stem + 18 applications of W_G + 18 regulators
            assertEquals(1 + 18 + 18, uses.size());
            Parameter g = weight(uses.get(1));
            int same = 0;
            for (Conv2d c : uses) {
                if (weight(c) == g) {
                    same++;
                    assertSame(uses.get(1), c);
                }
            }
            assertEquals(18, same);
        }
    }

    @Test
    void aSharedNetSavesAndLoadsLikeAnyOther() throws Exception {
        DacnnSpec spec = tinySpecs().get(2);
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(5);
            Block a = spec.build();
            a.initialize(m, DataType.FLOAT32, INPUT);
            NDArray x = m.randomNormal(INPUT);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(loss(a, x, m.ones(new Shape(2, 5))));   // moves BN running statistics too
            }
            sgdStep(a);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            a.saveParameters(new DataOutputStream(bytes));
            Block b = spec.build();
            b.initialize(m, DataType.FLOAT32, INPUT);
            b.loadParameters(m, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            ParameterStore ps = new ParameterStore(m, false);
            float[] ya = a.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
            float[] yb = b.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray();
            assertClose(ya, yb, "reloaded outputs");
            List<Conv2d> uses = convUses(b);
            Set<Parameter> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
            uses.forEach(c -> distinct.add(weight(c)));
            assertTrue(distinct.size() < uses.size(), "still shared after loading");
        }
    }
}
