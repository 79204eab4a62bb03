package io.parsimony.cli.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parsimony.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The benchmark's bookkeeping: alternating rounds, medians and ratio range, checked against a stand-in reference. */
class TrainBenchCommandTest {

    @Test
    void ratioIsTheMedianOfAlternatingRoundsAgainstTheReference(@TempDir Path tmp) throws Exception {
        // a stand-in for torch_reference.py that reports 200 images/s, called as the real one is
        Path script = Files.writeString(tmp.resolve("reference.sh"),
                "echo \"{\\\"arch\\\": \\\"$1\\\", \\\"images_per_s\\\": 200.0, \\\"torch\\\": \\\"stand-in\\\"}\"\n");
        CliRun r = CliRun.of("bench", "train", "--arch", "plain4", "--batch", "16", "--steps", "2", "--warmup", "1",
                "--rounds", "3", "--python", "/bin/sh", "--reference", script.toString(), "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode row = new ObjectMapper().readTree(r.out()).get("rows").get(0);
        assertEquals("plain4", row.get("arch").asText());
        assertEquals(3, row.get("rounds").asInt());
        assertEquals(200.0, row.get("torchImagesPerSecond").asDouble(), 1e-9);
        // with a constant reference the median ratio is the median images/s over 200
        assertEquals(row.get("parsimonyImagesPerSecond").asDouble() / 200.0, row.get("ratio").asDouble(), 1e-9);
        assertTrue(row.get("ratioLow").asDouble() <= row.get("ratio").asDouble()
                && row.get("ratio").asDouble() <= row.get("ratioHigh").asDouble(), row.toString());
        assertTrue(row.get("parsimonyImagesPerSecond").asDouble() > 0);
    }

    /** fmnist4 runs on 1x28x28 input (a 3x32x32 batch would not fit its first conv) and the CPU is reported. */
    @Test
    void fmnist4TrainsOnGreyImagesAndTheProcessorIsNamed() throws Exception {
        CliRun r = CliRun.of("bench", "train", "--arch", "fmnist4", "--batch", "16", "--steps", "2", "--warmup", "1",
                "--rounds", "1", "--no-reference", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertEquals("fmnist4", doc.get("rows").get(0).get("arch").asText());
        assertTrue(doc.get("rows").get(0).get("parsimonyImagesPerSecond").asDouble() > 0);
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (Files.isReadable(cpuinfo)) {
            String model = Files.readAllLines(cpuinfo).stream().filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.split(":", 2)[1].strip()).orElseThrow();
            assertTrue(doc.get("cpu").asText().startsWith(model), doc.get("cpu").asText());
        }
    }

    /** --profile writes a Chrome trace per side and prints the ops a step spends its time in, ours beside PyTorch's. */
    @Test
    void profileNamesTheOpsOfBothSides(@TempDir Path tmp) throws Exception {
        Path script = io.parsimony.nn.data.Installation.shared().map(d -> d.resolve("bench/torch_reference.py")).orElse(null);
        boolean reference = script != null && Files.isRegularFile(script)
                && new ProcessBuilder("/usr/bin/python3", "-c", "import torch").start().waitFor() == 0;
        List<String> args = new java.util.ArrayList<>(List.of("bench", "train", "--arch", "fmnist4", "--batch", "8",
                "--steps", "2", "--warmup", "1", "--rounds", "1", "--profile", tmp.toString()));
        if (!reference) {
            System.out.println("profileNamesTheOpsOfBothSides: no torch_reference.py or python3-torch here; profiling our side only");
            args.add("--no-reference");
        }
        CliRun r = CliRun.of(args.toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.size(tmp.resolve("fmnist4-parsimony.json")) > 0);
        String table = r.out().lines().filter(l -> l.contains("aten::convolution_backward")).findFirst().orElseThrow(() -> new AssertionError(r.out()));
        assertTrue(r.out().contains("| all ops"), r.out());
        if (reference) {
            assertTrue(Files.size(tmp.resolve("fmnist4-pytorch.json")) > 0);
            // both columns carry a time: "| aten::convolution_backward | 1.23 | 2.34 | 2 / 2 |"
            String[] cells = table.split("\\|");
            assertTrue(cells[2].strip().matches("[\\d.,]+") && cells[3].strip().matches("[\\d.,]+"), table);
        }
    }

    /** --model times any catalogue model (no reference: the script cannot build it); a bad spec is one line. */
    @Test
    void anyModelCanBeTimedWithoutAReference() throws Exception {
        CliRun r = CliRun.of("bench", "train", "--model", "plain:4,6,resnet:4,4,8/1,2,2", "--batch", "4", "--steps", "1",
                "--warmup", "0", "--rounds", "1", "--json");
        assertEquals(0, r.exitCode(), r.err());
        JsonNode rows = new ObjectMapper().readTree(r.out()).get("rows");
        assertEquals(2, rows.size(), "only the named models, no reference architectures: " + rows);
        assertEquals("plain:4,6", rows.get(0).get("arch").asText());
        assertEquals("resnet:4,4,8/1,2,2", rows.get(1).get("arch").asText());
        assertTrue(rows.get(1).get("ratio").isNull() && rows.get(1).get("parsimonyImagesPerSecond").asDouble() > 0, rows.toString());
        CliRun elsewhere = CliRun.of("bench", "train", "--model", "plain:4,6", "--reference", "/nonexistent/torch_reference.py",
                "--batch", "4", "--steps", "1", "--warmup", "0", "--rounds", "1", "--json");
        assertEquals(0, elsewhere.exitCode(), "a model alone needs no reference script: " + elsewhere.err());
        CliRun bad = CliRun.of("bench", "train", "--model", "plain:4,x", "--no-reference");
        assertEquals(2, bad.exitCode());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
    }

    @Test
    void zeroRoundsIsOneLineExitTwo() {
        CliRun r = CliRun.of("bench", "train", "--rounds", "0", "--no-reference");
        assertEquals(2, r.exitCode());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains("--rounds"), r.err());
    }
}
