package io.parsimony.experiment.ebcle;

/** A 256-bin histogram of 8-bit intensities and its Shannon entropy in bits. */
public record Histogram(long[] counts) {

    public Histogram {
        if (counts.length != 256) {
            throw new IllegalArgumentException("an intensity histogram has 256 bins, got " + counts.length);
        }
    }

    public static Histogram empty() {
        return new Histogram(new long[256]);
    }

    public long total() {
        long t = 0;
        for (long c : counts) {
            t += c;
        }
        return t;
    }

    /** H = −Σ p·log2 p over the non-empty bins; 0 for a constant image, 8 for a uniform one. */
    public double entropyBits() {
        return entropyBits(counts, total());
    }

    static double entropyBits(long[] counts, long total) {
        if (total == 0) {
            return 0;
        }
        double h = 0;
        for (long c : counts) {
            if (c > 0) {
                double p = (double) c / total;
                h -= p * Math.log(p);
            }
        }
        return Math.max(0, h / Math.log(2));
    }
}
