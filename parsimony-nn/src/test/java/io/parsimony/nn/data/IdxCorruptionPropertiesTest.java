package io.parsimony.nn.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Damaged files must never escape as anything but a one-line {@link DataException} naming the file (no
 * ZipException, EOFException, NegativeArraySizeException or OutOfMemoryError), and a damage that does not
 * change the data (e.g. in the gzip header's timestamp) must read the same pixels.
 */
class IdxCorruptionPropertiesTest {

    static Path dir;
    static byte[] gz;
    static byte[] pixels;
    static Path labels;

    @BeforeContainer
    static void setUp() throws IOException {
        dir = Files.createTempDirectory("idx-props");
        pixels = new byte[20 * 7 * 6];
        new Random(7).nextBytes(pixels);
        gz = TestData.gzip(TestData.idxImages(20, 7, 6, pixels));
        int[] l = new int[20];
        Arrays.setAll(l, i -> i % 10);
        labels = TestData.write(dir.resolve("labels"), TestData.idxLabels(l));
    }

    @AfterContainer
    static void tearDown() throws IOException {
        try (var s = Files.walk(dir)) {
            s.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 150)
    void anyTruncationIsADataException(@ForAll @IntRange(min = 0, max = 10_000) int cut) throws IOException {
        Path f = TestData.write(dir.resolve("cut-" + cut + ".gz"), Arrays.copyOf(gz, cut % gz.length));
        expectDataError(f);
    }

    @Property(tries = 300)
    void anyByteFlipIsADataExceptionOrHarmless(@ForAll @IntRange(min = 0, max = 100_000) int at,
                                                @ForAll @IntRange(min = 1, max = 255) int xor) throws IOException {
        byte[] bad = gz.clone();
        bad[at % bad.length] ^= (byte) xor;
        Path f = TestData.write(dir.resolve("flip-" + at + "-" + xor + ".gz"), bad);
        ImageSet s;
        try {
            s = IdxReader.read(f, labels, "prop", DataSets.DIGITS);
        } catch (DataException e) {
            checkMessage(e, f);
            return;
        }
        assertArrayEquals(pixels, s.pixels(), "a damaged file read without error must give the original pixels");
    }

    private static void expectDataError(Path f) {
        try {
            IdxReader.read(f, labels, "prop", DataSets.DIGITS);
        } catch (DataException e) {
            checkMessage(e, f);
            return;
        }
        throw new AssertionError("no error for " + f);
    }

    private static void checkMessage(DataException e, Path f) {
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    }
}
