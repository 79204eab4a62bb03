package io.parsimony.nn.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Reads a folder of images laid out like torchvision's {@code ImageFolder}: one sub-folder per class, the
 * classes indexed in sorted folder-name order (so {@code train/} and {@code test/} with the same folders get
 * the same indices), images anywhere below each class folder in png/jpg/jpeg/bmp/gif.
 *
 * <p>All images must have the same size, because an {@link ImageSet} is one fixed-shape array; resizing is
 * left to the user, who knows how it should be done. Grayscale images give one channel only if every image is
 * grayscale, so a mixed folder still yields a consistent 3-channel set.
 */
public final class ImageFolderReader {

    static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "gif");

    private ImageFolderReader() {
    }

    /**
     * Reads every image under {@code root/<class>/}.
     *
     * @throws DataException if root is missing, has no class folders or no images, an image cannot be decoded,
     *                       or the images differ in size
     */
    public static ImageSet read(Path root, String name) {
        if (!Files.isDirectory(root)) {
            throw new DataException(name + ": " + root + (Files.exists(root) ? " is not a directory" : " does not exist")
                    + "; an image folder holds one sub-folder of images per class");
        }
        List<Path> classDirs;
        try (Stream<Path> s = Files.list(root)) {
            classDirs = s.filter(Files::isDirectory).filter(p -> !hidden(p)).sorted(
                    (a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString())).toList();
        } catch (IOException e) {
            throw new DataException(name + ": " + DataFiles.ioProblem(root, e), e);
        }
        if (classDirs.isEmpty()) {
            throw new DataException(name + ": " + root + " has no class sub-folders; put the images of each class"
                    + " in its own sub-folder, e.g. " + root.resolve("cat") + "/1.png");
        }
        List<String> classNames = new ArrayList<>();
        List<Decoded> images = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        Decoded first = null;
        for (int c = 0; c < classDirs.size(); c++) {
            Path dir = classDirs.get(c);
            classNames.add(dir.getFileName().toString());
            for (Path file : imageFiles(dir, name)) {
                Decoded img = decode(file, name);
                if (first == null) {
                    first = img;
                } else if (img.height != first.height || img.width != first.width) {
                    throw new DataException(name + ": " + file + " is " + img.width + "x" + img.height + " but "
                            + first.file + " is " + first.width + "x" + first.height + " (width x height); all images"
                            + " must have the same size, resize them first");
                }
                images.add(img);
                labels.add(c);
            }
        }
        if (images.isEmpty()) {
            throw new DataException(name + ": " + root + " has class folders but no images ("
                    + String.join("/", EXTENSIONS.stream().sorted().toList()) + ")");
        }
        boolean gray = images.stream().allMatch(i -> i.channels == 1);
        int channels = gray ? 1 : 3;
        int h = first.height;
        int w = first.width;
        int plane = h * w;
        int imageBytes = channels * plane;
        if ((long) images.size() * imageBytes > Integer.MAX_VALUE - 64) {
            throw new DataException(name + ": " + root + " holds " + images.size() + " images of " + w + "x" + h
                    + ", more than one Java array can hold");
        }
        byte[] pixels = new byte[images.size() * imageBytes];
        int[] y = new int[images.size()];
        for (int i = 0; i < images.size(); i++) {
            Decoded img = images.get(i);
            for (int c = 0; c < channels; c++) {
                // A grayscale image in a colour set is repeated into R, G and B.
                int src = img.channels == 1 ? 0 : c * plane;
                System.arraycopy(img.pixels, src, pixels, i * imageBytes + c * plane, plane);
            }
            y[i] = labels.get(i);
        }
        return new ImageSet(pixels, y, channels, h, w, classNames, name);
    }

    /** One decoded image in CHW order with 1 (gray) or 3 (RGB) channels. */
    private record Decoded(Path file, byte[] pixels, int channels, int height, int width) {
    }

    private static List<Path> imageFiles(Path dir, String name) {
        try (Stream<Path> s = Files.walk(dir)) {
            // Skip hidden files and anything under hidden folders (.ipynb_checkpoints, .thumbnails, ...).
            return s.filter(Files::isRegularFile).filter(p -> !hiddenBelow(dir, p)).filter(ImageFolderReader::isImage)
                    .sorted().toList();
        } catch (IOException | java.io.UncheckedIOException e) {
            throw new DataException(name + ": " + dir + " could not be listed (" + DataException.describe(e) + ")", e);
        }
    }

    private static boolean isImage(Path p) {
        String f = p.getFileName().toString();
        int dot = f.lastIndexOf('.');
        return dot > 0 && EXTENSIONS.contains(f.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static boolean hiddenBelow(Path dir, Path p) {
        for (Path part : dir.relativize(p)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    private static Decoded decode(Path file, String name) {
        BufferedImage image;
        try {
            image = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new DataException(name + ": " + file + " could not be decoded (" + DataException.describe(e)
                    + "); fix or remove it", e);
        }
        if (image == null) {
            throw new DataException(name + ": " + file + " is not an image ImageIO can read; fix or remove it");
        }
        int w = image.getWidth();
        int h = image.getHeight();
        int plane = w * h;
        if (image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
            // Read the raster, not getRGB(): getRGB converts linear gray to sRGB and so changes the values.
            Raster raster = image.getRaster();
            int bits = image.getColorModel().getComponentSize(0);
            int max = (1 << bits) - 1;
            byte[] p = new byte[plane];
            int[] row = new int[w];
            for (int yy = 0; yy < h; yy++) {
                raster.getSamples(0, yy, w, 1, 0, row);
                for (int xx = 0; xx < w; xx++) {
                    p[yy * w + xx] = (byte) (bits == 8 ? row[xx] : Math.round(row[xx] * 255.0 / max));
                }
            }
            return new Decoded(file, p, 1, h, w);
        }
        byte[] p = new byte[3 * plane];
        int[] row = new int[w];
        for (int yy = 0; yy < h; yy++) {
            image.getRGB(0, yy, w, 1, row, 0, w);
            for (int xx = 0; xx < w; xx++) {
                int argb = row[xx];
                int at = yy * w + xx;
                p[at] = (byte) (argb >> 16);
                p[plane + at] = (byte) (argb >> 8);
                p[2 * plane + at] = (byte) argb;
            }
        }
        return new Decoded(file, p, 3, h, w);
    }
}
