package io.parsimony.nn.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.parsimony.layout.LayoutException;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The P4CNN is exactly rotation-equivariant: a 90° rotation of the input rotates every group
 * feature map and shifts its rotation index by one, and leaves the logits unchanged. And the
 * G-CNN paper's networks, and the Z2CNN rescaled to the P4CNN's physical size, are counted as the
 * layers say, with the sums written out here.
 */
class P4CnnSpecTest {

    /** (N, 4C, H, W) maps of input x vs of rot90(x): rot90 of the maps, rotation index shifted by +1. */
    private static float groupError(NDArray plain, NDArray rotated) {
        Shape s = plain.getShape();
        NDArray g = plain.reshape(s.get(0), s.get(1) / 4, 4, s.get(2), s.get(3)).rotate90(1, new int[] {3, 4});
        NDArray shifted = NDArrays.concat(new NDList(g.get(":, :, 3:"), g.get(":, :, 0:3")), 2);   // out[r] = g[r - 1]
        NDArray r = rotated.reshape(s.get(0), s.get(1) / 4, 4, s.get(2), s.get(3));
        return r.sub(shifted).abs().max().getFloat() / Math.max(1e-6f, r.abs().max().getFloat());
    }

    @Test
    void rotatingTheInputRotatesAndCyclicallyShiftsEveryGroupMapAndKeepsTheLogits() {
        P4CnnSpec spec = GroupCnns.p4cnn(1, 10);
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(11);
            SequentialBlock net = (SequentialBlock) spec.build();
            Shape in = new Shape(3, 1, 28, 28);
            net.initialize(m, DataType.FLOAT32, in);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(in);
            // a few training-mode passes so the BatchNorm running statistics are not the identity
            for (int i = 0; i < 3; i++) {
                net.forward(ps, new NDList(m.randomNormal(in).mul(2).add(0.5)), true);
            }
            NDArray a = x, b = x.rotate90(1, new int[] {2, 3});
            int groupMaps = 0;
            boolean pooled = false;
            for (Pair<String, Block> child : net.getChildren()) {
                a = child.getValue().forward(ps, new NDList(a), false).singletonOrThrow();
                b = child.getValue().forward(ps, new NDList(b), false).singletonOrThrow();
                if (child.getValue() instanceof ai.djl.nn.LambdaBlock l && l.getName().equals("rotationPool")) {
                    pooled = true;
                }
                if (a.getShape().dimension() == 4 && !pooled) {
                    assertTrue(groupError(a, b) < 1e-4, child.getValue().getClass().getSimpleName() + " " + a.getShape()
                            + ": relative error " + groupError(a, b));
                    groupMaps++;
                } else if (a.getShape().dimension() == 4) {
                    // after pooling over rotations the maps are ordinary images: they just rotate
                    float e = b.sub(a.rotate90(1, new int[] {2, 3})).abs().max().getFloat();
                    assertTrue(e < 1e-4 * Math.max(1, a.abs().max().getFloat()), "pooled maps: " + e);
                }
            }
            assertTrue(groupMaps >= 7 * 3, "checked " + groupMaps + " group feature maps (conv, BN, ReLU per layer)");
            assertEquals(new Shape(3, 10), a.getShape());
            float logitError = a.sub(b).abs().max().getFloat();
            assertTrue(logitError < 1e-4 * Math.max(1, a.abs().max().getFloat()), "logits differ by " + logitError);
            // and the network is not trivially invariant: another input gives other logits
            NDArray other = net.forward(ps, new NDList(m.randomNormal(in)), false).singletonOrThrow();
            assertTrue(other.sub(a).abs().max().getFloat() > 1e-3);
        }
    }

    @Test
    void aPlainConvNetIsNotEquivariantSoTheCheckCanFail() {
        PlainCnnSpec z2 = GroupCnns.z2cnn(1, 10);
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(11);
            Block net = z2.build();
            Shape in = new Shape(2, 1, 28, 28);
            net.initialize(m, DataType.FLOAT32, in);
            ParameterStore ps = new ParameterStore(m, false);
            NDArray x = m.randomNormal(in);
            NDArray a = net.forward(ps, new NDList(x), false).singletonOrThrow();
            NDArray b = net.forward(ps, new NDList(x.rotate90(1, new int[] {2, 3})), false).singletonOrThrow();
            assertTrue(a.sub(b).abs().max().getFloat() > 1e-3, "Z2CNN logits should change under rotation");
        }
    }

    private static ModelSummary summary(ModelSpec spec, NDManager m) {
        Block b = spec.build();
        Shape in = new Shape(1, 1, 28, 28);
        b.initialize(m, DataType.FLOAT32, in);
        return ModelSummary.of(b, in);
    }

    @Test
    void theNetworksAreCountedLayerByLayer() {
        int k2 = 9;
        // P4CNN: lifting 1→10×4, six p4 convs 10×4→10×4; BN γ,β per group channel (10 × 7); linear 10→10
        long p4Filters = 1 * 10 * k2 + 6L * (10 * 4) * 10 * k2;
        long p4Trainable = p4Filters + 2 * 10 * 7 + (10 * 10 + 10);
        // Z2CNN: 1→20, six 20→20; BN γ,β per channel (20 × 7); linear 20→10
        long z2Filters = 1 * 20 * k2 + 6L * 20 * 20 * k2;
        long z2Trainable = z2Filters + 2 * 20 * 7 + (20 * 10 + 10);
        // the physical size of the P4CNN: the expanded bank, lifting 1→40, six 40→40
        long bank = 1 * 40 * k2 + 6L * 40 * 40 * k2;
        try (NDManager m = NDManager.newBaseManager()) {
            P4CnnSpec p4 = GroupCnns.p4cnn(1, 10);
            ModelSummary s = summary(p4, m);
            assertEquals(21_690, p4Filters);
            assertEquals(p4Filters, s.convWeights());
            assertEquals(p4Filters, p4.analyticConvWeights());
            assertEquals(p4Trainable, s.trainable());
            assertEquals(p4Trainable + 2 * 10 * 7, s.parameters(), "plus BN running mean and variance");
            assertEquals(s.parameters(), ModelSize.of(p4, 28, 28).parameters().longValue());
            assertEquals(bank, p4.expandedConvWeights());
            assertEquals(bank, summary(p4.plainTwin(), m).convWeights());
            assertEquals(4 * p4Filters, bank);

            ModelSummary z = summary(GroupCnns.z2cnn(1, 10), m);
            assertEquals(z2Filters, z.convWeights());
            assertEquals(z2Trainable, z.trainable());
            assertTrue(Math.abs(z2Trainable - p4Trainable) < 0.02 * p4Trainable, "about the same optimised size");

            // Z2CNN rescaled x2 in width: 20→40 channels, the P4CNN's physical shape exactly
            for (RescaledSpec.Tiles tiles : RescaledSpec.Tiles.values()) {
                RescaledSpec r = new RescaledSpec(GroupCnns.z2cnn(1, 10), 2, 1, tiles);
                long coefficients = 2 * 1 + 6 * 2 * 2;   // tiles per conv: ⌈40/20⌉ × ⌈1/1⌉, then 2 × 2
                assertEquals(coefficients, r.coefficients());
                ModelSummary rs = summary(r, m);
                assertEquals(z2Trainable + coefficients, rs.trainable(), tiles.toString());
                assertEquals(z2Filters, rs.convWeights());
                assertEquals(bank, summary(r.scaled(), m).convWeights(), "physical conv size = the P4CNN's bank");
            }
        }
    }

    @Test
    void theNamesParseAndFormatBackAndTheP4CnnIsNotRescaled() {
        assertEquals(GroupCnns.p4cnn(1, 10), ModelCatalog.parse("P4CNN", 1, 10, 28));
        assertEquals(GroupCnns.z2cnn(1, 10), ModelCatalog.parse("z2cnn", 1, 10, 28));
        List<String> texts = new ArrayList<>(List.of("z2cnn", "p4cnn", "z2cnn@w2d1", "z2cnn@w2d1-plain", "plain:8,16@w2d2-plain"));
        for (String t : texts) {
            assertEquals(t, ModelCatalog.format(ModelCatalog.parse(t, 1, 10, 28)));
        }
        RescaledSpec plain = (RescaledSpec) ModelCatalog.parse("z2cnn@w2-plain", 1, 10, 28);
        assertEquals(RescaledSpec.Tiles.PLAIN, plain.tiles());
        assertEquals(RescaledSpec.Tiles.ROTATED, ((RescaledSpec) ModelCatalog.parse("z2cnn@w2", 1, 10, 28)).tiles());
        assertThrows(LayoutException.class, () -> ModelCatalog.parse("p4cnn@w2", 1, 10, 28));
    }
}
