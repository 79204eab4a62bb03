package io.parsimony.nn.data;

import static io.parsimony.nn.data.TestData.assertDataError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {

    static final int W = 5;
    static final int H = 4;

    @TempDir
    Path tmp;

    /** An RGB image (width 5, height 4) with pattern pixels for image index {@code i}. */
    static BufferedImage rgb(int i) {
        BufferedImage img = new BufferedImage(W, H, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < H; y++) {
            for (int x = 0; x < W; x++) {
                int r = TestData.pattern(i, 0, y, x);
                int g = TestData.pattern(i, 1, y, x);
                int b = TestData.pattern(i, 2, y, x);
                img.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        return img;
    }

    /** An 8-bit grayscale image whose values are written to the raster directly (no colour conversion). */
    static BufferedImage gray(int i, int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.getRaster().setSample(x, y, 0, TestData.pattern(i, 0, y, x));
            }
        }
        return img;
    }

    static Path png(Path file, BufferedImage img) throws IOException {
        Files.createDirectories(file.getParent());
        assertTrue(ImageIO.write(img, "png", file.toFile()));
        return file;
    }

    @Test
    void rgbImagesInSortedClassFolders() throws IOException {
        // Created in non-sorted order; classes are indexed by sorted folder name.
        png(tmp.resolve("zebra/b.png"), rgb(2));
        png(tmp.resolve("ant/a.png"), rgb(0));
        png(tmp.resolve("ant/sub/c.PNG"), rgb(1)); // nested and upper-case extension
        BufferedImage marked = rgb(3);
        marked.setRGB(3, 1, 200 << 16 | 100 << 8 | 50); // x=3, y=1
        png(tmp.resolve("zebra/a.png"), marked);
        Files.writeString(tmp.resolve("zebra/notes.txt"), "ignored");
        Files.createDirectories(tmp.resolve(".hidden"));
        png(tmp.resolve("ant/.ipynb_checkpoints/a.png"), gray(0, 9, 9)); // hidden: would fail the size check

        ImageSet s = ImageFolderReader.read(tmp, "folder/train");
        assertEquals(List.of("ant", "zebra"), s.classNames());
        assertEquals(4, s.size());
        assertEquals(3, s.channels());
        assertEquals(H, s.height());
        assertEquals(W, s.width());
        // Files sorted by path within each class: ant/a.png, ant/sub/c.PNG, zebra/a.png, zebra/b.png.
        assertArrayEquals(new int[] {0, 0, 1, 1}, s.labels());
        assertEquals(200, s.pixel(2, 0, 1, 3));
        assertEquals(100, s.pixel(2, 1, 1, 3));
        assertEquals(50, s.pixel(2, 2, 1, 3));
        int[] source = {0, 1, 3, 2};
        for (int i = 0; i < 4; i++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < H; y++) {
                    for (int x = 0; x < W; x++) {
                        if (i == 2 && y == 1 && x == 3) {
                            continue;
                        }
                        assertEquals(TestData.pattern(source[i], c, y, x), s.pixel(i, c, y, x),
                                "image " + i + " c" + c + " y" + y + " x" + x);
                    }
                }
            }
        }
    }

    @Test
    void allGrayscaleGivesOneChannelWithExactValues() throws IOException {
        png(tmp.resolve("a/1.png"), gray(0, W, H));
        png(tmp.resolve("b/1.png"), gray(1, W, H));
        ImageSet s = ImageFolderReader.read(tmp, "g");
        assertEquals(1, s.channels());
        for (int i = 0; i < 2; i++) {
            for (int y = 0; y < H; y++) {
                for (int x = 0; x < W; x++) {
                    assertEquals(TestData.pattern(i, 0, y, x), s.pixel(i, 0, y, x));
                }
            }
        }
    }

    @Test
    void mixedGrayAndColourGivesRgb() throws IOException {
        png(tmp.resolve("a/gray.png"), gray(0, W, H));
        png(tmp.resolve("b/rgb.png"), rgb(1));
        ImageSet s = ImageFolderReader.read(tmp, "mixed");
        assertEquals(3, s.channels());
        for (int c = 0; c < 3; c++) {
            assertEquals(TestData.pattern(0, 0, 2, 4), s.pixel(0, c, 2, 4), "gray is repeated in R, G and B");
            assertEquals(TestData.pattern(1, c, 2, 4), s.pixel(1, c, 2, 4));
        }
    }

    @Test
    void otherFormatsAreRead() throws IOException {
        Files.createDirectories(tmp.resolve("x"));
        assertTrue(ImageIO.write(rgb(0), "bmp", tmp.resolve("x/1.bmp").toFile()));
        assertTrue(ImageIO.write(rgb(0), "jpg", tmp.resolve("x/2.jpeg").toFile()));
        ImageSet s = ImageFolderReader.read(tmp, "formats");
        assertEquals(2, s.size());
        assertEquals(TestData.pattern(0, 1, 3, 2), s.pixel(0, 1, 3, 2)); // bmp is lossless
    }

    @Test
    void differentSizesNameTheFileAndBothSizes() throws IOException {
        png(tmp.resolve("a/1.png"), gray(0, W, H));
        Path odd = png(tmp.resolve("b/odd.png"), gray(0, 7, 3));
        assertDataError(() -> ImageFolderReader.read(tmp, "sizes"),
                "sizes: " + odd + " is 7x3 but " + tmp.resolve("a/1.png") + " is 5x4");
    }

    @Test
    void emptyOrMissingRoot() throws IOException {
        assertDataError(() -> ImageFolderReader.read(tmp, "empty"), "empty", tmp.toString(), "no class sub-folders");
        Files.createDirectories(tmp.resolve("cat"));
        Files.writeString(tmp.resolve("cat/readme.txt"), "no images here");
        assertDataError(() -> ImageFolderReader.read(tmp, "noimg"), tmp.toString(), "no images");
        assertDataError(() -> ImageFolderReader.read(tmp.resolve("nope"), "x"), "nope", "does not exist");
    }

    @Test
    void undecodableImage() throws IOException {
        png(tmp.resolve("a/1.png"), gray(0, W, H));
        Files.writeString(tmp.resolve("a/broken.png"), "this is not a png");
        assertDataError(() -> ImageFolderReader.read(tmp, "bad"), "broken.png");
    }
}
