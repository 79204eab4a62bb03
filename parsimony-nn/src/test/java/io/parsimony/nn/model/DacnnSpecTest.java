package io.parsimony.nn.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import io.parsimony.layout.LayoutException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Spec validation, preset names and the layouts the presets stand for. */
class DacnnSpecTest {

    private static String oneLineError(Executable e, String mustMention) {
        LayoutException ex = assertThrows(LayoutException.class, e);
        assertFalse(ex.getMessage().contains("\n"), ex.getMessage());
        assertTrue(ex.getMessage().contains(mustMention), ex.getMessage());
        return ex.getMessage();
    }

    @Test
    void badSpecsAreOneLineLayoutExceptions() {
        List<Integer> c4 = List.of(16, 16, 16, 16);
        List<Integer> u4 = List.of(1, 1, 1, 1);
        // regulator on a missing section
        oneLineError(() -> new DacnnSpec(3, 10, DacnnSpec.Sharing.GLOBAL, true, c4, u4, Regulators.perBlock(5)),
                "section 5");
        oneLineError(() -> DacnnSpec.plain(3, 10, 14, 16).withRegulators(Regulators.perConv(1, 2, 3, 4, 5)), "section 5");
        oneLineError(() -> Regulators.perBlock(0), "numbered from 1");
        // channel mismatch: one global kernel over sections of different widths; widths vs sizes
        oneLineError(() -> new DacnnSpec(3, 10, DacnnSpec.Sharing.GLOBAL, false, List.of(64, 128), List.of(2, 2),
                Regulators.NONE), "channel mismatch");
        oneLineError(() -> DacnnSpec.mixed(3, 10, new int[] {64, 128, 256}, new int[] {2, 2}, true, Regulators.NONE),
                "3 section widths but 2");
        // depth < 2
        oneLineError(() -> new DacnnSpec(3, 10, DacnnSpec.Sharing.GLOBAL, false, List.of(16), List.of(1),
                Regulators.NONE), "depth 1 < 2");
        oneLineError(() -> DacnnSpec.plain(3, 10, 1, 16), "depth 1 < 2");
        // pools splitting blocks, out of range, odd residual depth, empty sections, no classes
        oneLineError(() -> DacnnSpec.plain(3, 10, 18, 16, true, new int[] {3, 8}, Regulators.NONE), "split a residual block");
        oneLineError(() -> DacnnSpec.plain(3, 10, 14, 16, false, new int[] {4, 14}, Regulators.NONE), "max-pool after");
        oneLineError(() -> DacnnSpec.plain(3, 10, 15, 16, true, new int[] {}, Regulators.NONE), "even");
        oneLineError(() -> DacnnSpec.mixed(3, 10, new int[] {64, 128}, new int[] {2, 0}, true, Regulators.NONE), "≥ 1");
        oneLineError(() -> DacnnSpec.plain(3, 0, 14, 16), "1 class");
    }

    @Test
    void presetsNarrowAndUnshareByName() {
        DacnnSpec p14 = (DacnnSpec) ModelCatalog.parse("dacnn-14@x0.25", 3, 10, 32);
        assertEquals(DacnnSpec.Sharing.GLOBAL, p14.sharing());
        assertEquals(List.of(32, 32, 32, 32), p14.widths(), "128 channels x 0.25");
        assertEquals(14, p14.depth());
        DacnnSpec twin = (DacnnSpec) ModelCatalog.parse("dacnn-14@x0.25-unshared", 3, 10, 32);
        assertEquals(DacnnSpec.Sharing.NONE, twin.sharing());
        assertEquals(p14.widths(), twin.widths());
        // stem 3->32 plus one shared 32x32 kernel, against the stem plus 14 kernels of their own
        assertEquals(3 * 32 * 9 + 32 * 32 * 9, p14.analyticConvWeights());
        assertEquals(3 * 32 * 9 + 14 * 32 * 32 * 9, twin.analyticConvWeights());

        DacnnSpec mix = (DacnnSpec) ModelCatalog.parse("DACNN-18 (MIX, REG)@x0.25", 3, 10, 32);
        assertEquals(List.of(16, 32, 64, 128), mix.widths());
        assertEquals(DacnnSpec.Sharing.SECTION, mix.sharing());
        assertTrue(mix.regulatorCount() > 0, "regulators are kept");
        assertEquals(DacnnSpec.Sharing.NONE, ((DacnnSpec) ModelCatalog.parse("dacnn-18-mix-reg-unshared", 3, 10, 32)).sharing());

        oneLineError(() -> ModelCatalog.parse("vgg-1fc@x0.5", 3, 10, 32), "apply to DACNN presets");
        oneLineError(() -> ModelCatalog.parse("dacnn-14@x9", 3, 10, 32), "outside (0, 8]");
        oneLineError(() -> ModelCatalog.parse("dacnn-99@x0.5", 3, 10, 32), "unknown");
    }

