package io.parsimony.cli.doctor;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parsimony.cli.CliRun;
import io.parsimony.nn.engine.NumericsMode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code parsimony doctor} on this host, and on a host whose engine is wrong (an injected fault:
 * this host's libtorch is right): exit 1, the failing op named in the table, the remedy shown
 * passing.
 */
class DoctorCommandTest {

    private static final String FAULT = "parsimony.numerics.inject-fault";

    @AfterEach
    void healthyAgain() {
        System.clearProperty(FAULT);
        System.clearProperty(NumericsMode.PROPERTY);
        CliRun.of("doctor", "--json");   // the process's verdict back to this host's own
    }

    @Test
    void reportsVersionsTheCheckTableAndTools() throws Exception {
        CliRun run = CliRun.of("doctor", "--json");
        JsonNode j = new ObjectMapper().readTree(run.out());
        boolean healthy = j.get("healthy").asBoolean();
        assertEquals(healthy ? 0 : 1, run.exitCode(), run.err());
        assertEquals("0.35.0", j.get("djl").asText());
        assertTrue(j.get("libtorch").asText().matches("\\d+\\.\\d+\\.\\d+"), j.get("libtorch").asText());
        assertTrue(j.get("checks").size() > 200, "every op of the grid is listed");
        for (JsonNode c : j.get("checks")) {
            assertTrue(c.get("passed").asBoolean() || c.get("op").asText().equals("conv2d backward-data"),
                    "only the known fault may fail here: " + c);
        }
        for (JsonNode c : j.get("checksRemedied")) {
            assertTrue(c.get("passed").asBoolean(), "the remedy passes: " + c);
        }
        assertTrue(j.get("dataSets").toString().contains("fashion-mnist"));
        assertTrue(j.has("tools") && j.get("tools").has("postgresql"));
    }

    @Test
    void aWrongEngineFailsTheDoctorAndShowsTheRemedy() {
        System.setProperty(FAULT, "conv-input-gradient");
        CliRun run = CliRun.of("doctor");
        assertEquals(1, run.exitCode(), run.out() + run.err());
        assertTrue(run.out().contains("conv2d backward-data"), run.out());
        assertTrue(run.out().contains("FAIL"), run.out());
        assertTrue(run.out().contains("with the remedy (pad-conv-outputs)"), run.out());
        assertTrue(run.out().contains("FAILED: the engine is wrong on this host"), run.out());
    }

    @Test
    void anUnknownNumericsModeIsOneLineAndExitTwo() {
        CliRun run = CliRun.of("--numerics", "sometimes", "doctor");
        assertEquals(2, run.exitCode());
        assertTrue(run.err().startsWith("parsimony: error:") && run.err().contains("use check, strict, pad or off"), run.err());
        assertEquals(1, run.err().strip().lines().count(), run.err());
    }
}
