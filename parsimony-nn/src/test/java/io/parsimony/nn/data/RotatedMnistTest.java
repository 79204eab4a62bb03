package io.parsimony.nn.data;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Rotated MNIST built from the real MNIST of {@code shared/datasets/mnist} (skipped without it):
 * the benchmark's sizes, balanced labels that are the source digits' labels, a digit that is
 * really rotated yet keeps its ink, the same bytes for a seed and others for another, and a cache
 * that is rebuilt when its recipe changes.
 */
class RotatedMnistTest {

    private static Path mnist;
    private static ImageSet source;

    @BeforeAll
    static void findMnist() {
        Optional<Path> dir = Installation.shared().map(d -> d.resolve("datasets").resolve("mnist"));
        boolean there = dir.isPresent() && Files.isDirectory(dir.get());
        if (!there) {
            System.err.println("SKIPPED: rotated MNIST tests: no shared/datasets/mnist beside the installation");
        }
        assumeTrue(there, "shared/datasets/mnist is not installed here");
        mnist = dir.get();
        source = IdxReader.read(mnist.resolve("train-images-idx3-ubyte.gz"), mnist.resolve("train-labels-idx1-ubyte.gz"),
                "mnist/train", DataSets.DIGITS);
    }

    private static long ink(byte[] px, int image) {
        long s = 0;
        for (int i = image * 784; i < (image + 1) * 784; i++) {
            s += px[i] & 0xFF;
        }
        return s;
    }

    @Test
    void theBenchmarkIsBuiltCachedWithItsRecipeAndRebuiltWhenTheRecipeDiffers(@TempDir Path cache) throws IOException {
        ImageSet train = RotatedMnist.load(Split.TRAIN, mnist, 7, cache);
        ImageSet test = RotatedMnist.load(Split.TEST, mnist, 7, cache);
        assertEquals(12_000, train.size());
        assertEquals(2_000, train.ownValidation(), "the last 2,000 are the fixed validation digits");
        assertEquals(50_000, test.size());
        assertEquals(List.of(1, 28, 28), List.of(train.channels(), train.height(), train.width()));

        // labels: the source digits' own (train + validation = MNIST train 0..11,999), every class 8..12%
        assertArrayEquals(Arrays.copyOfRange(source.labels(), 0, 12_000), train.labels());
        assertArrayEquals(Arrays.copyOfRange(source.labels(), 12_000, 60_000), Arrays.copyOfRange(test.labels(), 0, 48_000));
        for (ImageSet s : List.of(train, test)) {
            int[] perClass = new int[10];
            Arrays.stream(s.labels()).forEach(l -> perClass[l]++);
            for (int c = 0; c < 10; c++) {
                double share = perClass[c] / (double) s.size();
                assertTrue(share > 0.08 && share < 0.12, s.name() + " class " + c + ": " + share);
            }
        }

        // a rotated digit differs from its source but keeps its ink (bilinear rotation about the centre)
        int changed = 0;
        double inkRatio = 0;
        for (int i = 0; i < 200; i++) {
            byte[] src = Arrays.copyOfRange(source.pixels(), i * 784, (i + 1) * 784);
            byte[] rot = Arrays.copyOfRange(train.pixels(), i * 784, (i + 1) * 784);
            if (!Arrays.equals(src, rot)) {
                changed++;
            }
            double r = ink(train.pixels(), i) / (double) ink(source.pixels(), i);
            assertTrue(r > 0.75 && r < 1.25, "image " + i + " ink ratio " + r);
            inkRatio += r / 200;
        }
        assertEquals(200, changed);
        assertTrue(Math.abs(inkRatio - 1) < 0.05, "mean ink ratio " + inkRatio);

        // the cache holds IDX files and the recipe; loading again reads the same bytes
        Path dir = cache.resolve("mnist-rot-seed7");
        String recipe = Files.readString(dir.resolve(RotatedMnist.RECIPE));
        assertTrue(recipe.contains("seed=7") && recipe.contains("bilinear") && recipe.contains("f68b3c2dcbeaaa9fbdd348bbdeb94873"),
                recipe);
        long built = Files.getLastModifiedTime(dir.resolve("train-images-idx3-ubyte")).toMillis();
        assertArrayEquals(train.pixels(), RotatedMnist.load(Split.TRAIN, mnist, 7, cache).pixels());
        assertEquals(built, Files.getLastModifiedTime(dir.resolve("train-images-idx3-ubyte")).toMillis(), "not rebuilt");

        // a recipe that differs (here: edited interpolation) makes the next load rebuild the files
        Files.writeString(dir.resolve(RotatedMnist.RECIPE), recipe.replace("bilinear", "nearest"));
        Files.write(dir.resolve("train-images-idx3-ubyte"), new byte[] {0, 0, 8, 3});
        assertArrayEquals(train.pixels(), RotatedMnist.load(Split.TRAIN, mnist, 7, cache).pixels());
        assertEquals(recipe, Files.readString(dir.resolve(RotatedMnist.RECIPE)));
    }

    @Test
    void theSameSeedGivesTheSameDigitsAndAnotherSeedOthers() {
        ImageSet mnistTest = IdxReader.read(mnist.resolve("t10k-images-idx3-ubyte.gz"), mnist.resolve("t10k-labels-idx1-ubyte.gz"),
                "mnist/test", DataSets.DIGITS);
        ImageSet[] a = RotatedMnist.generate(source, mnistTest, 1);
        ImageSet[] b = RotatedMnist.generate(source, mnistTest, 1);
        ImageSet[] c = RotatedMnist.generate(source, mnistTest, 2);
        assertArrayEquals(a[0].pixels(), b[0].pixels());
        assertArrayEquals(a[1].pixels(), b[1].pixels());
        assertFalse(Arrays.equals(a[0].pixels(), c[0].pixels()));
        assertFalse(Arrays.equals(a[1].pixels(), c[1].pixels()));
        assertArrayEquals(a[0].labels(), c[0].labels(), "the seed changes angles, not digits");
        // the test split's last 2,000 are MNIST test digits 0..1,999
        assertArrayEquals(Arrays.copyOfRange(mnistTest.labels(), 0, 2_000), Arrays.copyOfRange(a[1].labels(), 48_000, 50_000));
    }

    @Test
    void aQuarterTurnMovesEveryPixelExactlyAndAHalfTurnTwice() {
        byte[] img = new byte[28 * 28];
        for (int i = 0; i < img.length; i++) {
            img[i] = (byte) (i * 37 % 251);
        }
        byte[] quarter = new byte[img.length], half = new byte[img.length], twice = new byte[img.length];
        RotatedMnist.rotate(img, 0, quarter, 0, 28, 28, Math.PI / 2);
        RotatedMnist.rotate(quarter, 0, twice, 0, 28, 28, Math.PI / 2);
        RotatedMnist.rotate(img, 0, half, 0, 28, 28, Math.PI);
        assertArrayEquals(half, twice);
        for (int y = 0; y < 28; y++) {
            for (int x = 0; x < 28; x++) {
                assertEquals(img[y * 28 + x], half[(27 - y) * 28 + (27 - x)]);
            }
        }
        assertNotEquals(Arrays.toString(img), Arrays.toString(quarter));
    }
}
