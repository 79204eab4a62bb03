package io.parsimony.nn.data;

import static io.parsimony.nn.data.TestData.assertDataError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.parsimony.InputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ImageSetTest {

    /** 3 RGB images of 2x3 (height x width) with pattern pixels; labels 2, 0, 1. */
    private static ImageSet sample() {
        int c = 3, h = 2, w = 3, n = 3;
        byte[] px = new byte[n * c * h * w];
        for (int i = 0; i < n; i++) {
            for (int ch = 0; ch < c; ch++) {
                for (int y = 0; y < h; y++) {
                    for (int x = 0; x < w; x++) {
                        px[((i * c + ch) * h + y) * w + x] = (byte) TestData.pattern(i, ch, y, x);
                    }
                }
            }
        }
        return new ImageSet(px, new int[] {2, 0, 1}, c, h, w, List.of("a", "b", "c"), "sample/train");
    }

    @Test
    void accessorsFollowNchwLayout() {
        ImageSet s = sample();
        assertEquals(3, s.size());
        assertEquals(3, s.classes());
        assertEquals(18, s.imageBytes());
        for (int i = 0; i < 3; i++) {
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 2; y++) {
                    for (int x = 0; x < 3; x++) {
                        assertEquals(TestData.pattern(i, c, y, x), s.pixel(i, c, y, x));
                    }
                }
            }
        }
        assertThrows(IndexOutOfBoundsException.class, () -> s.pixel(0, 0, 2, 0));
        assertThrows(IndexOutOfBoundsException.class, () -> s.pixel(0, 3, 0, 0));
        assertEquals("sample/train (3 images of 3x2x3, 3 classes)", s.toString());
    }

    @Test
    void pixelIsUnsigned() {
        ImageSet s = new ImageSet(new byte[] {(byte) 255, (byte) 128}, new int[] {0, 0}, 1, 1, 1, List.of("x"), "u");
        assertEquals(255, s.pixel(0, 0, 0, 0));
        assertEquals(128, s.pixel(1, 0, 0, 0));
    }

    @Test
    void subsetCopiesImagesInTheGivenOrder() {
        ImageSet s = sample();
        ImageSet sub = s.subset(new int[] {2, 0, 2});
        assertEquals(3, sub.size());
        assertArrayEquals(new int[] {1, 2, 1}, sub.labels());
        for (int c = 0; c < 3; c++) {
            assertEquals(TestData.pattern(2, c, 1, 2), sub.pixel(0, c, 1, 2));
            assertEquals(TestData.pattern(0, c, 1, 2), sub.pixel(1, c, 1, 2));
        }
        sub.pixels()[0] = 0;
        assertEquals(TestData.pattern(2, 0, 0, 0), s.pixel(2, 0, 0, 0), "subset must copy");
        assertThrows(IndexOutOfBoundsException.class, () -> s.subset(new int[] {3}));
    }

    @Test
    void sliceCopiesARange() {
        ImageSet s = sample();
        ImageSet sl = s.slice(1, 3);
        assertEquals(2, sl.size());
        assertArrayEquals(new int[] {0, 1}, sl.labels());
        assertEquals(TestData.pattern(1, 2, 1, 0), sl.pixel(0, 2, 1, 0));
        assertNotSame(s.pixels(), sl.pixels());
        assertEquals(0, s.slice(1, 1).size());
        assertThrows(IndexOutOfBoundsException.class, () -> s.slice(2, 4));
    }

    @Test
    void constructorRejectsInconsistentData() {
        assertDataError(() -> new ImageSet(new byte[5], new int[] {0}, 1, 2, 2, List.of("a"), "bad"),
                "bad", "5 pixel bytes", "expected 4");
        assertDataError(() -> new ImageSet(new byte[4], new int[] {1}, 1, 2, 2, List.of("a"), "bad"),
                "bad", "label 1", "out of range 0..0");
        assertDataError(() -> new ImageSet(new byte[4], new int[] {-1}, 1, 2, 2, List.of("a", "b"), "bad"),
                "label -1");
        assertDataError(() -> new ImageSet(new byte[0], new int[0], 0, 2, 2, List.of("a"), "bad"), "positive");
        assertDataError(() -> new ImageSet(new byte[0], new int[0], 1, 2, 2, List.of(), "bad"), "class");
        // Callers (the CLI) catch the project's base type.
        assertThrows(InputException.class, () -> new ImageSet(new byte[1], new int[0], 1, 1, 1, List.of("a"), "x"));
    }
}
