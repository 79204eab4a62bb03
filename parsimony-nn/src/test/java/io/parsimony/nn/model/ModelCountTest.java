package io.parsimony.nn.model;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import io.parsimony.layout.Layout;
import io.parsimony.layout.PaperTables;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The conv kernels of every built network hold exactly the foundation's Eq. 1 count. */
class ModelCountTest {

    private static long builtConvWeights(ModelSpec spec, int size) {
        try (NDManager m = NDManager.newBaseManager()) {
            Block b = spec.build();
            b.initialize(m, DataType.FLOAT32, new Shape(1, spec.inputChannels(), size, size));
            return ModelSummary.convWeights(b);
        }
    }

    @Test
    void everyTable1And2PlainLayoutBuildsWithItsAnalyticCount() {
        List<Layout> all = new ArrayList<>();
        for (String t : List.of(PaperTables.T1_THREE, PaperTables.T1_FOUR, PaperTables.T2_THREE, PaperTables.T2_FOUR)) {
            all.addAll(PaperTables.corrected(t));
        }
        assertTrue(all.size() > 120, "tables parsed: " + all.size());
        for (Layout l : all) {
            var spec = PlainCnnSpec.of(l, 3, 10, 32);
            long built = builtConvWeights(spec, 32);
            assertEquals(spec.analyticConvWeights(), built, l.toString());
            long units = built / 9;
            assertTrue(units == 4_288 || units == 66_304, l + " counts " + units + " units");
        }
    }

    @Test
    void residualTable3NetBuildsWithItsCountIncludingProjections() {
        var spec = new BlockResNetSpec(3, 10, new int[] {16, 16, 32, 64}, new int[] {1, 10, 10, 10});
        // 51,248 units of 3x3 convs (the paper's count) + 1x1 projections 16->32 and 32->64
        assertEquals(51_248L * 9 + 16 * 32 + 32 * 64, builtConvWeights(spec, 32));
        assertEquals(spec.analyticConvWeights(), builtConvWeights(spec, 32));
        for (Object[] row : PaperTables.T4) {
            var s = new BlockResNetSpec(3, 10, Layout.parse((String) row[0]).widths(), new int[] {1, 10, 10, 10});
            assertEquals(s.analyticConvWeights(), builtConvWeights(s, 16), (String) row[0]);
        }
    }

    @Test
    void summaryListsLayersWithOutputShapes() {
        var spec = PlainCnnSpec.of(Layout.of(35, 36, 37, 43), 1, 10, 28);
        try (NDManager m = NDManager.newBaseManager()) {
            Block b = spec.build();
            b.initialize(m, DataType.FLOAT32, new Shape(1, 1, 28, 28));
            ModelSummary s = ModelSummary.of(b, new Shape(1, 1, 28, 28));
            assertEquals(38_592 - 27 * 35 + 9 * 35, s.convWeights());   // n0 = 1 here: first layer 1·35·9
            // BN: 2 trainable + 2 running per channel; linear 43·10 + 10
            long bn = 2L * (35 + 36 + 37 + 43);
            assertEquals(s.convWeights() + bn + 430 + 10, s.trainable());
            assertEquals(s.trainable() + bn, s.parameters());
            assertEquals("(1, 10)", s.rows().get(s.rows().size() - 1).outputShape());
            assertTrue(s.rows().stream().anyMatch(r -> r.outputShape().equals("(1, 35, 14, 14)")), s.rows().toString());
        }
    }
}