    @Test
    void presetNamesAreCaseInsensitiveAndAcceptThePapersSpelling() {
        assertEquals("dacnn-34-mix-reg", DacnnPresets.canonical("DACNN-34 (MIX, REG)"));
        assertEquals("dacnn-34-mix-reg", DacnnPresets.canonical("dacnn-34(mix,reg)"));
        assertEquals("dacnn-34-mix-reg", DacnnPresets.canonical("dacnn34-reg-mix"));
        assertEquals("dacnn-14", DacnnPresets.canonical("DACNN-14 (plain)"));
        assertEquals("dacnn-18-reg", DacnnPresets.canonical("Dacnn-18 (REG)"));
        assertEquals("vgg-1fc", DacnnPresets.canonical("VGG (1-fc)"));
        assertEquals("resnet-18", DacnnPresets.canonical("ResNet18"));
        for (String n : DacnnPresets.NAMES) {
            assertEquals(n, DacnnPresets.canonical(n.toUpperCase(java.util.Locale.ROOT)));
        }
        String msg = oneLineError(() -> DacnnPresets.byName("dacnn-19", 3, 100), "unknown DACNN preset 'dacnn-19'");
        for (String n : DacnnPresets.NAMES) {
            assertTrue(msg.contains(n), msg);
        }
        oneLineError(() -> DacnnPresets.byName("resnet-50", 3, 100), "known: dacnn-14");
    }

    @Test
    void presetsHaveThePapersLayouts() {
        DacnnSpec p14 = (DacnnSpec) DacnnPresets.byName("dacnn-14", 3, 100);
        assertEquals(14, p14.depth());
        assertFalse(p14.residual());
        assertArrayEquals(new int[] {4, 7, 11}, p14.poolAfter());
        DacnnSpec p18 = (DacnnSpec) DacnnPresets.byName("dacnn-18", 3, 100);
        assertTrue(p18.residual());
        assertEquals(18, p18.depth());
        assertEquals(List.of(2, 3, 2, 2), p18.units());
        assertEquals(24, ((DacnnSpec) DacnnPresets.byName("dacnn-24-reg", 3, 100)).regulatorCount());
        DacnnSpec r34 = (DacnnSpec) DacnnPresets.byName("dacnn-34-reg", 3, 100);
        assertEquals(32, r34.depth());
        assertEquals(32, r34.regulatorCount());
        DacnnSpec m18 = (DacnnSpec) DacnnPresets.byName("dacnn-18-mix-reg", 3, 100);
        assertEquals(DacnnSpec.Sharing.SECTION, m18.sharing());
        assertEquals(8, m18.regulatorCount());
        assertEquals(List.of(64, 128, 256, 512), m18.widths());
        assertInstanceOf(BlockResNetSpec.class, DacnnPresets.byName("resnet-34", 3, 100));
        // Table 4's section-by-section regulators on DACNN-18
        for (int s = 1; s <= 4; s++) {
            DacnnSpec one = p18.withRegulators(Regulators.perBlock(s));
            assertEquals(p18.units().get(s - 1), one.regulatorCount(), one.describe());
            assertEquals(p18.analyticConvWeights() + 128L * 128 * p18.units().get(s - 1), one.analyticConvWeights());
        }
    }

    @Test
    void everyFamilyRunsForwardAndBackToLogits() {
        try (NDManager m = NDManager.newBaseManager()) {
            for (DacnnSpec spec : List.of(DacnnSpec.plain(1, 7, 6, 8),
                    DacnnSpec.plain(1, 7, 20, 8).withRegulators(Regulators.perConv(1, 3)),
                    DacnnSpec.mixed(1, 7, new int[] {4, 8, 12, 16}, new int[] {1, 2, 1, 1}, false, Regulators.perBlock(2)),
                    DacnnSpec.mixed(1, 7, new int[] {4, 8, 12, 16}, new int[] {1, 1, 1, 1}, true, Regulators.perBlock(1, 4)))) {
                Block b = spec.build();
                b.initialize(m, DataType.FLOAT32, new Shape(2, 1, 16, 16));
                var y = b.forward(new ParameterStore(m, false), new NDList(m.randomNormal(new Shape(2, 1, 16, 16))), false);
                assertEquals(new Shape(2, 7), y.singletonOrThrow().getShape(), spec.describe());
            }
        }
    }
}
