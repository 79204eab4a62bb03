package io.parsimony.nn.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.parsimony.layout.Layout;
import io.parsimony.layout.LayoutException;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelSizeTest {

    private static long built(ModelSpec spec, int size) {
        try (NDManager m = NDManager.newBaseManager()) {
            Block b = spec.build();
            Shape in = new Shape(1, spec.inputChannels(), size, size);
            b.initialize(m, DataType.FLOAT32, in);
            return ModelSummary.of(b, in).parameters();
        }
    }

    @Test
    void parametersMatchTheBuiltNetworkOfEveryFamily() {
        List<ModelSpec> specs = List.of(
                PlainCnnSpec.of(Layout.of(35, 36, 37, 43), 1, 10, 28),
                new BlockResNetSpec(3, 10, new int[] {8, 8, 16, 32}, new int[] {1, 2, 2, 2}),
                new BlockResNetSpec(3, 10, new int[] {8, 12, 16}, new int[] {2, 4, 2}),
                DacnnPresets.byName("dacnn-18-reg", 3, 100),
                DacnnPresets.byName("dacnn-14-mix", 3, 100),
                ((DacnnSpec) DacnnPresets.byName("dacnn-18-mix-reg", 3, 100)).unshared(),
                new RescaledSpec(PlainCnnSpec.of(Layout.of(8, 16, 24, 32), 1, 10, 28), 2, 2),
                new RescaledSpec(new BlockResNetSpec(3, 10, new int[] {8, 8, 16, 32}, new int[] {1, 2, 2, 2}), 3, 1));
        for (ModelSpec s : specs) {
            assertEquals(BigInteger.valueOf(built(s, 32)), ModelSize.of(s, 32, 32).parameters(), s.describe());
        }
    }

    @Test
    void activationsAreEveryConvOutputAtItsResolution() {
        // 28×28: conv 8 maps at 28², pool, 16 maps at 14²
        assertEquals(BigInteger.valueOf(8 * 28 * 28 + 16 * 14 * 14),
                ModelSize.of(PlainCnnSpec.of(Layout.of(8, 16), 1, 10, 28), 28, 28).activations());
        // stem 2 convs at 32²; unit 1 (8→8, 1 block, unstrided): 2 convs; unit 2 (8→16, stride 2 → 16², with projection): 3
        assertEquals(BigInteger.valueOf(2 * 8 * 32 * 32 + 2 * 8 * 32 * 32 + 3 * 16 * 16 * 16),
                ModelSize.of(new BlockResNetSpec(3, 10, new int[] {8, 8, 16}, new int[] {2, 2, 2}), 32, 32).activations());
        // plain DACNN, 4 applications of the shared kernel, pool after 2: stem + 2 at 8², 2 at 4²
        DacnnSpec d = DacnnSpec.plain(1, 10, 4, 4, false, new int[] {2}, Regulators.NONE);
        assertEquals(BigInteger.valueOf(4 * 64 * 3 + 4 * 16 * 2), ModelSize.of(d, 8, 8).activations());
        // rescaling doubles every width and every layer
        ModelSpec base = PlainCnnSpec.of(Layout.of(8, 16), 1, 10, 28);
        assertEquals(BigInteger.valueOf(2 * (16 * 28 * 28) + 2 * (32 * 14 * 14)),
                ModelSize.of(new RescaledSpec(base, 2, 2), 28, 28).activations());
    }

    @Test
    void aLayoutTooLargeForMemoryIsRefusedWithItsSize() {
        ModelSpec huge = PlainCnnSpec.of(Layout.of(200000, 200000), 1, 10, 28);
        ModelSize size = ModelSize.of(huge, 28, 28);
        // 1·200000·9 + 200000²·9 conv weights, 4·400000 BN, 200001·10 classifier
        assertEquals(new BigInteger("360005400010"), size.parameters());
        LayoutException e = assertThrows(LayoutException.class, () -> size.requireBuildable(24_000_000_000L));
        assertTrue(e.getMessage().startsWith("plain (200000,200000) is too large to build: 360,005,400,010 parameters"),
                e.getMessage());
        assertTrue(e.getMessage().contains("1,440.8 GB") && e.getMessage().contains("24.0 GB"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));

        // the widest widths a layout admits: their conv count (9·2^60) overflows a long, and is still counted exactly
        ModelSpec wider = PlainCnnSpec.of(Layout.of(Layout.MAX_WIDTH, Layout.MAX_WIDTH), 1, 10, 28);
        BigInteger w = BigInteger.valueOf(Layout.MAX_WIDTH);
        assertTrue(ModelSize.of(wider, 28, 28).parameters().compareTo(w.multiply(w).multiply(BigInteger.valueOf(9))) > 0);
        assertThrows(LayoutException.class, () -> ModelSize.of(wider, 28, 28).requireBuildable());
    }

    @Test
    void anOrdinaryNetworkFitsAndTrainingChecksTheBatch() {
        ModelSize s = ModelSize.of(PlainCnnSpec.of(Layout.of(35, 36, 37, 43), 1, 10, 28), 28, 28);
        assertEquals(s, s.requireBuildable());
        assertEquals(s, s.requireTrainable(128));
        // fits to build in 1 MB, but a batch of 1,000 needs its feature maps twice over
        long oneMb = 1_000_000;
        s.requireBuildable(oneMb);
        LayoutException e = assertThrows(LayoutException.class, () -> s.requireTrainable(1000, oneMb));
        assertTrue(e.getMessage().startsWith("training plain (35,36,37,43) with batch 1000 needs at least "), e.getMessage());
        assertTrue(e.getMessage().contains("lower --batch"), e.getMessage());
        assertTrue(ModelSize.machineMemory() > 1_000_000_000L, "this machine's memory is found");
    }

    @Test
    void rescalingPastIntegerWidthsIsALayoutError() {
        ModelSpec base = PlainCnnSpec.of(Layout.of(8, 1 << 30), 1, 10, 28);
        LayoutException e = assertThrows(LayoutException.class, () -> new RescaledSpec(base, 4, 1));
        assertTrue(e.getMessage().contains("use smaller factors"), e.getMessage());
    }
}
