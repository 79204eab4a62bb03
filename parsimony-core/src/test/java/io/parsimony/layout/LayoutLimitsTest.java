package io.parsimony.layout;

import io.parsimony.balance.Backbone;
import io.parsimony.balance.BlockKind;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
import java.time.Duration;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Widths, unit counts and parameter counts at and past their stated limits. */
class LayoutLimitsTest {

    /** A guard against hanging (the regressions these tests pin ran for minutes); not a speed target. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(60);

    private static String refused(Runnable r) {
        LayoutException e = assertThrows(LayoutException.class, r::run);
        assertTrue(!e.getMessage().contains("\n") && e.getMessage().length() < 400, e.getMessage());
        return e.getMessage();
    }

    @Test
    void aWidthPastAnIntIsNamedAsTooWideNotAsNotANumber() {
        String m = refused(() -> Layout.parse("99999999999,3"));
        assertTrue(m.contains("99,999,999,999") && m.contains("largest supported width of 1,073,741,824"), m);
        String huge = refused(() -> Layout.parse("1" + "0".repeat(100_000) + ",3"));
        assertTrue(huge.contains("100,001 digits"), huge);
        assertTrue(refused(() -> Layout.parse("-99999999999,3")).contains("positive"));
        assertTrue(refused(() -> Layout.parse("0,3")).contains("positive"));
        assertTrue(refused(() -> Layout.parse("35,x")).contains("not a whole number"));
        assertTrue(refused(() -> Layout.parse(" ")).contains("empty layout"));
    }

    @Test
    void theLargestWidthIsAcceptedAndOneMoreIsNot() {
        assertEquals(Layout.MAX_WIDTH, Layout.parse(String.valueOf(Layout.MAX_WIDTH)).width(0));
        refused(() -> Layout.parse(String.valueOf(Layout.MAX_WIDTH + 1L)));
        refused(() -> Layout.of(Integer.MAX_VALUE));
    }

    @Test
    void aHundredThousandWidthsAreRefusedAtOnce() {
        String text = IntStream.rangeClosed(1, 100_000).mapToObj(Integer::toString).collect(Collectors.joining(","));
        String m = assertTimeoutPreemptively(HANG_GUARD, () -> refused(() -> Layout.parse(text)));
        assertTrue(m.contains("100,000 units") && m.contains("10,000"), m);
        // a billion-layer network is refused before an array of that size exists
        assertTimeoutPreemptively(HANG_GUARD, () -> refused(() -> NetworkShape.plain(3, 2_000_000_000, 3)));
        refused(() -> NetworkShape.residual(3, new int[] {1, 2_000_000_000}, 3));
    }

    @Test
    void aCountPastALongIsRefusedWithItsExactValue() {
        int w = Layout.MAX_WIDTH;
        // Eq. 1 for (w, w, w) after 3 channels, 3x3: 9·(3w + w² + w²)
        BigInteger bw = BigInteger.valueOf(w);
        BigInteger expected = BigInteger.valueOf(9).multiply(bw.multiply(BigInteger.valueOf(3)).add(bw.pow(2)).add(bw.pow(2)));
        NetworkShape shape = NetworkShape.plain(3, 3, 3);
        String m = refused(() -> shape.count(Layout.of(w, w, w)));
        assertTrue(m.contains(String.format("%,d", expected)), m);
        refused(() -> shape.totalWeights(new int[] {w, w, w}));
        // the largest width that still counts: one unit of 2^30 after 3 channels, kernel 3
        assertEquals(9L * 3 * w, NetworkShape.plain(3, 1, 3).count(Layout.of(w)).total());
    }

    @Test
    void hugeKernelsCountExactly() {
        NetworkShape shape = NetworkShape.plain(3, 4, 100_000);
        ParameterCount c = shape.count(Layout.of(35, 36, 37, 43));
        assertEquals(10_000_000_000L * 4288, c.total());
        assertEquals(4288.0, c.units());   // k² = 10^10 does not fit an int
    }

    @Test
    void backbonesPastALongAreRefused() {
        Backbone big = Backbone.custom(BlockKind.BASIC, new int[] {200_000_000, 3}, new int[] {1, 1}, 100_000, 0, 7);
        assertTrue(refused(big::totalWeights).contains("largest supported count"));
        refused(() -> Backbone.custom(BlockKind.BOTTLENECK, new int[] {400_000_000}, new int[] {1}, 3, 0, 7));
        refused(() -> Backbone.custom(BlockKind.BASIC, new int[100_000], new int[100_000], 3, 0, 7));
    }
}
