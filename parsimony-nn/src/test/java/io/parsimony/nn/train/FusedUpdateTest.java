package io.parsimony.nn.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.XavierInitializer;
import io.parsimony.layout.Layout;
import io.parsimony.nn.data.Augmentation;
import io.parsimony.nn.data.BatchLoader;
import io.parsimony.nn.data.Batch;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.Normalization;
import io.parsimony.nn.engine.MemoryFormat;
import io.parsimony.nn.model.PlainCnnSpec;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The optimised step (fused SGD, one native call per tensor; channels-last batches) trains like the
 * plain one (op-by-op PyTorch SGD on row-major batches) from the same seed.
 */
class FusedUpdateTest {

    private static List<Float> lossCurve(ParameterUpdater.Mode mode, MemoryFormat format) {
        ImageSet data = FashionSlice.train().slice(0, 640);
        Normalization norm = Normalization.of(data);
        var spec = PlainCnnSpec.of(Layout.of(8, 12, 16, 20), 1, 10, 28);
        List<Float> losses = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(11);
            Block b = spec.build();
            b.setInitializer(new XavierInitializer(XavierInitializer.RandomType.GAUSSIAN, XavierInitializer.FactorType.IN, 2),
                    Parameter.Type.WEIGHT);
            b.initialize(m, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            TrainingStep step = new TrainingStep(b, m, OptimizerKind.SGD, 0.9, 5e-4, mode, format);
            BatchLoader loader = new BatchLoader(data, norm, Augmentation.NONE, 64);
            for (int epoch = 0; epoch < 3; epoch++) {
                double lr = epoch < 2 ? 0.05 : 0.005;   // a schedule step inside the run
                List<Batch> batches = new ArrayList<>();
                loader.forEachInOrder(batches::add);
                for (Batch batch : batches) {
                    losses.add(step.forwardBackward(batch.images(), batch.labels(), new Shape(batch.size(), 1, 28, 28))[0]);
                    step.update(lr);
                }
            }
        }
        return losses;
    }

    @Test
    void fusedMatchesPlainLossCurve() {
        List<Float> plain = lossCurve(ParameterUpdater.Mode.PLAIN, MemoryFormat.CONTIGUOUS);
        List<Float> fused = lossCurve(ParameterUpdater.Mode.FUSED, MemoryFormat.CONTIGUOUS);
        assertSameCurve(plain, fused);
    }

    @Test
    void channelsLastFusedMatchesPlainLoop() {
        List<Float> plain = lossCurve(ParameterUpdater.Mode.PLAIN, MemoryFormat.CONTIGUOUS);
        List<Float> fast = lossCurve(ParameterUpdater.Mode.FUSED, MemoryFormat.CHANNELS_LAST);
        assertSameCurve(plain, fast);
    }

    private static void assertSameCurve(List<Float> plain, List<Float> fused) {
        assertEquals(plain.size(), fused.size());
        for (int i = 0; i < plain.size(); i++) {
            assertEquals(plain.get(i), fused.get(i), 1e-3 + 1e-3 * Math.abs(plain.get(i)), "step " + i);
        }
        assertTrue(plain.get(plain.size() - 1) < 0.8 * plain.get(0), "it learned: " + plain.get(0) + " -> " + plain.get(plain.size() - 1));
    }
}
