package io.parsimony.nn.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.ZipException;

/**
 * Reads the IDX format of MNIST and Fashion-MNIST: a big-endian header (magic number, then one int32 per
 * dimension) followed by raw uint8 values. Images are {@code n x rows x cols}, i.e. already NCHW with one
 * channel, so the payload is read straight into the {@link ImageSet} array with no per-pixel work.
 *
 * <p>Files may be gzip-compressed or raw; that is decided by the gzip magic bytes, not by the file name, since
 * mirrors and tools (torchvision, browsers) rename or silently un-gzip files.
 */
public final class IdxReader {

    /** uint8 data, 3 dimensions: n, rows, cols. */
    static final int IMAGES_MAGIC = 0x00000803;
    /** uint8 data, 1 dimension: n. */
    static final int LABELS_MAGIC = 0x00000801;

    /** Bytes allocated before any payload is read; see {@link #readIdx}. */
    private static final int FIRST_ALLOCATION = 1 << 26;

    private IdxReader() {
    }

    /**
     * Reads an images file and its labels file into one set.
     *
     * @param images     {@code *-images-idx3-ubyte[.gz]}
     * @param labels     {@code *-labels-idx1-ubyte[.gz]} of the same split
     * @param name       data-set name for messages and {@link ImageSet#name()}, e.g. "fashion-mnist/train"
     * @param classNames names of the classes; every label must be below its size
     * @throws DataException if a file is missing, not IDX, truncated, corrupt, or the two files do not match
     */
    public static ImageSet read(Path images, Path labels, String name, List<String> classNames) {
        Idx img = readIdx(images, IMAGES_MAGIC, name, "images");
        Idx lab = readIdx(labels, LABELS_MAGIC, name, "labels");
        int n = img.dims[0];
        if (lab.dims[0] != n) {
            throw new DataException(name + ": " + images + " has " + n + " images but " + labels + " has "
                    + lab.dims[0] + " labels; use the images and labels files of the same split");
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = lab.data[i] & 0xFF;
            if (y[i] >= classNames.size()) {
                throw new DataException(name + ": " + labels + " has label " + y[i] + " at item " + i
                        + ", out of range 0.." + (classNames.size() - 1) + " for " + classNames.size()
                        + " classes; is it the right labels file?");
            }
        }
        return new ImageSet(img.data, y, 1, img.dims[1], img.dims[2], classNames, name);
    }

    /** A parsed IDX file: its dimensions and its uint8 payload. */
    private record Idx(int[] dims, byte[] data) {
    }

    private static Idx readIdx(Path file, int magic, String name, String what) {
        DataFiles.requireFile(file, name);
        boolean gzip;
        try {
            gzip = DataFiles.isGzip(file);
        } catch (IOException e) {
            throw new DataException(name + ": " + DataFiles.ioProblem(file, e), e);
        }
        String sizeNote = gzip ? " (uncompressed)" : "";
        int ndims = magic & 0xFF;
        try (InputStream in = DataFiles.open(file, gzip)) {
            byte[] header = new byte[4 + 4 * ndims];
            int got = DataFiles.readFully(in, header, 0, header.length);
            if (got < 4) {
                throw new DataException(name + ": " + file + " is truncated: " + got + " bytes" + sizeNote
                        + ", shorter than an IDX header; re-download or re-install it");
            }
            int actual = readInt(header, 0);
            if (actual != magic) {
                throw new DataException(name + ": " + file + " is not an IDX " + what + " file: magic number "
                        + hex(actual) + ", expected " + hex(magic) + hint(actual, magic));
            }
            if (got < header.length) {
                throw new DataException(name + ": " + file + " is truncated: " + got + " bytes" + sizeNote
                        + ", shorter than its " + header.length + "-byte IDX header; re-download or re-install it");
            }
            int[] dims = new int[ndims];
            long count = 1;
            for (int d = 0; d < ndims; d++) {
                dims[d] = readInt(header, 4 + 4 * d);
                if (dims[d] < 0 || (d > 0 && dims[d] == 0)) {
                    throw new DataException(name + ": " + file + " has an invalid header: dimension " + d + " is "
                            + dims[d] + "; re-download or re-install it");
                }
                count *= dims[d];
            }
            if (count > Integer.MAX_VALUE - 64) {
                throw new DataException(name + ": " + file + " header says " + describe(dims) + " ("
                        + DataException.bytes(count) + " bytes), more than one Java array can hold");
            }
            // Grow towards the promised size as data arrives, so a corrupt header cannot make us allocate
            // gigabytes before we find out the file is short; real files (47 MB) fit the first allocation.
            int cap = (int) Math.min(count, FIRST_ALLOCATION);
            byte[] data = new byte[cap];
            int read = DataFiles.readFully(in, data, 0, cap);
            while (read == cap && cap < count) {
                cap = (int) Math.min(count, 2L * cap);
                data = Arrays.copyOf(data, cap);
                read += DataFiles.readFully(in, data, read, cap - read);
            }
            if (read < count) {
                throw new DataException(name + ": " + file + " is truncated: header says " + describe(dims) + " ("
                        + DataException.bytes(header.length + count) + " bytes) but the file has "
                        + DataException.bytes(header.length + read) + " bytes" + sizeNote
                        + "; re-download or re-install it");
            }
            // Read to the end: this makes GZIPInputStream check the CRC, and catches data past the promised size.
            long extra;
            try {
                extra = in.transferTo(OutputStream.nullOutputStream());
            } catch (EOFException e) {
                throw new DataException(name + ": " + file + " is truncated: the gzip stream ends before its"
                        + " trailer; re-download or re-install it", e);
            }
            if (extra > 0) {
                throw new DataException(name + ": " + file + " has " + DataException.bytes(extra) + " bytes" + sizeNote
                        + " after the " + describe(dims) + " its header promises; the header or the file is wrong,"
                        + " re-download or re-install it");
            }
            return new Idx(dims, data);
        } catch (ZipException e) {
            throw new DataException(name + ": " + file + " is a corrupt gzip file (" + DataException.describe(e)
                    + "); re-download or re-install it", e);
        } catch (EOFException e) {
            throw new DataException(name + ": " + file + " is truncated: the gzip stream ends inside its header;"
                    + " re-download or re-install it", e);
        } catch (IOException e) {
            throw new DataException(name + ": " + DataFiles.ioProblem(file, e), e);
        }
    }

    private static String describe(int[] dims) {
        return dims.length == 1 ? dims[0] + " labels" : dims[0] + " images of " + dims[1] + "x" + dims[2];
    }

    private static String hint(int actual, int expected) {
        if (actual == IMAGES_MAGIC || actual == LABELS_MAGIC) {
            return "; it is an IDX " + (actual == IMAGES_MAGIC ? "images" : "labels")
                    + " file: were the images and labels files swapped?";
        }
        return "; pass the official *-" + (expected == IMAGES_MAGIC ? "images-idx3" : "labels-idx1")
                + "-ubyte(.gz) file";
    }

    private static int readInt(byte[] b, int off) {
        return (b[off] & 0xFF) << 24 | (b[off + 1] & 0xFF) << 16 | (b[off + 2] & 0xFF) << 8 | (b[off + 3] & 0xFF);
    }

    private static String hex(int v) {
        return String.format("0x%08X", v);
    }
}
