package io.parsimony.nn.data;

import java.util.SplittableRandom;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Consumer;

/**
 * Turns an in-memory {@link ImageSet} into normalised (and optionally augmented) batches on a
 * background thread, a few batches ahead of the training loop, without per-sample objects:
 * each batch is one float[] filled straight from the uint8 pixels. The order of an epoch is a
 * permutation drawn from (seed, epoch), so an epoch is reproducible, also after a resume.
 */
public final class BatchLoader {

    private static final int AHEAD = 3;

    private final ImageSet set;
    private final Normalization norm;
    private final Augmentation augmentation;
    private final int batchSize;

    public BatchLoader(ImageSet set, Normalization norm, Augmentation augmentation, int batchSize) {
        if (batchSize < 1) {
            throw new io.parsimony.InputException("batch size must be at least 1, got " + batchSize);
        }
        this.set = set;
        this.norm = norm;
        this.augmentation = augmentation;
        this.batchSize = batchSize;
    }

    public int batchesPerEpoch() {
        return (set.size() + batchSize - 1) / batchSize;
    }

    /** Images of one epoch, in order (evaluation: no shuffle, no augmentation). */
    public void forEachInOrder(Consumer<Batch> sink) {
        int[] order = new int[set.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int from = 0; from < order.length; from += batchSize) {
            sink.accept(fill(order, from, Math.min(order.length, from + batchSize), null));
        }
    }

    /** A shuffled, augmented epoch produced ahead on a daemon thread. */
    public Epoch epoch(long seed, int epoch) {
        return new Epoch(seed, epoch);
    }

    /** The batches of one training epoch; {@link #waitNanos} is time the consumer spent blocked on data. */
    public final class Epoch implements AutoCloseable {
        private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(AHEAD);
        private final Thread producer;
        private final int batches = batchesPerEpoch();
        private int taken;
        private long waitNanos;

        private Epoch(long seed, int epoch) {
            SplittableRandom rng = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch);
            int[] order = permutation(set.size(), rng);
            producer = new Thread(() -> {
                try {
                    for (int from = 0; from < order.length; from += batchSize) {
                        queue.put(fill(order, from, Math.min(order.length, from + batchSize), rng));
                    }
                } catch (InterruptedException stop) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    queue.offer(e);
                }
            }, "parsimony-batches");
            producer.setDaemon(true);
            producer.start();
        }

        public boolean hasNext() {
            return taken < batches;
        }

        public Batch next() {
            long t = System.nanoTime();
            Object o;
            try {
                o = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new io.parsimony.InterruptedWorkException("interrupted while waiting for a training batch; work written so far is kept");
            }
            waitNanos += System.nanoTime() - t;
            if (o instanceof RuntimeException e) {
                throw e;
            }
            taken++;
            return (Batch) o;
        }

        public long waitNanos() {
            return waitNanos;
        }

        @Override
        public void close() {
            producer.interrupt();
        }
    }

    static int[] permutation(int n, SplittableRandom rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** Normalise (and, with an rng, augment) images order[from..to) into a fresh batch. */
    Batch fill(int[] order, int from, int to, SplittableRandom rng) {
        int c = set.channels(), h = set.height(), w = set.width(), plane = h * w, img = c * plane;
        int n = to - from;
        float[] out = new float[n * img];
        int[] labels = new int[n];
        byte[] px = set.pixels();
        float[] scale = new float[c], shift = new float[c];
        for (int ch = 0; ch < c; ch++) {
            scale[ch] = 1f / (255f * norm.std()[ch]);
            shift[ch] = -norm.mean()[ch] / norm.std()[ch];
        }
        int pad = augmentation.cropPadding();
        for (int b = 0; b < n; b++) {
            int src = order[from + b];
            labels[b] = set.labels()[src];
            int dy = 0, dx = 0;
            boolean flip = false;
            if (rng != null && augmentation.enabled()) {
                if (pad > 0) {
                    dy = rng.nextInt(2 * pad + 1) - pad;
                    dx = rng.nextInt(2 * pad + 1) - pad;
                }
                flip = augmentation.horizontalFlip() && rng.nextBoolean();
            }
            int srcBase = src * img, dstBase = b * img;
            if (dy == 0 && dx == 0 && !flip) {
                for (int ch = 0; ch < c; ch++) {
                    float sc = scale[ch], sh = shift[ch];
                    int o = ch * plane;
                    for (int j = 0; j < plane; j++) {
                        out[dstBase + o + j] = (px[srcBase + o + j] & 0xFF) * sc + sh;
                    }
                }
                continue;
            }
            for (int ch = 0; ch < c; ch++) {
                float sc = scale[ch], sh = shift[ch];
                int o = ch * plane;
                for (int y = 0; y < h; y++) {
                    int sy = y + dy;
                    for (int x = 0; x < w; x++) {
                        int sx = (flip ? w - 1 - x : x) + dx;
                        // zero padding is 0 in pixel space, i.e. the normalised value of black
                        int v = sy < 0 || sy >= h || sx < 0 || sx >= w ? 0 : px[srcBase + o + sy * w + sx] & 0xFF;
                        out[dstBase + o + y * w + x] = v * sc + sh;
                    }
                }
            }
        }
        return new Batch(out, labels, n);
    }
}
