package io.parsimony.nn.bench;

import io.parsimony.nn.data.Augmentation;
import io.parsimony.nn.data.BatchLoader;
import io.parsimony.nn.data.ImageSet;
import io.parsimony.nn.data.Normalization;

import java.util.List;
import java.util.Random;

/** Images/s the batch loader delivers on its own (normalise, optionally augment), to compare with a training step's. */
public final class LoaderBench {

    private LoaderBench() {
    }

    /** Seconds and images/s of {@code epochs} timed epochs after one untimed warm-up epoch. */
    public record Timing(double seconds, double imagesPerSecond) {
    }

    /** Times {@code epochs} epochs of {@code set} through a loader of this batch size and augmentation, after a warm-up epoch. */
    public static Timing time(ImageSet set, Normalization norm, Augmentation augmentation, int batch, int epochs) {
        double s = seconds(new BatchLoader(set, norm, augmentation, batch), epochs);
        return new Timing(s, epochs * (double) set.size() / s);
    }

    /** Images/s the loader alone delivers for CIFAR-shaped random data (20,000 images) with crop 4 and flip. */
    public static double syntheticImagesPerSecond(int batch) {
        int n = 20_000;
        byte[] px = new byte[n * 3 * 32 * 32];
        new Random(1).nextBytes(px);
        ImageSet set = new ImageSet(px, new int[n], 3, 32, 32, List.of("x"), "synthetic");
        BatchLoader loader = new BatchLoader(set, Normalization.of(set), new Augmentation(4, true), batch);
        return 2.0 * n / seconds(loader, 2);
    }

    /** Drains epoch 0 untimed, then times epochs 1..{@code epochs}. */
    private static double seconds(BatchLoader loader, int epochs) {
        drain(loader, 0);
        long t0 = System.nanoTime();
        for (int e = 1; e <= epochs; e++) {
            drain(loader, e);
        }
        return (System.nanoTime() - t0) / 1e9;
    }

    private static void drain(BatchLoader loader, int epoch) {
        try (BatchLoader.Epoch ep = loader.epoch(0, epoch)) {
            while (ep.hasNext()) {
                ep.next();
            }
        }
    }
}
