package io.parsimony.cli.train;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parsimony.cli.CliRun;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.train.TrainingRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The training commands at their input boundaries (issue 12's table): corrupt optimizer state,
 * splits that leave nothing to train or validate on, recipes that cannot train, and a
 * {@code --resume} whose flags contradict the checkpoint. Each ends in one line and exit 2, or a
 * correct answer.
 */
class TrainBoundariesTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] MODEL = {"--layout", "8,16", "-q"};

    @TempDir
    static Path shared;
    /** A real run directory after one epoch with the default recipe (lr 0.1, batch 128). */
    private static Path trained;
    private static JsonNode evaluated;

    @BeforeAll
    static void trainOneEpoch() throws Exception {
        trained = shared.resolve("trained");
        CliRun r = cli("train", "--epochs", "1", "--limit-train", "700", "--limit-test", "200", "--run", trained.toString());
        assertEquals(0, r.exitCode(), r.err());
        CliRun e = CliRun.of("evaluate", "--run", trained.toString(), "--json");
        assertEquals(0, e.exitCode(), e.err());
        evaluated = JSON.readTree(e.out());
    }

    private static CliRun cli(String... args) {
        return CliRun.of(Stream.concat(Stream.of(args), Stream.of(MODEL)).toArray(String[]::new));
    }

    private static Path copy(Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("run"));
        try (Stream<Path> files = Files.list(trained)) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        return dir;
    }

    private static void assertOneLineExitTwo(CliRun r, String... mentions) {
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
        for (String m : mentions) {
            assertTrue(r.err().contains(m), "'" + m + "' in: " + r.err());
        }
    }

    /**
     * Offset of the optimizer state's tensor count: magic, format, header length, header, then the
     * parameters exactly as DJL saves the restored block. Checked by walking the state's
     * length-prefixed tensors, which must end exactly at the end of the file.
     */
    private static int stateOffset(Path dir, byte[] file) throws Exception {
        int headerLength = ByteBuffer.wrap(file, 8, 4).getInt();
        ByteArrayOutputStream params = new ByteArrayOutputStream();
        ImageSet like = new ImageSet(new byte[28 * 28], new int[] {0}, 1, 28, 28, Collections.nCopies(10, "c"), "like");
        try (NDManager m = NDManager.newBaseManager()) {
            TrainingRun.load(dir, m, like).block().saveParameters(new DataOutputStream(params));
        }
        int at = 12 + headerLength + params.size();
        ByteBuffer b = ByteBuffer.wrap(file);
        int n = b.getInt(at);
        assertTrue(n > 0 && n < 100, "tensor count " + n);
        long p = at + 4;
        for (int i = 0; i < n; i++) {
            p += 4 + b.getInt((int) p);
        }
        assertEquals(file.length, p, "the state's tensors fill the rest of the file");
        return at;
    }

    @Test
    void evaluateNeverReadsTheOptimizerStateAndResumeRefusesACorruptOne(@TempDir Path tmp) throws Exception {
        Path dir = copy(tmp);
        Path ckpt = dir.resolve("checkpoint.bin");
        byte[] good = Files.readAllBytes(ckpt);
        int count = stateOffset(dir, good);
        int[][] corruptions = {
                {count + 4, -5},                      // the first tensor's length: was NegativeArraySizeException
                {count + 4, Integer.MAX_VALUE - 15},  // 2^31-16: was a ~2 GB allocation
                {count, -5},                          // the tensor count
                {count, 1 << 30},
        };
        for (int[] c : corruptions) {
            byte[] bad = good.clone();
            ByteBuffer.wrap(bad).putInt(c[0], c[1]);
            Files.write(ckpt, bad);

            CliRun eval = CliRun.of("evaluate", "--run", dir.toString(), "--json");
            assertEquals(0, eval.exitCode(), eval.err());
            assertEquals(evaluated, JSON.readTree(eval.out()), "the weights are intact, so is the evaluation");

            CliRun resume = cli("train", "--run", dir.toString(), "--resume", "--epochs", "2");
            assertOneLineExitTwo(resume, "checkpoint.bin is corrupt", String.valueOf(c[1]), "bytes left");
            assertArrayEquals(bad, Files.readAllBytes(ckpt), "the refused resume left the checkpoint alone");
        }
    }

    @Test
    void emptySplitsAreRefusedBeforeTheRunDirectoryIsTouched(@TempDir Path tmp) {
        Path run = tmp.resolve("run");
        // was: exit 0 after 0 steps, test loss NaN, "top-5 100.00%"
        assertOneLineExitTwo(cli("train", "--limit-train", "5", "--val-fraction", "0.9", "--run", run.toString()),
                "no training images left", "--val-fraction 0.9 of 5 training images holds out 5", "--limit-train");
        assertOneLineExitTwo(cli("train", "--limit-train", "4", "--val-fraction", "0.1", "--run", run.toString()),
                "validation split is empty", "--val-fraction 0.1 of 4 training images", "--val-fraction 0");
        assertFalse(Files.exists(run));
    }

    @Test
    void recipesThatCannotTrainAreRefusedNamingTheFlag(@TempDir Path tmp) {
        Path run = tmp.resolve("run");
        for (String[] bad : List.of(
                new String[] {"--batch", "0"}, new String[] {"--batch", "-3"},
                new String[] {"--lr", "NaN"}, new String[] {"--lr", "Infinity"}, new String[] {"--lr", "0"},
                new String[] {"--lr", "-0.1"},
                new String[] {"--momentum", "1"}, new String[] {"--momentum", "-0.1"}, new String[] {"--momentum", "NaN"},
                new String[] {"--weight-decay", "-0.001"}, new String[] {"--weight-decay", "NaN"},
                new String[] {"--epochs", "0"}, new String[] {"--epochs", "-1"},
                new String[] {"--val-fraction", "1"}, new String[] {"--val-fraction", "-0.1"},
                new String[] {"--val-fraction", "NaN"},
                new String[] {"--steps", "-1"}, new String[] {"--limit-train", "-1"}, new String[] {"--limit-test", "-1"})) {
            CliRun r = cli("train", bad[0], bad[1], "--run", run.toString());
            assertOneLineExitTwo(r, bad[0] + " must", bad[1]);
        }
        assertFalse(Files.exists(run));
    }

    @Test
    void resumeRefusesRecipeFlagsThatDifferFromTheCheckpoint(@TempDir Path tmp) throws Exception {
        Path dir = copy(tmp);
        byte[] before = Files.readAllBytes(dir.resolve("checkpoint.bin"));
        // was: exit 0, silently training with the checkpoint's lr 0.1 and batch 128
        assertOneLineExitTwo(cli("train", "--run", dir.toString(), "--resume", "--lr", "0.5", "--batch", "16"),
                "--lr 0.5 (checkpoint: 0.1)", "--batch 16 (checkpoint: 128)", "start a new --run");
        assertOneLineExitTwo(cli("train", "--run", dir.toString(), "--resume", "--flip", "--seed", "3", "--epochs", "2"),
                "--flip true (checkpoint: false)", "--seed 3 (checkpoint: 0)");
        assertOneLineExitTwo(cli("train", "--run", dir.toString(), "--resume", "--steps", "3"),
                "--steps 3 (checkpoint: no limit");
        assertArrayEquals(before, Files.readAllBytes(dir.resolve("checkpoint.bin")));

        // the same values given explicitly, and more epochs, continue the run
        CliRun ok = cli("train", "--run", dir.toString(), "--resume", "--lr", "0.1", "--batch", "128", "--limit-train", "700",
                "--epochs", "2", "--json");
        assertEquals(0, ok.exitCode(), ok.err());
        JsonNode result = JSON.readTree(ok.out());
        assertEquals(2, result.get("epochs").asInt());
        assertEquals(0.1, result.get("recipe").get("lr").asDouble());
        assertEquals(2, Files.readAllLines(dir.resolve("metrics.jsonl")).size());

        // fewer epochs than the checkpoint's: refused rather than silently ignored
        assertOneLineExitTwo(cli("train", "--run", dir.toString(), "--resume", "--epochs", "1"),
                "--epochs 1 (checkpoint: 2; epochs can only be raised)");
    }
}
