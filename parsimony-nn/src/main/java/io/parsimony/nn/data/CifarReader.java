package io.parsimony.nn.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the CIFAR-10 and CIFAR-100 "binary version" files. Each record is the label byte(s) followed by 3072
 * pixel bytes: the 32x32 red plane, then green, then blue, each row-major. That is already CHW, so pixels are
 * read straight into the {@link ImageSet} array.
 *
 * <p>The format has no header, so the only integrity checks possible are the file length (a whole number of
 * records) and the label range; both are made, because a truncated download otherwise yields garbage images.
 */
public final class CifarReader {

    /** CIFAR images are 32x32 RGB. */
    static final int SIDE = 32;
    static final int CHANNELS = 3;
    static final int IMAGE_BYTES = CHANNELS * SIDE * SIDE;

    private CifarReader() {
    }

    /**
     * Reads CIFAR-10 binary batches ({@code data_batch_1.bin}..{@code data_batch_5.bin} for training,
     * {@code test_batch.bin} for testing), in the given order. Class names come from {@code batches.meta.txt}
     * next to the first file if it is there, else "0".."9".
     */
    public static ImageSet read10(List<Path> files, String name) {
        if (files.isEmpty()) {
            throw new DataException(name + ": no CIFAR-10 batch files given");
        }
        List<String> classNames = classNames(files.get(0), "batches.meta.txt", 10, name);
        return read(files, 1, 0, classNames, name, "CIFAR-10");
    }

    /**
     * Reads a CIFAR-100 binary file ({@code train.bin} or {@code test.bin}).
     *
     * @param fine true for the 100 fine labels, false for the 20 coarse super-classes; names come from
     *             {@code fine_label_names.txt} / {@code coarse_label_names.txt} next to the file if present
     */
    public static ImageSet read100(Path file, boolean fine, String name) {
        int classes = fine ? 100 : 20;
        List<String> classNames = classNames(file, fine ? "fine_label_names.txt" : "coarse_label_names.txt",
                classes, name);
        return read(List.of(file), 2, fine ? 1 : 0, classNames, name, "CIFAR-100");
    }

    private static ImageSet read(List<Path> files, int labelBytes, int labelIndex, List<String> classNames,
                                 String name, String format) {
        int record = labelBytes + IMAGE_BYTES;
        long total = 0;
        long[] counts = new long[files.size()];
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            DataFiles.requireFile(file, name);
            long size;
            try {
                if (DataFiles.isGzip(file)) {
                    throw new DataException(name + ": " + file + " is gzip-compressed, not a " + format
                            + " binary file; extract the official archive (tar xzf ...-binary.tar.gz) and use the"
                            + " .bin files inside");
                }
                size = Files.size(file);
            } catch (IOException e) {
                throw new DataException(name + ": " + DataFiles.ioProblem(file, e), e);
            }
            if (size == 0) {
                throw new DataException(name + ": " + file + " is empty; re-download it");
            }
            if (size % record != 0) {
                throw new DataException(name + ": " + file + " is truncated: " + DataException.bytes(size)
                        + " bytes is not a whole number of " + DataException.bytes(record) + "-byte " + format
                        + " records (" + labelBytes + " label byte" + (labelBytes > 1 ? "s" : "") + " + 32x32x3"
                        + " pixels); re-download it");
            }
            counts[f] = size / record;
            total += counts[f];
        }
        if (total * IMAGE_BYTES > Integer.MAX_VALUE - 64) {
            throw new DataException(name + ": " + total + " images are more than one Java array can hold;"
                    + " read fewer files at once");
        }
        byte[] pixels = new byte[(int) (total * IMAGE_BYTES)];
        int[] labels = new int[(int) total];
        byte[] label = new byte[labelBytes];
        int i = 0;
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            try (InputStream in = DataFiles.open(file, false)) {
                for (long r = 0; r < counts[f]; r++, i++) {
                    if (DataFiles.readFully(in, label, 0, labelBytes) < labelBytes
                            || DataFiles.readFully(in, pixels, i * IMAGE_BYTES, IMAGE_BYTES) < IMAGE_BYTES) {
                        throw new DataException(name + ": " + file + " is truncated: it ended at record " + r
                                + " while being read (did it change meanwhile?); re-download it");
                    }
                    labels[i] = label[labelIndex] & 0xFF;
                    if (labels[i] >= classNames.size()) {
                        throw new DataException(name + ": " + file + " has label " + labels[i] + " in record " + r
                                + ", out of range 0.." + (classNames.size() - 1) + "; is it really a " + format
                                + " file" + (format.equals("CIFAR-10") ? " (CIFAR-100 files have 2 label bytes)" : "")
                                + "?");
                    }
                }
            } catch (IOException e) {
                throw new DataException(name + ": " + DataFiles.ioProblem(file, e), e);
            }
        }
        return new ImageSet(pixels, labels, CHANNELS, SIDE, SIDE, classNames, name);
    }

    /** Names from the official meta text file next to {@code dataFile} (one per line), else "0", "1", ... */
    private static List<String> classNames(Path dataFile, String metaName, int classes, String name) {
        Path parent = dataFile.toAbsolutePath().getParent();
        Path meta = parent == null ? null : parent.resolve(metaName);
        List<String> names = new ArrayList<>();
        if (meta != null && Files.isRegularFile(meta)) {
            try {
                for (String line : Files.readAllLines(meta, StandardCharsets.UTF_8)) {
                    if (!line.isBlank()) {
                        names.add(line.strip());
                    }
                }
            } catch (IOException e) {
                throw new DataException(name + ": " + DataFiles.ioProblem(meta, e), e);
            }
            if (names.size() != classes) {
                throw new DataException(name + ": " + meta + " lists " + names.size() + " class names, expected "
                        + classes + "; restore the official file or delete it to use numbers as names");
            }
            return names;
        }
        for (int c = 0; c < classes; c++) {
            names.add(Integer.toString(c));
        }
        return names;
    }
}
