package io.parsimony.nn.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The benchmark's bookkeeping; the rounds against a stand-in reference are run through the CLI (TrainBenchCommandTest). */
class TrainBenchTest {

    @Test
    void medianOfEvenAndOddCounts() {
        assertEquals(2.0, TrainBench.median(List.of(3.0, 1.0, 2.0)));
        assertEquals(2.5, TrainBench.median(List.of(4.0, 1.0, 2.0, 3.0)));
    }
}
