package io.parsimony.cli.train;

import io.parsimony.cli.CliRun;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code summary} answers for any layout in seconds: what fits is built, what cannot fit is refused with its size. */
class SummaryCommandTest {

    @Test
    void aLayoutTooLargeForMemoryIsRefusedInOneLineWithItsSize() {
        // the regression: killed after 108 s with no message; a guard against hanging, not a speed target
        CliRun r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> CliRun.of("summary", "--layout", "200000,200000"));
        assertEquals(2, r.exitCode(), r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("parsimony: error: plain (200000,200000) is too large to build: 360,005,400,010 parameters"), err);
        assertTrue(err.contains("1,440.8 GB as 32-bit floats") && err.contains("use fewer or narrower layers"), err);

        CliRun big = CliRun.of("summary", "--layout", "8,16", "--input", "1x200000x200000");
        assertEquals(2, big.exitCode(), big.err());
        assertTrue(big.err().contains("feature-map values per image"), big.err());
    }

    @Test
    void anOrdinaryLayoutStillBuilds() {
        CliRun r = CliRun.of("summary", "--layout", "35,36,37,43");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("conv weights: 37,962 built, 37,962 analytic"), r.out());
    }
}
