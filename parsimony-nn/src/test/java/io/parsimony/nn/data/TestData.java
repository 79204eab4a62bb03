package io.parsimony.nn.data;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.function.Executable;

/** Writers for tiny files in the official formats, and the one-line-error assertion every reader test uses. */
final class TestData {

    private TestData() {
    }

    /** Asserts a {@link DataException} whose message is one line and contains each of {@code parts}. */
    static DataException assertDataError(Executable call, String... parts) {
        DataException e = assertThrows(DataException.class, call);
        String m = e.getMessage();
        assertFalse(m.contains("\n") || m.contains("\r"), () -> "message must be one line: " + m);
        for (String part : parts) {
            assertTrue(m.contains(part), () -> "message should contain '" + part + "': " + m);
        }
        return e;
    }

    /** An IDX3 images file: magic 0x803, n, rows, cols (big-endian), then the pixels. */
    static byte[] idxImages(int n, int rows, int cols, byte[] pixels) {
        ByteBuffer b = ByteBuffer.allocate(16 + pixels.length);
        b.putInt(0x00000803).putInt(n).putInt(rows).putInt(cols).put(pixels);
        return b.array();
    }

    /** An IDX1 labels file: magic 0x801, n, then one byte per label. */
    static byte[] idxLabels(int... labels) {
        ByteBuffer b = ByteBuffer.allocate(8 + labels.length);
        b.putInt(0x00000801).putInt(labels.length);
        for (int l : labels) {
            b.put((byte) l);
        }
        return b.array();
    }

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return out.toByteArray();
    }

    static Path write(Path file, byte[] data) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        return Files.write(file, data);
    }

    /** A deterministic, position-dependent pixel value so that any misplaced byte is noticed. */
    static int pattern(int i, int c, int y, int x) {
        return (i * 97 + c * 61 + y * 13 + x * 7 + 11) & 0xFF;
    }

    /**
     * Writes a tiny MNIST-style set (gzip) into {@code dir}: {@code n} images of 3x4 for each of train and t10k,
     * labels {@code i % 10}.
     */
    static void writeTinyIdxSet(Path dir, int n) throws IOException {
        for (String prefix : new String[] {"train", "t10k"}) {
            byte[] px = new byte[n * 12];
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) {
                labels[i] = i % 10;
                for (int y = 0; y < 3; y++) {
                    for (int x = 0; x < 4; x++) {
                        px[i * 12 + y * 4 + x] = (byte) pattern(i, 0, y, x);
                    }
                }
            }
            write(dir.resolve(prefix + "-images-idx3-ubyte.gz"), gzip(idxImages(n, 3, 4, px)));
            write(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), gzip(idxLabels(labels)));
        }
    }
}
