package io.parsimony.nn.data;

import static io.parsimony.nn.data.TestData.assertDataError;
import static io.parsimony.nn.data.TestData.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {

    static final List<String> CIFAR10_NAMES = List.of("airplane", "automobile", "bird", "cat", "deer", "dog", "frog",
            "horse", "ship", "truck");

    @TempDir
    Path tmp;

    /**
     * Official record layout: label byte(s), then 1024 red, 1024 green, 1024 blue bytes, each plane row-major.
     * Pixels follow {@link TestData#pattern} with image index {@code first + r}; image 1 additionally gets a
     * marker pixel R=200, G=100, B=50 at row 2, column 5 (and different values at row 5, column 2).
     */
    static byte[] records(int first, int[][] labelBytes) {
        int rec = labelBytes[0].length + 3072;
        byte[] out = new byte[labelBytes.length * rec];
        for (int r = 0; r < labelBytes.length; r++) {
            int off = r * rec;
            for (int k = 0; k < labelBytes[r].length; k++) {
                out[off++] = (byte) labelBytes[r][k];
            }
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        out[off + c * 1024 + y * 32 + x] = (byte) TestData.pattern(first + r, c, y, x);
                    }
                }
            }
            if (first + r == 1) {
                int[] rgb = {200, 100, 50};
                for (int c = 0; c < 3; c++) {
                    out[off + c * 1024 + 2 * 32 + 5] = (byte) rgb[c];
                    out[off + c * 1024 + 5 * 32 + 2] = (byte) (rgb[c] + 1);
                }
            }
        }
        return out;
    }

    @Test
    void cifar10PixelsLandInNchwOrder() throws IOException {
        Path b1 = write(tmp.resolve("data_batch_1.bin"), records(0, new int[][] {{3}, {7}}));
        Path b2 = write(tmp.resolve("data_batch_2.bin"), records(2, new int[][] {{9}}));
        ImageSet s = CifarReader.read10(List.of(b1, b2), "cifar10/train");
        assertEquals(3, s.size());
        assertEquals(3, s.channels());
        assertEquals(32, s.height());
        assertEquals(32, s.width());
        assertArrayEquals(new int[] {3, 7, 9}, s.labels());
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), s.classNames());
        // The marker: distinct R, G, B at (row 2, col 5); a transposed or interleaved read would fail here.
        assertEquals(200, s.pixel(1, 0, 2, 5));
        assertEquals(100, s.pixel(1, 1, 2, 5));
        assertEquals(50, s.pixel(1, 2, 2, 5));
        assertEquals(201, s.pixel(1, 0, 5, 2));
        assertEquals(200, s.pixels()[((1 * 3 + 0) * 32 + 2) * 32 + 5] & 0xFF);
        for (int i : new int[] {0, 2}) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 32; y++) {
                    for (int x = 0; x < 32; x++) {
                        assertEquals(TestData.pattern(i, c, y, x), s.pixel(i, c, y, x));
                    }
                }
            }
        }
    }

    @Test
    void cifar10ClassNamesFromBatchesMeta() throws IOException {
        Path b = write(tmp.resolve("test_batch.bin"), records(0, new int[][] {{1}}));
        Files.writeString(tmp.resolve("batches.meta.txt"), String.join("\n", CIFAR10_NAMES) + "\n\n\n");
        ImageSet s = CifarReader.read10(List.of(b), "cifar10/test");
        assertEquals(CIFAR10_NAMES, s.classNames());
        assertEquals("automobile", s.classNames().get(s.labels()[0]));

        Files.writeString(tmp.resolve("batches.meta.txt"), "cat\ndog\n");
        assertDataError(() -> CifarReader.read10(List.of(b), "cifar10/test"),
                "batches.meta.txt", "2 class names", "expected 10");
    }

    @Test
    void cifar100FineAndCoarseLabels() throws IOException {
        Path f = write(tmp.resolve("train.bin"), records(0, new int[][] {{4, 77}, {19, 99}, {0, 0}}));
        ImageSet fine = CifarReader.read100(f, true, "cifar100/train");
        ImageSet coarse = CifarReader.read100(f, false, "cifar100/train");
        assertEquals(100, fine.classes());
        assertEquals(20, coarse.classes());
        assertArrayEquals(new int[] {77, 99, 0}, fine.labels());
        assertArrayEquals(new int[] {4, 19, 0}, coarse.labels());
        assertEquals(200, fine.pixel(1, 0, 2, 5));
        assertEquals(100, fine.pixel(1, 1, 2, 5));
        assertEquals(50, fine.pixel(1, 2, 2, 5));
        assertArrayEquals(fine.pixels(), coarse.pixels());
        assertEquals(TestData.pattern(2, 2, 31, 30), fine.pixel(2, 2, 31, 30));
        assertEquals("99", fine.classNames().get(99));

        String[] fineNames = new String[100];
        Arrays.setAll(fineNames, k -> "fine" + k);
        Files.writeString(tmp.resolve("fine_label_names.txt"), String.join("\n", fineNames) + "\n");
        String[] coarseNames = new String[20];
        Arrays.setAll(coarseNames, k -> "coarse" + k);
        Files.writeString(tmp.resolve("coarse_label_names.txt"), String.join("\n", coarseNames) + "\n");
        assertEquals("fine77", CifarReader.read100(f, true, "c").classNames().get(77));
        assertEquals("coarse4", CifarReader.read100(f, false, "c").classNames().get(4));
    }

    @Test
    void truncatedFile() throws IOException {
        byte[] full = records(0, new int[][] {{1}, {2}});
        Path b = write(tmp.resolve("data_batch_3.bin"), Arrays.copyOf(full, full.length - 10));
        assertDataError(() -> CifarReader.read10(List.of(b), "cifar10/train"),
                "cifar10/train: " + b + " is truncated", "6,136 bytes", "3,073-byte");
        byte[] c100 = records(0, new int[][] {{1, 2}});
        Path t = write(tmp.resolve("test.bin"), Arrays.copyOf(c100, 3073));
        assertDataError(() -> CifarReader.read100(t, true, "cifar100/test"), "test.bin", "truncated", "3,074-byte");
        Path empty = write(tmp.resolve("empty.bin"), new byte[0]);
        assertDataError(() -> CifarReader.read10(List.of(empty), "c"), "empty.bin", "empty");
    }

    @Test
    void labelOutOfRange() throws IOException {
        Path b = write(tmp.resolve("data_batch_4.bin"), records(0, new int[][] {{1}, {10}}));
        assertDataError(() -> CifarReader.read10(List.of(b), "cifar10/train"),
                "data_batch_4.bin", "label 10", "record 1", "0..9");
        Path f = write(tmp.resolve("train.bin"), records(0, new int[][] {{20, 5}}));
        assertDataError(() -> CifarReader.read100(f, false, "cifar100/train"), "train.bin", "label 20", "0..19");
        Path g = write(tmp.resolve("test.bin"), records(0, new int[][] {{2, 100}}));
        assertDataError(() -> CifarReader.read100(g, true, "cifar100/test"), "test.bin", "label 100", "0..99");
        assertNotEquals(0, CifarReader.read100(g, false, "coarse is fine").labels()[0]);
    }

    @Test
    void gzippedArchiveIsRejectedWithAHint() throws IOException {
        Path gz = write(tmp.resolve("cifar-10-binary.tar.gz"), TestData.gzip(new byte[3073]));
        assertDataError(() -> CifarReader.read10(List.of(gz), "c"), "cifar-10-binary.tar.gz", "gzip", "tar xzf");
    }

    @Test
    void missingFile() {
        Path nope = tmp.resolve("data_batch_5.bin");
        assertDataError(() -> CifarReader.read10(List.of(nope), "c"), "data_batch_5.bin", "does not exist");
        assertDataError(() -> CifarReader.read10(List.of(), "c"), "no CIFAR-10 batch files");
    }
}
