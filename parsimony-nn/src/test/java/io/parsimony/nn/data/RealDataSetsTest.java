package io.parsimony.nn.data;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The papers' own data as the installation ships it ({@code shared/datasets}: CIFAR-10 binary batches,
 * MNIST): read through the named-set path, checked against figures published with the data sets (sizes,
 * images per class) and against the raw file bytes read here independently. Without the folder these
 * tests are skipped with one line saying so.
 */
class RealDataSetsTest {

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
        return SharedData.folder(set, "tests");
    }

    @Test
    void cifar10IsReadWithItsPublishedShapeClassCountsAndBytes() throws IOException {
        Path dir = shared("cifar10");
        ImageSet train = DataSets.load("cifar10", Split.TRAIN);
        ImageSet test = DataSets.load("cifar10", Split.TEST);
        assertEquals(50_000, train.size());
        assertEquals(10_000, test.size());
        assertEquals(List.of(3, 32, 32), List.of(train.channels(), train.height(), train.width()));
        assertEquals(List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"),
                train.classNames());
        long[] perClassTrain = new long[10], perClassTest = new long[10];
        Arrays.stream(train.labels()).forEach(l -> perClassTrain[l]++);
        Arrays.stream(test.labels()).forEach(l -> perClassTest[l]++);
        long[] fiveThousand = new long[10], oneThousand = new long[10];
        Arrays.fill(fiveThousand, 5_000);
        Arrays.fill(oneThousand, 1_000);
        assertArrayEquals(fiveThousand, perClassTrain, "the README of the data: 5,000 training images per class");
        assertArrayEquals(oneThousand, perClassTest, "1,000 test images per class");
        // record 0 of data_batch_1.bin: one label byte, then the R, G and B planes (3,072 bytes)
        byte[] raw = new byte[1 + 3072];
        try (InputStream in = Files.newInputStream(dir.resolve("data_batch_1.bin"))) {
            new DataInputStream(in).readFully(raw);
        }
        assertEquals(raw[0], train.labels()[0]);
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 32; y++) {
                for (int x = 0; x < 32; x++) {
                    assertEquals(raw[1 + c * 1024 + y * 32 + x] & 0xFF, train.pixel(0, c, y, x), "pixel " + c + "," + y + "," + x);
                }
            }
        }
    }

    @Test
    void mnistIsReadWithItsPublishedClassCountsAndBytes() throws IOException {
        Path dir = shared("mnist");
        ImageSet train = DataSets.load("mnist", Split.TRAIN);
        ImageSet test = DataSets.load("mnist", Split.TEST);
        assertEquals(List.of(60_000, 10_000), List.of(train.size(), test.size()));
        assertEquals(List.of(1, 28, 28), List.of(train.channels(), train.height(), train.width()));
        long[] perClassTrain = new long[10], perClassTest = new long[10];
        Arrays.stream(train.labels()).forEach(l -> perClassTrain[l]++);
        Arrays.stream(test.labels()).forEach(l -> perClassTest[l]++);
        // MNIST's well-known class frequencies
        assertArrayEquals(new long[] {5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949}, perClassTrain);
        assertArrayEquals(new long[] {980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009}, perClassTest);
        byte[] first = new byte[16 + 784];
        try (DataInputStream in = new DataInputStream(new GZIPInputStream(Files.newInputStream(dir.resolve("train-images-idx3-ubyte.gz"))))) {
            in.readFully(first);
        }
        for (int i = 0; i < 784; i++) {
            assertEquals(first[16 + i] & 0xFF, train.pixel(0, 0, i / 28, i % 28), "pixel " + i);
        }
    }

    /** One flipped pixel byte passes every structural check; the official MD5 catches it and names the file. */
    @Test
    void aCorruptedCopyOfABatchIsRefusedNamingTheFile(@TempDir Path tmp) throws IOException {
        Path dir = shared("cifar10");
        Path copy = Files.createDirectories(tmp.resolve("cifar10"));
        for (String f : List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin", "batches.meta.txt")) {
            Files.createSymbolicLink(copy.resolve(f), dir.resolve(f));
        }
        byte[] test = Files.readAllBytes(dir.resolve("test_batch.bin"));
        test[1 + 500] ^= 1;   // a pixel of the first test image
        Files.write(copy.resolve("test_batch.bin"), test);
        DataException e = assertThrows(DataException.class, () -> DataSets.load("cifar10", Split.TEST, List.of(tmp)));
        assertTrue(e.getMessage().contains("test_batch.bin") && e.getMessage().contains("803d5f7f4d78ea53de84dbe85f74fb6d"),
                e.getMessage());
        assertTrue(!e.getMessage().contains("\n"));
        // the verified originals are remembered by size and time, the corrupt copy is not taken for one of them
        Properties remembered = new Properties();
        try (InputStream in = Files.newInputStream(cache.resolve("parsimony/verified-files.properties"))) {
            remembered.load(in);
        }
        assertTrue(remembered.getProperty(copy.resolve("data_batch_1.bin").toAbsolutePath().normalize().toString(), "")
                .endsWith(OfficialChecksums.md5("cifar10", "data_batch_1.bin")), remembered.toString());
        assertTrue(remembered.getProperty(copy.resolve("test_batch.bin").toAbsolutePath().normalize().toString(), "")
                .endsWith(OfficialChecksums.md5Of(copy.resolve("test_batch.bin"))), "the copy's own hash is cached");
        // same size, new content and time: hashed again, refused again
        Files.write(copy.resolve("test_batch.bin"), Files.readAllBytes(dir.resolve("test_batch.bin")));
        assertEquals(10_000, DataSets.load("cifar10", Split.TEST, List.of(tmp)).size(), "restored copy reads");
    }
}
