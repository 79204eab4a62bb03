package io.parsimony.experiment.ebcle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.parsimony.InputException;
import io.parsimony.nn.data.ImageSet;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EbcleTest {

    /** Images of 16×16 = 256 pixels built from a per-pixel rule. */
    private static ImageSet images(int channels, java.util.function.IntBinaryOperator pixel, int count) {
        byte[] px = new byte[count * channels * 256];
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < channels; c++) {
                for (int j = 0; j < 256; j++) {
                    px[(i * channels + c) * 256 + j] = (byte) pixel.applyAsInt(j, c);
                }
            }
        }
        return new ImageSet(px, new int[count], channels, 16, 16, List.of("only"), "constructed");
    }

    @Test
    void entropyOfConstructedImagesIsKnown() {
        assertEquals(0.0, DatasetEntropy.of(images(1, (j, c) -> 77, 3)).meanImageEntropy(), 1e-12);
        assertEquals(1.0, DatasetEntropy.of(images(1, (j, c) -> j % 2 == 0 ? 10 : 200, 3)).meanImageEntropy(), 1e-12);
        assertEquals(8.0, DatasetEntropy.of(images(1, (j, c) -> j, 3)).meanImageEntropy(), 1e-12);
        // per channel vs pooled: channel 0 constant 0, channel 1 constant 255 → each 0 bits, pooled 1 bit
        DatasetEntropy two = DatasetEntropy.of(images(2, (j, c) -> c == 0 ? 0 : 255, 2));
        assertEquals(0.0, two.meanChannelEntropy()[0], 1e-12);
        assertEquals(0.0, two.meanChannelEntropy()[1], 1e-12);
        assertEquals(1.0, two.meanImageEntropy(), 1e-12);
        assertEquals(0.0, two.stdImageEntropy(), 1e-12);
        assertEquals(1.0, two.setEntropy(), 1e-12);
        assertEquals(2 * 2 * 256, java.util.Arrays.stream(two.setHistogram()).sum());
    }

    @Test
    void setEntropyDiffersFromPerImageEntropy() {
        // every image constant (0 bits each) but four different constants across the set: 2 bits
        byte[] px = new byte[4 * 256];
        for (int i = 0; i < 4; i++) {
            java.util.Arrays.fill(px, i * 256, (i + 1) * 256, (byte) (i * 60));
        }
        DatasetEntropy e = DatasetEntropy.of(new ImageSet(px, new int[4], 1, 16, 16, List.of("x"), "four"));
        assertEquals(0.0, e.meanImageEntropy(), 1e-12);
        assertEquals(2.0, e.setEntropy(), 1e-12);
    }

    @Test
    void boundFollowsItsFormula() {
        // 28 px down to 4 px: 1 + floor(log2 7) = 3 stages; 4.1 bits at 1 bit/layer → 5 layers each
        DepthBound.Result r = DepthBound.DEFAULT.apply(4.1, 28);
        assertEquals(3, r.stages());
        assertEquals(5, r.layersPerStage());
        assertEquals(15, r.maxConvLayers());
        // 32 px → 4 stages; 7.3 bits at 2 bits/layer → 4 per stage
        assertEquals(16, new DepthBound(4, 2).apply(7.3, 32).maxConvLayers());
        // a constant data set still gets one layer per stage
        assertEquals(3, DepthBound.DEFAULT.apply(0.0, 28).maxConvLayers());
        assertThrows(InputException.class, () -> new DepthBound(0, 1));
    }

    @Test
    void emptyDataSetIsAOneLineError() {
        var e = assertThrows(InputException.class,
                () -> DatasetEntropy.of(new ImageSet(new byte[0], new int[0], 1, 16, 16, List.of("x"), "empty-set")));
        assertFalse(e.getMessage().contains("\n"));
        assertTrue(e.getMessage().contains("empty-set"));
    }

    @Test
    void linearCkaIsOneForLinearRecodingsAndLowForUnrelated() {
        try (NDManager m = NDManager.newBaseManager()) {
            ai.djl.engine.Engine.getInstance().setRandomSeed(1);
            NDArray x = m.randomNormal(new Shape(200, 30));
            assertEquals(1.0, LinearCka.of(x, x), 1e-4);
            assertEquals(1.0, LinearCka.of(x, x.mul(3).add(5)), 1e-4);   // scale and shift
            // linear CKA is invariant to orthogonal transforms: a rotation of the features is the same code
            NDArray orth = householderProduct(m, 30, new java.util.Random(3));
            float[] qtq = orth.transpose().matMul(orth).sub(m.eye(30)).abs().toFloatArray();
            for (float v : qtq) {
                assertTrue(v < 1e-5, "the test's matrix is orthogonal: |QᵀQ − I| = " + v);
            }
            assertEquals(1.0, LinearCka.of(x, x.matMul(orth)), 1e-4);
            // a full-rank but not orthogonal re-coding (symmetric positive definite, spread eigenvalues)
            // keeps more than unrelated features do (0.54 with this seed), clearly below a rotation's 1
            NDArray q = m.randomNormal(new Shape(30, 30));
            NDArray spd = q.matMul(q.transpose()).add(m.eye(30).mul(1e-3));
            double recoded = LinearCka.of(x, x.matMul(spd));
            assertTrue(recoded > 0.4 && recoded < 0.9, "CKA of a non-orthogonal re-coding: " + recoded);
            assertTrue(LinearCka.of(x, m.randomNormal(new Shape(200, 30))) < 0.3);
        }
    }

    /** An n×n orthogonal matrix: the product of n random Householder reflections I − 2vvᵀ/(vᵀv). */
    private static NDArray householderProduct(NDManager m, int n, java.util.Random rnd) {
        NDArray q = m.eye(n);
        for (int r = 0; r < n; r++) {
            float[] v = new float[n];
            for (int i = 0; i < n; i++) {
                v[i] = (float) rnd.nextGaussian();
            }
            NDArray col = m.create(v, new Shape(n, 1));
            NDArray h = m.eye(n).sub(col.matMul(col.transpose()).mul(2).div(col.transpose().matMul(col)));
            q = q.matMul(h);
        }
        return q;
    }
}
