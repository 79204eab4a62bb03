package io.parsimony.nn.data;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A labelled image set held in memory as one contiguous uint8 array in NCHW order, so it can be handed to a
 * tensor library in one copy and sliced into batches without per-image objects. Image {@code i}, channel
 * {@code c}, row {@code y}, column {@code x} is at {@code ((i*C + c)*H + y)*W + x}.
 *
 * <p>The arrays are shared, not copied (a training set is tens of megabytes): treat them as read-only.
 * {@link #subset} and {@link #slice} return copies. Being a record with array components, {@code equals}
 * compares the arrays by identity.
 *
 * @param pixels     uint8 pixel values (read with {@code & 0xFF}), length {@code size * channels * height * width}
 * @param labels     0-based class index of each image
 * @param channels   1 (grayscale) or 3 (RGB)
 * @param height     rows per image
 * @param width      columns per image
 * @param classNames one name per class; its size is the number of classes
 * @param name       where the set came from, e.g. "fashion-mnist/train", used in messages and reports
 * @param ownValidation how many images at the end are the data set's own validation split (0: none; a
 *                   benchmark such as rotated MNIST fixes it, so runs must not draw their own); copies
 *                   made by {@link #subset} and {@link #slice} have none
 */
public record ImageSet(byte[] pixels, int[] labels, int channels, int height, int width, List<String> classNames,
                       String name, int ownValidation) {

    /** A set without a validation split of its own. */
    public ImageSet(byte[] pixels, int[] labels, int channels, int height, int width, List<String> classNames, String name) {
        this(pixels, labels, channels, height, width, classNames, name, 0);
    }

    public ImageSet {
        Objects.requireNonNull(pixels, "pixels");
        Objects.requireNonNull(labels, "labels");
        Objects.requireNonNull(classNames, "classNames");
        name = name == null ? "images" : name;
        classNames = List.copyOf(classNames);
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new DataException(name + ": image shape " + channels + "x" + height + "x" + width
                    + " (channels x height x width) must be positive");
        }
        if (classNames.isEmpty()) {
            throw new DataException(name + ": no class names given; a labelled set needs at least one class");
        }
        if (ownValidation < 0 || ownValidation > labels.length) {
            throw new DataException(name + ": " + ownValidation + " validation images of " + labels.length);
        }
        long expected = (long) labels.length * channels * height * width;
        if (pixels.length != expected) {
            throw new DataException(name + ": " + DataException.bytes(pixels.length) + " pixel bytes for "
                    + labels.length + " images of " + channels + "x" + height + "x" + width + " (expected "
                    + DataException.bytes(expected) + ")");
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= classNames.size()) {
                throw new DataException(name + ": label " + labels[i] + " of image " + i + " is out of range 0.."
                        + (classNames.size() - 1) + " (" + classNames.size() + " classes)");
            }
        }
    }

    /** Number of images. */
    public int size() {
        return labels.length;
    }

    /** Number of classes (labels are in {@code 0..classes()-1}). */
    public int classes() {
        return classNames.size();
    }

    /** Bytes per image: {@code channels * height * width}. */
    public int imageBytes() {
        return channels * height * width;
    }

    /** The pixel at image {@code i}, channel {@code c}, row {@code y}, column {@code x}, as 0..255. */
    public int pixel(int i, int c, int y, int x) {
        Objects.checkIndex(i, size());
        Objects.checkIndex(c, channels);
        Objects.checkIndex(y, height);
        Objects.checkIndex(x, width);
        return pixels[((i * channels + c) * height + y) * width + x] & 0xFF;
    }

    /** A copy holding the given images in the given order (repeats allowed), e.g. for a shuffled or balanced split. */
    public ImageSet subset(int[] indices) {
        int n = imageBytes();
        byte[] p = new byte[Math.multiplyExact(indices.length, n)];
        int[] l = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = Objects.checkIndex(indices[k], size());
            System.arraycopy(pixels, i * n, p, k * n, n);
            l[k] = labels[i];
        }
        return new ImageSet(p, l, channels, height, width, classNames, name);
    }

    /** A copy of images {@code from} (inclusive) to {@code to} (exclusive). */
    public ImageSet slice(int from, int to) {
        Objects.checkFromToIndex(from, to, size());
        int n = imageBytes();
        return new ImageSet(Arrays.copyOfRange(pixels, from * n, to * n), Arrays.copyOfRange(labels, from, to),
                channels, height, width, classNames, name);
    }

    @Override
    public String toString() {
        return name + " (" + size() + " images of " + channels + "x" + height + "x" + width + ", " + classes()
                + " classes)";
    }
}
