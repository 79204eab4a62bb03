package io.parsimony.nn.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.parsimony.balance.Backbone;
import io.parsimony.layout.LayoutException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seed 000's backbones as models: the balanced variant keeps the conv-parameter count of the
 * original (within 0.1%, counted on the built network's kernels), evens out the stage shares,
 * and builds and runs a forward pass, for all three backbones at full and quarter width.
 */
class BackboneModelTest {

    private record Built(long convWeights, Shape output) {
    }

    private static Built build(ModelSpec spec) {
        try (NDManager m = NDManager.newBaseManager()) {
            Block b = spec.build();
            Shape in = new Shape(2, 3, 32, 32);
            b.initialize(m, DataType.FLOAT32, in);
            NDList y = b.forward(new ParameterStore(m, false), new NDList(m.randomNormal(in)), false);
            return new Built(ModelSummary.convWeights(b), y.singletonOrThrow().getShape());
        }
    }

    @Test
    void balancedVariantsKeepTheConvCountWithinATenthOfAPercentAndBuild() {
        for (String name : BackboneModel.NAMES) {
            for (String width : List.of("", "@x0.25")) {
                ModelSpec original = ModelCatalog.parse(name + width, 3, 10, 32);
                ModelSpec balanced = ModelCatalog.parse(name + width + "-balanced", 3, 10, 32);
                Built o = build(original), b = build(balanced);
                String what = name + width;
                assertEquals(new Shape(2, 10), o.output(), what);
                assertEquals(new Shape(2, 10), b.output(), what + "-balanced");
                double diff = Math.abs(b.convWeights() - o.convWeights()) / (double) o.convWeights();
                assertTrue(diff <= 0.001, what + ": balanced " + b.convWeights() + " vs " + o.convWeights()
                        + " conv weights, off by " + 100 * diff + "%");
                assertEquals(original.analyticConvWeights(), o.convWeights(), what);
                assertEquals(balanced.analyticConvWeights(), b.convWeights(), what + "-balanced");
                // the backbone the balance works on counts what the network holds (projections included)
                BackboneModel bm = BackboneModel.parse(what + "-balanced").orElseThrow();
                assertEquals(b.convWeights(), bm.backbone(3).totalWeights(), what);
                assertEquals(o.convWeights(), bm.original(3).totalWeights(), what);
                assertFalse(java.util.Arrays.equals(bm.original(3).widths(), bm.backbone(3).widths()), what);
            }
        }
    }

    /** Equal shares: the free stages' largest share is within 10% of their smallest (originals are 4-60x apart). */
    @Test
    void balancedSharesAreNearlyEqualWhereTheOriginalsAreNot() {
        for (String name : BackboneModel.NAMES) {
            for (double f : new double[] {1, 0.25}) {
                Backbone o = new BackboneModel(name, f, false).backbone(3);
                Backbone b = new BackboneModel(name, f, true).backbone(3);
                assertTrue(freeSpread(o) > 2, name + " x" + f + " original spread " + freeSpread(o));
                assertTrue(freeSpread(b) < 1.1, name + " x" + f + " balanced spread " + freeSpread(b)
                        + " widths " + java.util.Arrays.toString(b.widths()));
            }
        }
    }

    private static double freeSpread(Backbone b) {
        long[] sw = b.stageWeights();
        long lo = Long.MAX_VALUE, hi = 0;
        for (int s = 0; s < sw.length; s++) {
            if (!b.stages().get(s).fixed()) {
                lo = Math.min(lo, sw[s]);
                hi = Math.max(hi, sw[s]);
            }
        }
        return (double) hi / lo;
    }

    @Test
    void fullWidthResNetsAreThePresetsAndTheMultiplierScalesEveryConv() {
        assertEquals(DacnnPresets.byName("resnet-18", 3, 10), ModelCatalog.parse("resnet-18@x1", 3, 10, 32));
        assertEquals(DacnnPresets.byName("resnet-34", 3, 10), ModelCatalog.parse("ResNet34", 3, 10, 32));
        BlockResNetSpec quarter = (BlockResNetSpec) ModelCatalog.parse("resnet-34@x0.25", 3, 10, 32);
        assertArrayEquals(new int[] {16, 16, 32, 64, 128}, quarter.widths());
        assertArrayEquals(new int[] {1, 6, 8, 12, 6}, quarter.repeats());
        PlainCnnSpec alex = (PlainCnnSpec) ModelCatalog.parse("alexnet@x.5", 3, 10, 32);
        assertArrayEquals(new int[] {32, 96, 192, 128, 128}, alex.widths());
        assertArrayEquals(new int[] {5, 5, 3, 3, 3}, alex.kernels());
        assertArrayEquals(new int[] {1, 2}, alex.poolAfter());
        // conv1 3·64·25 + conv2 64·192·25 + conv3 192·384·9 + conv4 384·256·9 + conv5 256·256·9
        assertEquals(3 * 64 * 25 + 64 * 192 * 25 + 192 * 384 * 9 + 384 * 256 * 9 + 256 * 256 * 9,
                ModelCatalog.parse("alexnet", 3, 10, 32).analyticConvWeights());
    }

    @Test
    void textFormsRoundTripAndComposeWithRescaling() {
        BackboneModel m = BackboneModel.parse("ResNet-18@x0.250-balanced").orElseThrow();
        assertEquals(new BackboneModel("resnet-18", 0.25, true), m);
        assertEquals("resnet-18@x0.25-balanced", m.text());
        assertEquals(m, BackboneModel.parse(m.text()).orElseThrow());
        assertTrue(BackboneModel.parse("resnet-18@w2").isEmpty(), "@wWdD stays the rescaling syntax");
        ModelSpec r = ModelCatalog.parse("resnet-18@x0.25-balanced@w2", 3, 10, 32);
        RescaledSpec rescaled = assertInstanceOf(RescaledSpec.class, r);
        assertEquals(ModelCatalog.parse("resnet-18@x0.25-balanced", 3, 10, 32), rescaled.base());
        assertEquals(2, rescaled.width());
    }

    @Test
    void badMultipliersAreOneLineInputErrors() {
        for (String bad : List.of("resnet-18@x0", "resnet-18@x9", "alexnet@x0.0-balanced", "resnet-34@x100")) {
            LayoutException e = assertThrows(LayoutException.class, () -> ModelCatalog.parse(bad, 3, 10, 32), bad);
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
        assertTrue(assertThrows(LayoutException.class, () -> ModelCatalog.parse("resnet-50", 3, 10, 32))
                .getMessage().contains("[@xF][-balanced]"));
    }
}
