package io.parsimony.layout;

import io.parsimony.energy.Energy;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Eq. 1 against every layout printed in seed 001. */
class PaperCountsTest {

    private static void assertAllCount(String table, int depth, long units, int expectedEntries) {
        List<Layout> layouts = PaperTables.parseList(table);
        assertEquals(expectedEntries, layouts.size(), "transcription of the table");
        NetworkShape shape = NetworkShape.plain(3, depth, 3);
        for (Layout l : layouts) {
            Layout fix = PaperTables.T1_MISPRINTS.get(l);
            if (fix != null) {
                assertTrue(shape.count(l).units() != units, l + " is listed as a misprint but counts");
                assertEquals(units, shape.count(fix).units(), 0.0, fix + " (correction of " + l + ")");
                assertEquals(1, differingDigits(l, fix), l + " → " + fix + " should be a one-digit typo");
                continue;
            }
            ParameterCount c = shape.count(l);
            assertEquals(units * 9, c.total(), () -> l + " should count to " + units + " units");
            assertEquals(units, c.units(), 0.0, l.toString());
        }
    }

    private static int differingDigits(Layout a, Layout b) {
        String x = a.toString(), y = b.toString();
        int diff = x.length() == y.length() ? 0 : 99;
        for (int i = 0; i < Math.min(x.length(), y.length()); i++) {
            diff += x.charAt(i) == y.charAt(i) ? 0 : 1;
        }
        return diff;
    }

    /** Every printed layout counts to its budget, except the five Table 1 misprints of {@link PaperTables#T1_MISPRINTS}. */
    @Test
    void table1ThreeConvsCountTo4288() {
        assertAllCount(PaperTables.T1_THREE, 3, 4288, 24);
    }

    @Test
    void table1FourConvsCountTo4288() {
        assertAllCount(PaperTables.T1_FOUR, 4, 4288, 33);
    }

    @Test
    void table2ThreeConvsCountTo66304() {
        assertAllCount(PaperTables.T2_THREE, 3, 66304, 32);
    }

    @Test
    void table2FourConvsCountTo66304() {
        assertAllCount(PaperTables.T2_FOUR, 4, 66304, 32);
    }

    @Test
    void table5CountsToBothBudgets() {
        assertAllCount(PaperTables.T5_4288, 4, 4288, 6);
        assertAllCount(PaperTables.T5_66304, 4, 66304, 6);
    }

    @Test
    void table3ResNetCountsTo51248Units() {
        NetworkShape resnet = NetworkShape.residual(3, new int[] {1, 10, 10, 10}, 3);
        assertEquals(31, resnet.convLayers());
        ParameterCount c = resnet.count(Layout.of(16, 16, 32, 64));
        assertEquals(51_248 * 9, c.total());
        assertEquals(31, c.layers().size(), "one row per conv, no shortcut rows in the paper's count");
        for (Object[] row : PaperTables.T4) {
            Layout l = Layout.parse((String) row[0]);
            assertEquals(51_248, resnet.count(l).units(), 0.0, l.toString());
        }
    }

    @Test
    void projectionShortcutsAndBiasesAddTheirWeights() {
        NetworkShape resnet = NetworkShape.residual(3, new int[] {1, 10, 10, 10}, 3);
        Layout l = Layout.of(16, 16, 32, 64);
        long paper = resnet.count(l).total();
        // (16,16,32,64): unit 2 keeps width and resolution (identity); units 3 and 4 project 16→32 and 32→64
        long withProjection = resnet.withShortcuts(Shortcuts.PROJECTION).count(l).total();
        assertEquals(paper + 16 * 32 + 32 * 64, withProjection);
        // biases: one per output channel of each of the 31 convs
        long withBias = resnet.withBiases(true).count(l).total();
        assertEquals(paper + 16 + 10 * 16 + 10 * 32 + 10 * 64, withBias);
        // a width change in unit 2 needs a projection there too
        Layout widen = Layout.of(8, 16, 32, 64);
        assertEquals(resnet.count(widen).total() + 8 * 16 + 16 * 32 + 32 * 64,
                resnet.withShortcuts(Shortcuts.PROJECTION).count(widen).total());
    }

    @Test
    void perLayerBreakdownSumsToTotal() {
        NetworkShape shape = NetworkShape.plain(3, new int[] {5, 3, 3});
        ParameterCount c = shape.count(Layout.of(16, 32, 64));
        assertEquals(List.of(25L * 3 * 16, 9L * 16 * 32, 9L * 32 * 64),
                c.layers().stream().map(LayerCount::weights).toList());
        assertTrue(Double.isNaN(c.units()), "units are undefined with mixed kernels");
    }

    /**
     * Table 4 energies to two decimals. The paper misprints one entry: (16,16,32,64) is printed
     * as 110.0631, but ln16·ln16·ln32·ln64 = 110.80; the printed decimals are those of the
     * (19,34,41,49) row (150.0631), evidently copied. Every other row matches.
     */
    @Test
    void table4EnergiesReproduced() {
        for (Object[] row : PaperTables.T4) {
            Layout l = Layout.parse((String) row[0]);
            double printed = (Double) row[1];
            double e = Energy.of(l);
            if (l.equals(Layout.of(16, 16, 32, 64))) {
                assertEquals(110.80, e, 0.005);
                assertTrue(Math.abs(e - printed) > 0.5, "the misprinted row stays misprinted");
                continue;
            }
            assertEquals(printed, e, 0.005, l.toString());
        }
    }

    @Test
    void widthOneGivesZeroEnergyAndNamesTheUnit() {
        Layout l = Layout.of(1, 11, 42, 59);
        assertEquals(0.0, Energy.of(l));
        assertEquals(1, Energy.zeroWidthUnits(l).length);
        assertEquals(1, Energy.zeroWidthUnits(l)[0]);
    }
}
