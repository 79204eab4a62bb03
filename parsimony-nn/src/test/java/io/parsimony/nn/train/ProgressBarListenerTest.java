package io.parsimony.nn.train;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ProgressBarListenerTest {

    private static void run(ProgressBarListener l) {
        for (int e = 0; e < 2; e++) {
            l.onEpochStart(e, 2, 50);
            for (int b = 1; b <= 50; b++) {
                l.onStep(b, 1.0 / b, 0.5, 1000);
                sleep();
            }
            l.onEpochEnd(new EpochMetrics(e + 1, 2, 50L * (e + 1), 0.1, 0.5, 0.8, null, null, 1.0, 1000, 0.0, 0.5, 0.4, 0.1, 0.2));
        }
    }

    private static void sleep() {
        try {
            Thread.sleep(6);   // past the bar's 250 ms redraw interval several times per epoch
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void withoutATerminalEachEpochIsOneLineWithoutCarriageReturns() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        // the test JVM has no console, so AUTO must choose lines
        run(new ProgressBarListener("net", new PrintStream(bytes, true, StandardCharsets.UTF_8)));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(out.contains("\r"), out);
        assertEquals(2, out.lines().count(), out);
        assertTrue(out.startsWith("net epoch 1/2: loss 0.5000"), out);
    }

    @Test
    void barsWhenAskedForRedrawInPlace() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        run(new ProgressBarListener("net", new PrintStream(bytes, true, StandardCharsets.UTF_8), ProgressBarListener.Mode.BARS));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("\r"), "a bar redraws its line");
        assertTrue(out.contains("net epoch 2/2: loss"), out);
    }
}
