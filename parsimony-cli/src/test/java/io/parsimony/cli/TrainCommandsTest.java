package io.parsimony.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** train / evaluate / summary through the real command line, on a Fashion-MNIST slice. */
class TrainCommandsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void trainThenEvaluateThenRefuseToOverwrite(@TempDir Path tmp) throws Exception {
        Path run = tmp.resolve("run");
        CliRun train = CliRun.of("train", "--layout", "8,16,24,32", "--epochs", "2", "--batch", "64", "--lr", "0.05",
                "--limit-train", "1500", "--limit-test", "500", "--run", run.toString(), "--json");
        assertEquals(0, train.exitCode(), train.err());
        JsonNode result = JSON.readTree(train.out());
        assertEquals(2, result.get("epochs").asInt());
        double top1 = result.get("test").get("top1").asDouble();
        assertTrue(top1 > 0.5, "top-1 " + top1);   // chance is 0.1
        assertEquals(10, result.get("test").get("confusion").size());

        CliRun eval = CliRun.of("evaluate", "--run", run.toString(), "--json");
        assertEquals(0, eval.exitCode(), eval.err());
        JsonNode e = JSON.readTree(eval.out());
        assertEquals(10_000, e.get("images").asInt());
        assertTrue(Math.abs(e.get("top1").asDouble() - top1) < 0.08, "full test set vs 500-image slice");

        CliRun again = CliRun.of("train", "--layout", "8,16,24,32", "--epochs", "1", "--run", run.toString(), "-q");
        assertEquals(2, again.exitCode());
        assertTrue(again.err().contains("already holds a checkpoint"), again.err());
        assertEquals(2, JSON.readTree(Files.readString(run.resolve("result.json"))).get("epochs").asInt(), "result kept");
    }

    @Test
    void summaryMatchesTheAnalyticCount() throws Exception {
        CliRun r = CliRun.of("summary", "--layout", "16,16,32,64", "--repeats", "1,10,10,10", "--input", "3x32x32", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = JSON.readTree(r.out());
        long built = doc.get("summary").get("convWeights").asLong();
        assertEquals(51_248L * 9 + 16 * 32 + 32 * 64, built);
        assertEquals(built, doc.get("analyticConvWeights").asLong());
    }

    @Test
    void summaryOfASharedModelReportsReuseAndCompression() {
        CliRun r = CliRun.of("summary", "--model", "dacnn-14", "--input", "3x32x32", "--classes", "100");
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(r.out().contains("shared tensors used"), r.out());
        assertTrue(r.out().contains("compression"), r.out());
        CliRun rescaled = CliRun.of("summary", "--model", "plain:8,16,24,32@w2d2", "--input", "1x28x28");
        assertEquals(0, rescaled.exitCode(), rescaled.err());
        assertTrue(rescaled.out().contains("coefficients"), rescaled.out());
        CliRun both = CliRun.of("summary", "--model", "dacnn-14", "--layout", "8,16");
        assertEquals(2, both.exitCode());
    }

    @Test
    void corruptDataAndBadFlagsExitTwoWithOneLine(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("fashion-mnist"));
        // a header promising 60,000 images with almost no pixels behind it
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(bytes))) {
            out.writeInt(2051);
            out.writeInt(60_000);
            out.writeInt(28);
            out.writeInt(28);
            out.write(new byte[100]);
        }
        for (String f : new String[] {"train-images-idx3-ubyte.gz", "t10k-images-idx3-ubyte.gz"}) {
            Files.write(dir.resolve(f), bytes.toByteArray());
        }
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(new GZIPOutputStream(labels))) {
            out.writeInt(2049);
            out.writeInt(60_000);
            out.write(new byte[60_000]);
        }
        for (String f : new String[] {"train-labels-idx1-ubyte.gz", "t10k-labels-idx1-ubyte.gz"}) {
            Files.write(dir.resolve(f), labels.toByteArray());
        }
        for (String[] args : new String[][] {
                {"train", "--layout", "8,16", "--data", dir.toString(), "-q"},
                {"train", "--layout", "8,16", "--data", "no-such-set", "-q"},
                {"ebcle", "--data", dir.toString()},
                {"ebcle", "--data", tmp.resolve("empty").toFile().mkdirs() ? tmp.resolve("empty").toString() : "x"},
                {"train", "--layout", "8,16", "--lr", "-1", "-q"},
                {"train", "--layout", "8,16", "--schedule", "step:zero:0.1", "-q"},
                {"evaluate", "--run", tmp.resolve("nothing").toString()},
                {"summary", "--layout", "8,16", "--input", "3x0x32"},
                {"summary", "--model", "dacnn-99"},
                {"compare", "plain:8,16", "plain:0,3", "-q"},
        }) {
            CliRun r = CliRun.of(args);
            assertEquals(2, r.exitCode(), String.join(" ", args) + " -> " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        }
    }
}
