package io.parsimony.nn.data;

/**
 * Per-channel mean and standard deviation of pixel values (in [0, 1]) over a training set:
 * inputs are standardised with the statistics of the data the network learns from, and the
 * same statistics are reused (from the checkpoint) at evaluation time.
 */
public record Normalization(float[] mean, float[] std) {

    public static Normalization of(ImageSet set) {
        int c = set.channels(), plane = set.height() * set.width();
        double[] sum = new double[c], sq = new double[c];
        byte[] px = set.pixels();
        for (int i = 0; i < set.size(); i++) {
            for (int ch = 0; ch < c; ch++) {
                int base = (i * c + ch) * plane;
                long s = 0, s2 = 0;
                for (int j = 0; j < plane; j++) {
                    int v = px[base + j] & 0xFF;
                    s += v;
                    s2 += (long) v * v;
                }
                sum[ch] += s;
                sq[ch] += s2;
            }
        }
        float[] mean = new float[c], std = new float[c];
        double n = (double) set.size() * plane;
        for (int ch = 0; ch < c; ch++) {
            double m = sum[ch] / n;
            double var = sq[ch] / n - m * m;
            mean[ch] = (float) (m / 255.0);
            std[ch] = (float) Math.max(Math.sqrt(Math.max(var, 0)) / 255.0, 1e-6);
        }
        return new Normalization(mean, std);
    }
}
