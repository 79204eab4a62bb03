package io.parsimony.balance;

import io.parsimony.layout.LayoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BalancedDistributionTest {

    /*
     * Conv weights of torchvision's models, derived from their published parameter totals
     * (AlexNet features 2,469,696 incl. 1,152 biases; ResNet-34 21,797,672 and ResNet-101
     * 44,549,160 minus the 1000-way classifier and the BatchNorm affine parameters).
     */
    @Test
    void presetsCountLikeTorchvision() {
        assertEquals(2_469_696 - 1_152, Backbone.preset("alexnet").totalWeights());
        assertEquals(21_797_672 - 513_000 - 17_024, Backbone.preset("resnet34").totalWeights());
        assertEquals(44_549_160 - 2_049_000 - 105_344, Backbone.preset("ResNet-101").totalWeights());
    }

    @ParameterizedTest
    @ValueSource(strings = {"alexnet", "resnet34", "resnet101"})
    void balancedLayoutKeepsTheCountAndEqualisesStageShares(String preset) {
        Backbone original = Backbone.preset(preset);
        Backbone balanced = BalancedDistribution.balance(original);
        long t0 = original.totalWeights(), t1 = balanced.totalWeights();
        assertTrue(Math.abs(t1 - t0) <= 0.005 * t0, preset + ": " + t1 + " vs " + t0);

        long[] sw = balanced.stageWeights();
        long min = Long.MAX_VALUE, max = 0;
        for (int s = 0; s < sw.length; s++) {
            if (!balanced.stages().get(s).fixed()) {
                min = Math.min(min, sw[s]);
                max = Math.max(max, sw[s]);
            } else {
                assertEquals(original.stages().get(s).width(), balanced.stages().get(s).width());
            }
        }
        // free stages differ by at most a few percent (one integer width step each)
        assertTrue(max <= min * 1.05, preset + " shares " + java.util.Arrays.toString(sw));
    }

    @Test
    void backboneEnergyHasOneLogFactorPerMainPathConv() {
        double alex = Math.log(64) * Math.log(192) * Math.log(384) * Math.log(256) * Math.log(256);
        assertEquals(alex, Backbone.preset("alexnet").energy(), 1e-9 * alex);
        // ResNet-34: stem, then 2 convs per basic block (3,4,6,3 blocks); projections carry no factor
        double r34 = Math.log(Math.log(64)) * 7 + 8 * Math.log(Math.log(128))
                + 12 * Math.log(Math.log(256)) + 6 * Math.log(Math.log(512));
        assertEquals(r34, Backbone.preset("resnet34").logEnergy(), 1e-9);
    }

    @Test
    void unknownPresetAndBadStagesAreOneLineErrors() {
        var e = assertThrows(LayoutException.class, () -> Backbone.preset("vgg99"));
        assertTrue(e.getMessage().contains("alexnet"), e.getMessage());
        assertThrows(LayoutException.class, () -> Backbone.custom(BlockKind.BASIC, new int[] {64, 0}, new int[] {2, 2}, 3, 0, 0));
        assertThrows(LayoutException.class, () -> Backbone.custom(BlockKind.BASIC, new int[] {64}, new int[] {2, 2}, 3, 0, 0));
    }
}
