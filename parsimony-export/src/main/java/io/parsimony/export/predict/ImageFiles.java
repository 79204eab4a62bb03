package io.parsimony.export.predict;

import io.parsimony.InputException;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Image files as a network's input, prepared exactly as the training images were: the 8-bit
 * pixel values divided by 255 (the network's first nodes standardise them with the training
 * mean and deviation). There is no resizing and no colour conversion, because training did
 * neither: an image must already have the network's height × width and its channel count
 * (grey for a 1-channel network, RGB for a 3-channel one); an alpha channel is ignored.
 * Anything else is refused with one line naming the file and what it should be.
 */
public final class ImageFiles {

    private static final List<String> EXTENSIONS = List.of(".png", ".jpg", ".jpeg", ".bmp", ".gif");

    private ImageFiles() {
    }

    /** The files named, with each folder replaced by its image files in name order. */
    public static List<Path> expand(List<Path> args) {
        List<Path> out = new ArrayList<>();
        for (Path p : args) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    List<Path> images = s.filter(f -> Files.isRegularFile(f) && isImage(f)).sorted().toList();
                    if (images.isEmpty()) {
                        throw new InputException("no image files (" + String.join(", ", EXTENSIONS) + ") in " + p);
                    }
                    out.addAll(images);
                } catch (IOException e) {
                    throw new InputException("cannot list " + p + ": " + e.getMessage());
                }
            } else if (Files.isRegularFile(p)) {
                out.add(p);
            } else {
                throw new InputException("no image file or folder at " + p);
            }
        }
        return out;
    }

    private static boolean isImage(Path f) {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        return EXTENSIONS.stream().anyMatch(n::endsWith);
    }

    /** Pixels / 255 of {@code file}, C×H×W, refusing an image of another size or channel count. */
    public static float[] read(Path file, int channels, int height, int width) {
        BufferedImage img;
        try {
            img = ImageIO.read(file.toFile());
        } catch (IOException | RuntimeException e) {
            throw new InputException(file + " is not a readable image (" + e.getMessage() + ")");
        }
        if (img == null) {
            throw new InputException(file + " is not an image this program reads (PNG, JPEG, BMP or GIF)");
        }
        if (img.getHeight() != height || img.getWidth() != width) {
            throw new InputException(file + " is " + img.getWidth() + "x" + img.getHeight() + " pixels but the network takes "
                    + width + "x" + height + "; resize it as the training images were");
        }
        int colours = img.getColorModel().getNumColorComponents();
        boolean palette = img.getColorModel() instanceof java.awt.image.IndexColorModel;
        if (colours != channels && !(palette && channels == 3)) {
            throw new InputException(file + " has " + colours + " colour channel" + (colours == 1 ? "" : "s")
                    + " but the network takes " + channels + (channels == 1 ? " (grey)" : " (RGB)")
                    + "; convert it as the training images were");
        }
        float[] x = new float[channels * height * width];
        int plane = height * width;
        if (channels == 1) {
            Raster r = img.getRaster();
            int bits = img.getColorModel().getComponentSize(0);
            if (bits != 8) {
                throw new InputException(file + " has " + bits + "-bit grey pixels; the network was trained on 8-bit images");
            }
            for (int y = 0; y < height; y++) {
                for (int c = 0; c < width; c++) {
                    x[y * width + c] = r.getSample(c, y, 0) / 255f;
                }
            }
            return x;
        }
        for (int y = 0; y < height; y++) {
            for (int c = 0; c < width; c++) {
                int rgb = img.getRGB(c, y);
                x[y * width + c] = ((rgb >> 16) & 0xFF) / 255f;
                x[plane + y * width + c] = ((rgb >> 8) & 0xFF) / 255f;
                x[2 * plane + y * width + c] = (rgb & 0xFF) / 255f;
            }
        }
        return x;
    }
}
