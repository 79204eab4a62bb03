package io.parsimony.nn.train;

import io.parsimony.InputException;
import io.parsimony.nn.data.Augmentation;
import io.parsimony.nn.data.ImageSet;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DataSplitsTest {

    /** n one-pixel images whose pixel value is the image's index, so a split shows which images it took. */
    private static ImageSet numbered(int n) {
        byte[] px = new byte[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            px[i] = (byte) i;
            labels[i] = i % 3;
        }
        return new ImageSet(px, labels, 1, 1, 1, Collections.nCopies(3, "c"), "numbered");
    }

    private static TrainingRecipe recipe(double valFraction, int trainLimit, int testLimit, long seed) {
        return new TrainingRecipe(OptimizerKind.SGD, 0.1, 0.9, 0, LrSchedule.CONSTANT, 8, 1, seed, Augmentation.NONE,
                valFraction, trainLimit, testLimit, "cpu", 0);
    }

    private static Set<Integer> ids(ImageSet s) {
        Set<Integer> ids = new HashSet<>();
        for (byte b : s.pixels()) {
            ids.add(b & 0xFF);
        }
        return ids;
    }

    @Test
    void aSetWithItsOwnValidationDigitsValidatesOnExactlyThose() {
        ImageSet n = numbered(100);
        ImageSet own = new ImageSet(n.pixels(), n.labels(), 1, 1, 1, n.classNames(), "own", 20);
        for (long seed : new long[] {1, 2}) {
            DataSplits s = DataSplits.of(own, numbered(50), recipe(0.3, 0, 0, seed));
            assertEquals(Set.copyOf(java.util.stream.IntStream.range(80, 100).boxed().toList()), ids(s.validation()));
            assertEquals(80, s.train().size(), "the fraction is not used: the set fixes its validation images");
            assertTrue(ids(s.train()).stream().allMatch(i -> i < 80));
        }
        DataSplits limited = DataSplits.of(own, null, recipe(0.1, 30, 0, 1));
        assertEquals(30, limited.train().size());
        assertEquals(20, limited.validation().size());
        DataSplits all = DataSplits.of(own, null, recipe(0, 0, 0, 1));
        assertEquals(100, all.train().size(), "--val-fraction 0 trains on train and validation images");
        assertNull(all.validation());
    }

    @Test
    void limitsThenASeededDisjointValidationShare() {
        DataSplits a = DataSplits.of(numbered(200), numbered(50), recipe(0.1, 100, 30, 7));
        assertEquals(90, a.train().size());
        assertEquals(10, a.validation().size());
        assertEquals(30, a.test().size());
        Set<Integer> all = ids(a.train());
        all.addAll(ids(a.validation()));
        assertEquals(100, all.size(), "train and validation partition the first 100 images");
        assertTrue(all.stream().allMatch(i -> i < 100));

        DataSplits again = DataSplits.of(numbered(200), numbered(50), recipe(0.1, 100, 30, 7));
        assertArrayEquals(a.validation().pixels(), again.validation().pixels(), "same seed, same split (resume)");
        DataSplits other = DataSplits.of(numbered(200), numbered(50), recipe(0.1, 100, 30, 8));
        assertTrue(!Arrays.equals(a.validation().pixels(), other.validation().pixels()), "another seed, another split");
    }

    @Test
    void noValidationWhenTheFractionIsZero() {
        DataSplits s = DataSplits.of(numbered(20), numbered(5), recipe(0, 0, 0, 0));
        assertNull(s.validation());
        assertEquals(20, s.train().size());
    }

    @Test
    void emptyTrainingOrValidationSplitsAreRefusedNamingTheSizes() {
        var noTrain = assertThrows(InputException.class, () -> DataSplits.of(numbered(100), numbered(5), recipe(0.9, 5, 0, 0)));
        assertTrue(noTrain.getMessage().contains("--val-fraction 0.9 of 5 training images holds out 5"), noTrain.getMessage());
        var noVal = assertThrows(InputException.class, () -> DataSplits.of(numbered(4), numbered(5), recipe(0.1, 0, 0, 0)));
        assertTrue(noVal.getMessage().contains("holds out none"), noVal.getMessage());
        // 0.1 of 5 rounds to 1: the smallest set that still validates
        assertEquals(1, DataSplits.of(numbered(5), numbered(5), recipe(0.1, 0, 0, 0)).validation().size());
    }
}
