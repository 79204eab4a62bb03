package io.parsimony.cli;

import io.parsimony.nn.data.Installation;
import io.parsimony.nn.data.OfficialChecksums;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A named set whose file is not the official one stops a command with one line naming the file, exit 2. */
class CorruptDataCliTest {

    @Test
    void aCorruptedCifarBatchIsOneLineAndExitTwo(@TempDir Path tmp) throws Exception {
        Path real = Installation.shared().map(d -> d.resolve("datasets/cifar10")).orElse(null);
        if (real == null || !Files.isDirectory(real)) {
            System.err.println("SKIPPED: corrupt-CIFAR CLI test: no shared/datasets/cifar10 beside the installation");
        }
        assumeTrue(real != null && Files.isDirectory(real), "shared/datasets/cifar10 is not installed here");
        // an installation of our own: <tmp>/parsimony (home) beside <tmp>/shared/datasets/cifar10 (one batch corrupt)
        Path copy = Files.createDirectories(tmp.resolve("shared/datasets/cifar10"));
        Files.createDirectories(tmp.resolve("parsimony"));
        for (String f : List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_4.bin", "data_batch_5.bin",
                "test_batch.bin", "batches.meta.txt")) {
            Files.createSymbolicLink(copy.resolve(f), real.resolve(f));
        }
        byte[] batch = Files.readAllBytes(real.resolve("data_batch_3.bin"));
        batch[20_000] ^= 0x40;
        Files.write(copy.resolve("data_batch_3.bin"), batch);
        String home = System.getProperty(Installation.HOME_PROPERTY);
        System.setProperty(Installation.HOME_PROPERTY, tmp.resolve("parsimony").toString());
        System.setProperty(OfficialChecksums.CACHE_PROPERTY, tmp.resolve("cache").toString());
        try {
            CliRun r = CliRun.of("ebcle", "--data", "cifar10");
            assertEquals(2, r.exitCode(), r.out() + r.err());
            assertEquals(1, r.err().lines().count(), r.err());
            assertTrue(r.err().startsWith("parsimony: error: ") && r.err().contains("data_batch_3.bin")
                    && r.err().contains("942cd6a4bcdd0dd3c604fbe906cb4421"), r.err());
        } finally {
            if (home == null) {
                System.clearProperty(Installation.HOME_PROPERTY);
            } else {
                System.setProperty(Installation.HOME_PROPERTY, home);
            }
            System.clearProperty(OfficialChecksums.CACHE_PROPERTY);
        }
    }
}
