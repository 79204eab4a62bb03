package io.parsimony.nn.train;

import io.parsimony.InputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The learning rate per epoch of every schedule kind, and their text forms read back. */
class LrScheduleTest {

    @Test
    void cosineStartsAtTheBaseRateHalvesHalfwayAndFallsMonotonicallyTowardsZero() {
        LrSchedule c = LrSchedule.cosine(30);
        assertEquals(0.1, c.lr(0.1, 0), 1e-15);
        assertEquals(0.05, c.lr(0.1, 15), 1e-15);
        // the closed form at epoch 29 of 30: 0.5 (1 + cos(29π/30)) = sin²(π/60)
        double s = Math.sin(Math.PI / 60);
        assertEquals(0.1 * s * s, c.lr(0.1, 29), 1e-15);
        for (int e = 1; e < 30; e++) {
            assertTrue(c.lr(0.1, e) < c.lr(0.1, e - 1), "epoch " + e);
        }
        assertEquals(0.0, c.lr(0.1, 40), 1e-15, "past its length it stays at the end");
    }

    @Test
    void everyKindReadsBackFromItsText() {
        for (String text : new String[] {"constant", "step:2:0.1", "multistep:15,25:0.1", "cosine:30"}) {
            LrSchedule s = LrSchedule.parse(text);
            assertEquals(s, LrSchedule.parse(s.toString()), text);
        }
        assertEquals(LrSchedule.cosine(30), LrSchedule.parse("cosine:30"));
        assertEquals(0.001, LrSchedule.parse("multistep:15,25:0.1").lr(0.1, 25), 1e-15);
    }

    @Test
    void aCosineWithoutALengthOrOfZeroEpochsIsRefusedWithTheFix() {
        InputException e = assertThrows(InputException.class, () -> LrSchedule.parse("cosine"));
        assertTrue(e.getMessage().contains("cosine:EPOCHS"), e.getMessage());
        assertThrows(InputException.class, () -> LrSchedule.parse("cosine:0"));
    }
}
