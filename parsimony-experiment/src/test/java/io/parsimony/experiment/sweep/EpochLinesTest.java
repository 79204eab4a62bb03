package io.parsimony.experiment.sweep;

import io.parsimony.nn.train.EpochMetrics;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The design's pulse: a line per epoch of a long run, nothing for its many short rung runs. */
class EpochLinesTest {

    @Test
    void aLongRunGetsALinePerEpochAShortOneNone() {
        List<String> lines = new ArrayList<>();
        EpochLines pulse = new EpochLines("net", lines::add, 600).onlyForRunsOf(3);
        train(pulse, 2);
        assertEquals(List.of(), lines, "a run of 2 epochs is below the threshold");
        train(pulse, 3);
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(2).startsWith("net epoch 3/3: loss 0.5000, train acc 80.00%, val acc 75.00%"), lines.get(2));

        List<String> all = new ArrayList<>();
        train(new EpochLines("net", all::add, 600), 1);
        assertEquals(1, all.size(), "without a threshold every run has its lines");
    }

    private static void train(EpochLines l, int epochs) {
        for (int e = 0; e < epochs; e++) {
            l.onEpochStart(e, epochs, 10);
            for (int b = 1; b <= 10; b++) {
                l.onStep(b, 0.5, 0.8, 1000);
            }
            l.onEpochEnd(new EpochMetrics(e + 1, epochs, 10L * (e + 1), 0.1, 0.5, 0.8, 0.6, 0.75, 2, 1000, 0, 1, 1, 0, 0.1));
        }
    }
}
