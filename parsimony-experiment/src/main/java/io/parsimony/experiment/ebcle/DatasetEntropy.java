package io.parsimony.experiment.ebcle;

import io.parsimony.nn.data.DataException;
import io.parsimony.nn.data.ImageSet;

/**
 * The entropy figures of seed 003's heuristic for one data set, in bits: per-image Shannon
 * entropy of the 8-bit intensities (pooled over channels, and per channel), its mean and
 * standard deviation over the set, and the entropy of the whole set's intensity distribution
 * (with its histogram). One pass over the images, no per-pixel objects.
 */
public record DatasetEntropy(String data, int images, int channels, int height, int width,
                             double meanImageEntropy, double stdImageEntropy,
                             double[] meanChannelEntropy, double[] stdChannelEntropy,
                             double setEntropy, long[] setHistogram) {

    public static DatasetEntropy of(ImageSet set) {
        if (set.size() == 0) {
            throw new DataException(set.name() + " holds no images: nothing to measure; check the data path");
        }
        int c = set.channels(), plane = set.height() * set.width();
        byte[] px = set.pixels();
        long[] setCounts = new long[256];
        long[] pooled = new long[256];
        long[] channel = new long[256];
        double sum = 0, sumSq = 0;
        double[] cs = new double[c], cs2 = new double[c];
        for (int i = 0; i < set.size(); i++) {
            java.util.Arrays.fill(pooled, 0);
            for (int ch = 0; ch < c; ch++) {
                java.util.Arrays.fill(channel, 0);
                int base = (i * c + ch) * plane;
                for (int j = 0; j < plane; j++) {
                    channel[px[base + j] & 0xFF]++;
                }
                double h = Histogram.entropyBits(channel, plane);
                cs[ch] += h;
                cs2[ch] += h * h;
                for (int v = 0; v < 256; v++) {
                    pooled[v] += channel[v];
                }
            }
            double h = Histogram.entropyBits(pooled, (long) plane * c);
            sum += h;
            sumSq += h * h;
            for (int v = 0; v < 256; v++) {
                setCounts[v] += pooled[v];
            }
        }
        int n = set.size();
        double[] cm = new double[c], csd = new double[c];
        for (int ch = 0; ch < c; ch++) {
            cm[ch] = cs[ch] / n;
            csd[ch] = Math.sqrt(Math.max(0, cs2[ch] / n - cm[ch] * cm[ch]));
        }
        double mean = sum / n;
        return new DatasetEntropy(set.name(), n, c, set.height(), set.width(), mean,
                Math.sqrt(Math.max(0, sumSq / n - mean * mean)), cm, csd,
                new Histogram(setCounts).entropyBits(), setCounts);
    }
}
