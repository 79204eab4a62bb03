package io.parsimony.experiment.design;

import io.parsimony.InputException;
import io.parsimony.energy.Energy;
import io.parsimony.nn.model.DacnnSpec;
import io.parsimony.search.Order;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DesignSpaceTest {

    private static DesignSpace space(long units, Set<Family> families, int maxDepth, int top) {
        return new DesignSpace(units, 0, Order.STRICT, families, maxDepth, top, 1, 10, 28);
    }

    /** Every strictly increasing 1-channel layout of {@code depth} convs counting exactly {@code units} (Eq. 1 / 9). */
    private static void enumerate(int depth, long units, int[] w, int i, long used, List<int[]> out) {
        if (i == depth) {
            if (used == units) {
                out.add(w.clone());
            }
            return;
        }
        int prev = i == 0 ? 1 : w[i - 1];
        for (int x = i == 0 ? 1 : prev + 1; used + (long) prev * x <= units; x++) {
            w[i] = x;
            enumerate(depth, units, w, i + 1, used + (long) prev * x, out);
        }
    }

    @Test
    void plainCandidatesOfASmallBudgetAreTheTopEnergyLayoutsOfAnIndependentEnumeration() {
        long units = 130;
        List<String> expected = new ArrayList<>();
        for (int depth = 2; depth <= 5; depth++) {
            List<int[]> all = new ArrayList<>();
            enumerate(depth, units, new int[depth], 0, 0, all);
            all.sort(Comparator.comparingDouble((int[] a) -> -Energy.of(a)).thenComparing(java.util.Arrays::compare));
            all.stream().limit(3).forEach(a -> expected.add("plain:" + String.join(",",
                    java.util.Arrays.stream(a).mapToObj(String::valueOf).toList())));
        }
        assertTrue(expected.size() >= 6, "the enumeration finds layouts at several depths: " + expected);
        List<String> got = space(units, EnumSet.of(Family.PLAIN), 5, 3).candidates().stream().map(Candidate::model).toList();
        assertEquals(expected, got);
    }

    @Test
    void everyCandidateStaysWithinTheBudgetAndExactFamiliesSpendItExactly() {
        DesignSpace s = space(4288, EnumSet.allOf(Family.class), 15, 2);
        List<Candidate> cs = s.candidates();
        for (Family f : Family.values()) {
            assertTrue(cs.stream().anyMatch(c -> c.family() == f), "a " + f + " candidate at 4,288 units");
        }
        for (Candidate c : cs) {
            assertTrue(c.convWeights() <= 4288 * 9, c.model() + " spends " + c.convWeights());
            assertEquals(c.spec().analyticConvWeights() + (c.family() == Family.RESCALED
                    ? ((io.parsimony.nn.model.RescaledSpec) c.spec()).coefficients() : 0), c.convWeights(), c.model());
            if (c.exact()) {
                assertEquals(4288 * 9, c.convWeights(), c.model());
            }
            assertTrue(c.convLayers() <= 15 && c.multiplyAdds() > 0, c.model());
        }
        // DACNN: the widest single shared kernel (plus stem) that fits, found by counting up
        int widest = 1;
        while (DacnnSpec.plain(1, 10, 14, widest + 1).analyticConvWeights() <= 4288 * 9) {
            widest++;
        }
        String expectedDacnn = DacnnSpec.plain(1, 10, 14, widest).describe();
        assertTrue(cs.stream().anyMatch(c -> c.model().equals(expectedDacnn)), expectedDacnn + " in " + cs.stream().map(Candidate::model).toList());
    }

    @Test
    void aBudgetTooSmallForAnyCandidateIsRefusedInOneLine() {
        InputException e = assertThrows(InputException.class, () -> space(1, EnumSet.of(Family.PLAIN, Family.RESNET), 6, 2).candidates());
        assertTrue(e.getMessage().startsWith("no candidate") && !e.getMessage().contains("\n"), e.getMessage());
        assertThrows(InputException.class, () -> Family.parseList("plain,transformer"));
    }

    /**
     * A design's key hashes its settings' JSON, and a rerun in another JVM must find the same key
     * to resume: the families serialise in {@link Family} order, not in a set's per-JVM order.
     */
    @Test
    void theFamiliesSerialiseInFamilyOrderWhateverTheOrderGiven() {
        List<Family> reversed = new java.util.ArrayList<>(List.of(Family.values()));
        java.util.Collections.reverse(reversed);
        DesignSpace a = space(4288, new java.util.LinkedHashSet<>(reversed), 6, 2);
        DesignSpace b = space(4288, Set.of(Family.values()), 6, 2);
        String expected = java.util.Arrays.stream(Family.values()).map(f -> "\"" + f.name() + "\"")
                .collect(java.util.stream.Collectors.joining(",", "[", "]"));
        for (DesignSpace d : List.of(a, b)) {
            String json = io.parsimony.experiment.job.Hashing.json(d).replace(" ", "").replace("\n", "");
            assertTrue(json.contains("\"families\":" + expected), json);
        }
        assertEquals(io.parsimony.experiment.job.Hashing.json(a), io.parsimony.experiment.job.Hashing.json(b));
    }
}
