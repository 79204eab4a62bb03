package io.parsimony.experiment.ebcle;

import io.parsimony.nn.data.DataSets;
import io.parsimony.nn.data.SharedData;
import io.parsimony.nn.data.Split;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Seed 003's entropy figures of the real CIFAR-10 and MNIST training sets (all 50,000 / 60,000
 * images), as {@link DatasetEntropy} computes them from the loaded set, against a computation
 * written here from the raw files (CIFAR-10 binary batches, MNIST IDX) with another formula:
 * each image's pixels are sorted and counted in runs, and H = log2 N − (1/N) Σ c·log2 c.
 * Without {@code shared/datasets} beside the installation the tests are skipped with one line.
 */
class RealDataEntropyTest {

    private static Path cache;

    @BeforeAll
    static void privateCache() throws IOException {
        cache = SharedData.privateCache();
    }

    @AfterAll
    static void restoreCache() {
        SharedData.restoreCache();
    }

    private static Path shared(String set) {
        return SharedData.folder(set, "entropy tests");
    }

    /** Figures of a set computed here: per-image entropy mean and population std, and the pooled set entropy. */
    private record Figures(int images, double mean, double std, double set) {
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    /** Entropy in bits of one image's values, by sorting a copy and counting its runs of equal values. */
    private static double entropyBySorting(byte[] image, long[] setCounts) {
        byte[] v = image.clone();
        Arrays.sort(v);
        double sumClogC = 0;
        int run = 1;
        for (int i = 1; i <= v.length; i++) {
            if (i < v.length && v[i] == v[i - 1]) {
                run++;
            } else {
                sumClogC += run * log2(run);
                setCounts[v[i - 1] & 0xFF] += run;
                run = 1;
            }
        }
        return log2(v.length) - sumClogC / v.length;
    }

    private static Figures figures(List<byte[]> images) {
        long[] setCounts = new long[256];
        double[] h = images.stream().mapToDouble(img -> entropyBySorting(img, setCounts)).toArray();
        double mean = Arrays.stream(h).average().orElseThrow();
        double var = Arrays.stream(h).map(x -> (x - mean) * (x - mean)).sum() / h.length;
        long n = Arrays.stream(setCounts).sum();
        double set = log2(n) - Arrays.stream(setCounts).filter(c -> c > 0).mapToDouble(c -> c * log2(c)).sum() / n;
        return new Figures(h.length, mean, Math.sqrt(var), set);
    }

    private static void assertSame(Figures expected, DatasetEntropy e) {
        assertEquals(expected.images(), e.images());
        assertEquals(expected.mean(), e.meanImageEntropy(), 1e-9, "mean per-image entropy");
        assertEquals(expected.std(), e.stdImageEntropy(), 1e-6, "std of per-image entropy");
        assertEquals(expected.set(), e.setEntropy(), 1e-9, "entropy of the whole set");
    }

    @Test
    void cifar10TrainingSetEntropyMatchesTheRawBatches() throws IOException {
        Path dir = shared("cifar10");
        List<byte[]> images = new ArrayList<>();
        for (int b = 1; b <= 5; b++) {
            try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(
                    Files.newInputStream(dir.resolve("data_batch_" + b + ".bin")), 1 << 16))) {
                for (int i = 0; i < 10_000; i++) {
                    in.readUnsignedByte();   // label
                    byte[] img = new byte[3 * 32 * 32];
                    in.readFully(img);
                    images.add(img);
                }
            }
        }
        Figures expected = figures(images);
        DatasetEntropy e = DatasetEntropy.of(DataSets.load("cifar10", Split.TRAIN));
        assertEquals(50_000, expected.images());
        assertSame(expected, e);
        // a natural colour photo spreads over most of the 256 levels: well above MNIST's, below the 8-bit maximum
        assertTrue(e.meanImageEntropy() > 6 && e.meanImageEntropy() < 8, "CIFAR-10 H = " + e.meanImageEntropy());
    }

    @Test
    void mnistTrainingSetEntropyMatchesTheRawIdxFile() throws IOException {
        Path dir = shared("mnist");
        List<byte[]> images = new ArrayList<>();
        try (InputStream raw = new GZIPInputStream(Files.newInputStream(dir.resolve("train-images-idx3-ubyte.gz")), 1 << 16);
             DataInputStream in = new DataInputStream(raw)) {
            assertEquals(2051, in.readInt(), "IDX magic of an image file");
            int n = in.readInt(), rows = in.readInt(), cols = in.readInt();
            for (int i = 0; i < n; i++) {
                byte[] img = new byte[rows * cols];
                in.readFully(img);
                images.add(img);
            }
        }
        Figures expected = figures(images);
        DatasetEntropy e = DatasetEntropy.of(DataSets.load("mnist", Split.TRAIN));
        assertEquals(60_000, expected.images());
        assertSame(expected, e);
        // mostly black background with white strokes: a few bits at most
        assertTrue(e.meanImageEntropy() > 0.5 && e.meanImageEntropy() < 3, "MNIST H = " + e.meanImageEntropy());
    }
}
