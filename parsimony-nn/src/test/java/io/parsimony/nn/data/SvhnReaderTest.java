package io.parsimony.nn.data;

import static io.parsimony.nn.data.TestData.assertDataError;
import static io.parsimony.nn.data.TestData.write;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.MatlabType;
import us.hebi.matlab.mat.types.Matrix;
import us.hebi.matlab.mat.types.Sink;
import us.hebi.matlab.mat.types.Sinks;

class SvhnReaderTest {

    @TempDir
    Path tmp;

    /**
     * X as SVHN format 2 stores it: uint8 32x32x3xN, indexed X(row, col, channel, image) in MATLAB's column-major
     * order. Pixels follow {@link TestData#pattern}; image 1 gets R=200, G=100, B=50 at row 3, column 17, and
     * different values at row 17, column 3, so a missed transposition fails.
     */
    static Matrix svhnX(int n) {
        Matrix x = Mat5.newMatrix(new int[] {32, 32, 3, n}, MatlabType.UInt8);
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < 3; c++) {
                for (int row = 0; row < 32; row++) {
                    for (int col = 0; col < 32; col++) {
                        x.setLong(new int[] {row, col, c, i}, TestData.pattern(i, c, row, col));
                    }
                }
            }
        }
        if (n > 1) {
            int[] rgb = {200, 100, 50};
            for (int c = 0; c < 3; c++) {
                x.setLong(new int[] {3, 17, c, 1}, rgb[c]);
                x.setLong(new int[] {17, 3, c, 1}, rgb[c] + 1);
            }
        }
        return x;
    }

    static Matrix column(MatlabType type, double... values) {
        Matrix y = Mat5.newMatrix(values.length, 1, type);
        for (int i = 0; i < values.length; i++) {
            y.setDouble(i, values[i]);
        }
        return y;
    }

    static Path writeMat(Path file, boolean compress, String n1, Matrix a1, String n2, Matrix a2) throws IOException {
        MatFile mat = Mat5.newMatFile().addArray(n1, a1);
        if (n2 != null) {
            mat.addArray(n2, a2);
        }
        try (Sink sink = Sinks.newStreamingFile(file.toFile())) {
            Mat5.newWriter(sink).setDeflateLevel(compress ? Deflater.DEFAULT_COMPRESSION : Deflater.NO_COMPRESSION)
                    .writeMat(mat);
        }
        return file;
    }

    @Test
    void readsFormat2WithLabelTenAsDigitZero() throws IOException {
        for (boolean compress : new boolean[] {true, false}) {
            Path f = writeMat(tmp.resolve("train_32x32-" + compress + ".mat"), compress,
                    "X", svhnX(3), "y", column(MatlabType.Double, 10, 3, 1));
            ImageSet s = SvhnReader.read(f, "svhn/train");
            assertEquals(3, s.size());
            assertEquals(3, s.channels());
            assertEquals(32, s.height());
            assertEquals(32, s.width());
            assertEquals(10, s.classes());
            assertArrayEquals(new int[] {0, 3, 1}, s.labels(), "label 10 means digit 0");
            assertEquals("0", s.classNames().get(0));
            assertEquals(200, s.pixel(1, 0, 3, 17));
            assertEquals(100, s.pixel(1, 1, 3, 17));
            assertEquals(50, s.pixel(1, 2, 3, 17));
            assertEquals(201, s.pixel(1, 0, 17, 3));
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
    }

    @Test
    void uint8LabelsAndSingleImageFiles() throws IOException {
        // One image: MATLAB drops the trailing singleton, so X is 32x32x3.
        Matrix x = Mat5.newMatrix(new int[] {32, 32, 3}, MatlabType.UInt8);
        x.setLong(new int[] {31, 0, 2}, 255);
        Path f = writeMat(tmp.resolve("one.mat"), true, "X", x, "y", column(MatlabType.UInt8, 7));
        ImageSet s = SvhnReader.read(f, "svhn/test");
        assertEquals(1, s.size());
        assertEquals(7, s.labels()[0]);
        assertEquals(255, s.pixel(0, 2, 31, 0));
        assertEquals(0, s.pixel(0, 2, 0, 31));
    }

    @Test
    void labelOutOfRange() throws IOException {
        for (double bad : new double[] {11, 0, 2.5}) {
            Path f = writeMat(tmp.resolve("bad-labels.mat"), true, "X", svhnX(2), "y",
                    column(MatlabType.Double, 1, bad));
            assertDataError(() -> SvhnReader.read(f, "svhn/train"), "bad-labels.mat", "label", "image 1", "1..10");
        }
    }

    @Test
    void truncatedOrCorruptFile() throws IOException {
        for (boolean compress : new boolean[] {true, false}) {
            Path f = writeMat(tmp.resolve("full.mat"), compress, "X", svhnX(4), "y",
                    column(MatlabType.Double, 1, 2, 3, 4));
            byte[] bytes = Files.readAllBytes(f);
            Path cut = write(tmp.resolve("cut-" + compress + ".mat"), Arrays.copyOf(bytes, bytes.length / 2));
            assertDataError(() -> SvhnReader.read(cut, "svhn/train"), "cut-" + compress + ".mat", "truncated",
                    "re-download");
        }
        Path f = writeMat(tmp.resolve("full.mat"), true, "X", svhnX(4), "y", column(MatlabType.Double, 1, 2, 3, 4));
        byte[] bytes = Files.readAllBytes(f);
        for (int k = 200; k < 400; k++) {
            bytes[k] ^= (byte) 0xA5; // inside the compressed X
        }
        Path corrupt = write(tmp.resolve("corrupt.mat"), bytes);
        assertDataError(() -> SvhnReader.read(corrupt, "svhn/train"), "corrupt.mat", "is corrupt");
        Path tiny = write(tmp.resolve("tiny.mat"), "MATLAB 5.0".getBytes(StandardCharsets.US_ASCII));
        assertDataError(() -> SvhnReader.read(tiny, "svhn/train"), "tiny.mat", "truncated");
    }

    @Test
    void matV73IsRejectedWithAClearMessage() throws IOException {
        byte[] h = new byte[1024];
        byte[] text = "MATLAB 7.3 MAT-file, Platform: GLNXA64, Created on: Mon Jan  1 00:00:00 2024 HDF5 schema 1.00 ."
                .getBytes(StandardCharsets.US_ASCII);
        Arrays.fill(h, 0, 116, (byte) ' ');
        System.arraycopy(text, 0, h, 0, text.length);
        h[124] = 0;
        h[125] = 2;
        h[126] = 'I';
        h[127] = 'M';
        byte[] hdf5 = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
        System.arraycopy(hdf5, 0, h, 512, 8);
        Path f = write(tmp.resolve("train_32x32.mat"), h);
        assertDataError(() -> SvhnReader.read(f, "svhn/train"), "train_32x32.mat", "MAT v7.3 (HDF5)", "not supported");
        Path notMat = write(tmp.resolve("test_32x32.mat"), new byte[300]);
        assertDataError(() -> SvhnReader.read(notMat, "svhn/test"), "test_32x32.mat", "not a MATLAB v5");
    }

    @Test
    void missingVariableOrWrongShape() throws IOException {
        Path noY = writeMat(tmp.resolve("no-y.mat"), true, "X", svhnX(2), null, null);
        assertDataError(() -> SvhnReader.read(noY, "svhn/train"), "no-y.mat", "no variable 'y'");

        Matrix gray = Mat5.newMatrix(new int[] {32, 32, 1, 2}, MatlabType.UInt8);
        Path oneChannel = writeMat(tmp.resolve("gray.mat"), true, "X", gray, "y", column(MatlabType.Double, 1, 2));
        assertDataError(() -> SvhnReader.read(oneChannel, "svhn/train"), "gray.mat", "variable X", "32x32x3xN");

        Matrix doubles = Mat5.newMatrix(new int[] {32, 32, 3, 2}, MatlabType.Double);
        Path wrongType = writeMat(tmp.resolve("double.mat"), true, "X", doubles, "y", column(MatlabType.Double, 1, 2));
        assertDataError(() -> SvhnReader.read(wrongType, "svhn/train"), "double.mat", "uint8");

        Path count = writeMat(tmp.resolve("count.mat"), true, "X", svhnX(2), "y", column(MatlabType.Double, 1, 2, 3));
        assertDataError(() -> SvhnReader.read(count, "svhn/train"), "count.mat", "variable y", "2 images");
    }

    @Test
    void missingFile() {
        assertDataError(() -> SvhnReader.read(tmp.resolve("extra_32x32.mat"), "svhn"), "extra_32x32.mat",
                "does not exist");
    }
}
