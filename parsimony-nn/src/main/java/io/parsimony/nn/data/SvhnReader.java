package io.parsimony.nn.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import us.hebi.matlab.mat.format.Mat5;
import us.hebi.matlab.mat.format.Mat5File;
import us.hebi.matlab.mat.types.Array;
import us.hebi.matlab.mat.types.MatFile;
import us.hebi.matlab.mat.types.MatlabType;
import us.hebi.matlab.mat.types.Matrix;

/**
 * Reads SVHN "format 2" (cropped digits) MATLAB files, {@code train_32x32.mat} and {@code test_32x32.mat}:
 * {@code X} is uint8 {@code 32x32x3xN} and {@code y} is {@code Nx1} with labels 1..10, where 10 stands for the
 * digit 0 (a MATLAB 1-based convention); labels are mapped to 0..9 so that class {@code k} is digit {@code k}.
 *
 * <p>MATLAB stores arrays column-major, so {@code X(row, col, channel, i)} is at
 * {@code row + H*(col + W*(channel + C*i))}: each channel plane is transposed relative to NCHW and is
 * transposed back here. The MAT v5 container (compression, tags) is parsed by the mfl-core library rather
 * than by hand; MAT v7.3 files are HDF5 and are rejected with a clear message.
 */
public final class SvhnReader {

    /** Class k is digit k after the 10 -> 0 mapping. */
    static final List<String> CLASS_NAMES = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");

    private SvhnReader() {
    }

    /**
     * Reads one SVHN format-2 file.
     *
     * @throws DataException if the file is missing, not MAT v5 (e.g. v7.3), truncated or corrupt, lacks
     *                       {@code X}/{@code y}, or has unexpected shapes or labels
     */
    public static ImageSet read(Path matFile, String name) {
        DataFiles.requireFile(matFile, name);
        checkHeader(matFile, name);
        Mat5File mat;
        try {
            mat = Mat5.readFromFile(matFile.toFile());
        } catch (IOException | RuntimeException e) {
            String problem = endsEarly(e) ? "is truncated (it ends inside a variable)"
                    : "is corrupt (" + DataException.describe(e) + ")";
            throw new DataException(name + ": " + matFile + " " + problem + "; re-download it", e);
        }
        try (mat) {
            Matrix x = numeric(mat, "X", matFile, name);
            Matrix y = numeric(mat, "y", matFile, name);
            return convert(x, y, matFile, name);
        } catch (IOException e) {
            throw new DataException(name + ": " + DataFiles.ioProblem(matFile, e), e);
        }
    }

    /** Rejects v7.3 (HDF5) and non-MAT files before the library sees them, so the user gets a useful message. */
    private static void checkHeader(Path file, String name) {
        // MAT v5 and v7.3 both start with a 128-byte text header; v7.3 has the HDF5 signature at offset 512.
        byte[] header = new byte[520];
        int got;
        try (InputStream in = Files.newInputStream(file)) {
            got = DataFiles.readFully(in, header, 0, header.length);
        } catch (IOException e) {
            throw new DataException(name + ": " + DataFiles.ioProblem(file, e), e);
        }
        String text = new String(header, 0, Math.min(got, 116), StandardCharsets.ISO_8859_1);
        boolean hdf5Signature = got >= 520 && Arrays.equals(header, 512, 520,
                new byte[] {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'}, 0, 8);
        if (text.startsWith("MATLAB 7.3") || hdf5Signature) {
            throw new DataException(name + ": " + file + " is a MAT v7.3 (HDF5) file, which is not supported; use"
                    + " the official SVHN format-2 files (MAT v5) or re-save it with MATLAB save -v7 or scipy.io.savemat");
        }
        if (got < 128) {
            throw new DataException(name + ": " + file + " is truncated: " + got
                    + " bytes, shorter than a MAT file header; re-download it");
        }
        String endian = new String(header, 126, 2, StandardCharsets.ISO_8859_1);
        if (!endian.equals("IM") && !endian.equals("MI")) {
            throw new DataException(name + ": " + file + " is not a MATLAB v5 .mat file (no MAT header); use the"
                    + " official SVHN format-2 files train_32x32.mat / test_32x32.mat");
        }
    }

    private static Matrix numeric(MatFile mat, String variable, Path file, String name) {
        Array array = null;
        for (MatFile.Entry e : mat.getEntries()) {
            if (e.getName().equals(variable)) {
                array = e.getValue();
                break;
            }
        }
        if (array == null) {
            throw new DataException(name + ": " + file + " has no variable '" + variable + "'; an SVHN format-2 file"
                    + " holds X (32x32x3xN uint8) and y (Nx1 labels)");
        }
        if (!(array instanceof Matrix matrix) || matrix.isComplex() || matrix.isLogical()) {
            throw new DataException(name + ": " + file + " variable '" + variable + "' is " + array.getType()
                    + ", expected a real numeric array");
        }
        return matrix;
    }

    private static ImageSet convert(Matrix x, Matrix y, Path file, String name) {
        int[] d = x.getDimensions();
        // MATLAB drops trailing singleton dimensions, so a one-image file has X of 32x32x3.
        int h = d[0];
        int w = d.length > 1 ? d[1] : 1;
        int c = d.length > 2 ? d[2] : 1;
        int n = d.length > 3 ? d[3] : 1;
        boolean extraDims = false;
        for (int k = 4; k < d.length; k++) {
            extraDims |= d[k] != 1;
        }
        if (x.getType() != MatlabType.UInt8 || c != 3 || extraDims) {
            throw new DataException(name + ": " + file + " variable X is " + x.getType() + " " + shape(d)
                    + ", expected uint8 HxWx3xN (32x32x3xN in SVHN format 2)");
        }
        int[] yd = y.getDimensions();
        boolean column = yd.length == 2 && (yd[1] == 1 || yd[0] == 1);
        if (!column || y.getNumElements() != n) {
            throw new DataException(name + ": " + file + " variable y is " + shape(yd) + " but X holds " + n
                    + " images; expected y of " + n + "x1");
        }
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            double v = y.getDouble(i);
            if (v != Math.rint(v) || v < 1 || v > 10) {
                throw new DataException(name + ": " + file + " has label " + format(v) + " for image " + i
                        + ", out of range 1..10 (10 = digit 0) of SVHN format 2");
            }
            labels[i] = (int) v % 10;
        }
        int plane = h * w;
        if ((long) n * c * plane > Integer.MAX_VALUE - 64) {
            throw new DataException(name + ": " + file + " holds " + n + " images, more than one Java array can hold");
        }
        byte[] pixels = new byte[n * c * plane];
        // Source plane p (= i*C + channel) is column-major: element (row, col) at p*plane + col*h + row.
        for (int p = 0, base = 0; p < n * c; p++, base += plane) {
            for (int col = 0; col < w; col++) {
                int src = base + col * h;
                for (int row = 0; row < h; row++) {
                    pixels[base + row * w + col] = (byte) x.getLong(src + row);
                }
            }
        }
        return new ImageSet(pixels, labels, c, h, w, CLASS_NAMES, name);
    }

    /** True if the failure, or one of its causes, is running out of data: the usual sign of a cut download. */
    private static boolean endsEarly(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.EOFException || t instanceof java.nio.BufferUnderflowException) {
                return true;
            }
        }
        return false;
    }

    private static String shape(int[] dims) {
        StringBuilder s = new StringBuilder();
        for (int k = 0; k < dims.length; k++) {
            s.append(k == 0 ? "" : "x").append(dims[k]);
        }
        return s.toString();
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }
}
