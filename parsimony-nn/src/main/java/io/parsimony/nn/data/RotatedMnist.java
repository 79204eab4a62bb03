package io.parsimony.nn.data;

import io.parsimony.files.AtomicFile;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * Rotated MNIST as the standard benchmark builds it (Larochelle et al. 2007, "mnist-rot"): 10,000
 * training, 2,000 validation and 50,000 test digits, each rotated by an angle drawn uniformly from
 * [0, 2π). Built here from the official MNIST files, once per seed, and cached as IDX files with the
 * recipe that made them ({@value #RECIPE}); a cache whose recipe differs (other source files, seed,
 * interpolation or split) is rebuilt.
 *
 * <p><b>Which digits.</b> MNIST has 70,000; the benchmark uses 62,000. Train + validation are MNIST
 * training images 0–11,999 (train 0–9,999, validation 10,000–11,999); test is MNIST training images
 * 12,000–59,999 followed by MNIST test images 0–1,999. So no test digit is a training or validation
 * digit. (Larochelle et al. drew theirs from the same 70,000; their exact indices are not published.)
 *
 * <p><b>Rotation.</b> One {@link SplittableRandom} seeded with the seed draws θ = 2π·u, u uniform in
 * [0, 1), for every image in the order train, validation, test; the image is rotated by θ about its
 * centre (13.5, 13.5) by bilinear interpolation of the source pixels (zero outside the image),
 * rounded to the nearest integer.
 *
 * <p>The training split holds the 12,000 train + validation digits with the last 2,000 marked as its
 * own validation split ({@link ImageSet#ownValidation()}), so every run validates on the same digits.
 */
public final class RotatedMnist {

    public static final String ID = "mnist-rot";
    /** The seed {@code --data mnist-rot} uses: one fixed benchmark, whatever the training seed. */
    public static final long DEFAULT_SEED = 0;
    public static final int TRAIN = 10_000;
    public static final int VALIDATION = 2_000;
    public static final int TEST = 50_000;
    /** The recipe file beside the cached IDX files. */
    public static final String RECIPE = "recipe.properties";
    /** Bumped whenever the construction changes, so older caches are rebuilt. */
    private static final int VERSION = 1;
    private static final String INTERPOLATION = "bilinear about the centre (13.5, 13.5), zero outside, rounded to nearest";

    private RotatedMnist() {
    }

    /** "mnist-rot", and the spellings people use for it (rot-mnist, mnist_rotated, ...). */
    static boolean isName(String name) {
        String key = name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        return key.equals("mnistrot") || key.equals("rotmnist") || key.equals("mnistrotated") || key.equals("rotatedmnist");
    }

    /** One split, from the cache (built first if missing or made by another recipe) under {@link #cacheRoot()}. */
    static ImageSet load(Split split, Path mnistDir) {
        return load(split, mnistDir, DEFAULT_SEED, cacheRoot());
    }

    /** As {@link #load(Split, Path)} with an explicit seed and cache root ({@code <root>/mnist-rot-seed<seed>/}). */
    public static ImageSet load(Split split, Path mnistDir, long seed, Path cacheRoot) {
        Path dir = cacheRoot.resolve(ID + "-seed" + seed);
        Properties recipe = recipe(mnistDir, seed);
        if (!recipe.equals(readRecipe(dir)) || !Files.isRegularFile(images(dir, Split.TRAIN))
                || !Files.isRegularFile(images(dir, Split.TEST))) {
            build(mnistDir, seed, dir, recipe);
        }
        String prefix = split == Split.TRAIN ? "train" : "t10k";
        ImageSet set = IdxReader.read(images(dir, split), dir.resolve(prefix + "-labels-idx1-ubyte"), ID + "/" + split.label(),
                DataSets.DIGITS);
        int expected = split == Split.TRAIN ? TRAIN + VALIDATION : TEST;
        if (set.size() != expected) {
            throw new DataException(dir + " holds " + set.size() + " " + split.label() + " images, not " + expected
                    + "; delete the directory to rebuild it");
        }
        return split == Split.TRAIN ? new ImageSet(set.pixels(), set.labels(), 1, set.height(), set.width(), set.classNames(),
                set.name(), VALIDATION) : set;
    }

    /** {@code $XDG_CACHE_HOME/parsimony}, else {@code ~/.cache/parsimony}; {@code -Dparsimony.cache-dir} overrides the parent. */
    public static Path cacheRoot() {
        return OfficialChecksums.cacheDir().resolve("parsimony");
    }

    /**
     * Builds the two splits from MNIST's training and test sets: {@code [0]} = 12,000 train + validation
     * digits, {@code [1]} = 50,000 test digits (see the class comment for which and how).
     */
    public static ImageSet[] generate(ImageSet mnistTrain, ImageSet mnistTest, long seed) {
        int fit = TRAIN + VALIDATION, fromTrain = mnistTrain.size() - fit, fromTest = TEST - fromTrain;
        if (fromTrain < 0 || fromTest < 0 || fromTest > mnistTest.size() || mnistTrain.height() != mnistTrain.width()) {
            throw new DataException("rotated MNIST needs MNIST's 60,000 + 10,000 square digits, got " + mnistTrain.size() + " + "
                    + mnistTest.size());
        }
        SplittableRandom rng = new SplittableRandom(seed);
        int[] trainIdx = range(0, fit), testIdx = range(fit, mnistTrain.size());
        ImageSet a = rotateAll(mnistTrain, trainIdx, rng, ID + "/train");
        ImageSet b1 = rotateAll(mnistTrain, testIdx, rng, ID + "/test");
        ImageSet b2 = rotateAll(mnistTest, range(0, fromTest), rng, ID + "/test");
        byte[] px = new byte[b1.pixels().length + b2.pixels().length];
        System.arraycopy(b1.pixels(), 0, px, 0, b1.pixels().length);
        System.arraycopy(b2.pixels(), 0, px, b1.pixels().length, b2.pixels().length);
        int[] labels = new int[TEST];
        System.arraycopy(b1.labels(), 0, labels, 0, b1.size());
        System.arraycopy(b2.labels(), 0, labels, b1.size(), b2.size());
        return new ImageSet[] {a, new ImageSet(px, labels, 1, b1.height(), b1.width(), DataSets.DIGITS, ID + "/test")};
    }

    private static ImageSet rotateAll(ImageSet src, int[] indices, SplittableRandom rng, String name) {
        int h = src.height(), w = src.width(), n = h * w;
        byte[] out = new byte[indices.length * n];
        int[] labels = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            rotate(src.pixels(), indices[k] * n, out, k * n, h, w, 2 * Math.PI * rng.nextDouble());
            labels[k] = src.labels()[indices[k]];
        }
        return new ImageSet(out, labels, 1, h, w, DataSets.DIGITS, name);
    }

    /** Rotates the h×w image at {@code from[off]} by θ about its centre into {@code to[toOff]}, bilinearly. */
    static void rotate(byte[] from, int off, byte[] to, int toOff, int h, int w, double theta) {
        double cy = (h - 1) / 2.0, cx = (w - 1) / 2.0, c = Math.cos(theta), s = Math.sin(theta);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double dx = x - cx, dy = y - cy;
                double sx = c * dx + s * dy + cx, sy = -s * dx + c * dy + cy;   // the source of (x, y): rotation by −θ
                int x0 = (int) Math.floor(sx), y0 = (int) Math.floor(sy);
                double fx = sx - x0, fy = sy - y0;
                double v = (1 - fy) * ((1 - fx) * at(from, off, h, w, y0, x0) + fx * at(from, off, h, w, y0, x0 + 1))
                        + fy * ((1 - fx) * at(from, off, h, w, y0 + 1, x0) + fx * at(from, off, h, w, y0 + 1, x0 + 1));
                to[toOff + y * w + x] = (byte) Math.min(255, Math.round(v));
            }
        }
    }

    private static int at(byte[] p, int off, int h, int w, int y, int x) {
        return y < 0 || y >= h || x < 0 || x >= w ? 0 : p[off + y * w + x] & 0xFF;
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    /** What a cache must have been made by: source files' MD5s, seed, splits, rotation and interpolation. */
    static Properties recipe(Path mnistDir, long seed) {
        Properties p = new Properties();
        p.setProperty("version", String.valueOf(VERSION));
        for (String prefix : new String[] {"train", "t10k"}) {
            for (String[] kind : new String[][] {{"images", "idx3"}, {"labels", "idx1"}}) {
                Path f = DataSets.idxFile(mnistDir, prefix, kind[0], kind[1], "mnist/" + prefix);
                p.setProperty("source.md5." + prefix + "-" + kind[0], OfficialChecksums.md5Of(f));
            }
        }
        p.setProperty("seed", String.valueOf(seed));
        p.setProperty("train", "mnist train 0-9999");
        p.setProperty("validation", "mnist train 10000-11999");
        p.setProperty("test", "mnist train 12000-59999, then mnist t10k 0-1999");
        p.setProperty("angle", "uniform [0, 2pi): 2pi * SplittableRandom(seed).nextDouble(), one per image in the order train, validation, test");
        p.setProperty("interpolation", INTERPOLATION);
        return p;
    }

    private static Properties readRecipe(Path dir) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(dir.resolve(RECIPE))) {
            p.load(in);
        } catch (IOException | IllegalArgumentException absentOrDamaged) {
            p.clear();
        }
        return p;
    }

    private static Path images(Path dir, Split split) {
        return dir.resolve((split == Split.TRAIN ? "train" : "t10k") + "-images-idx3-ubyte");
    }

    private static void build(Path mnistDir, long seed, Path dir, Properties recipe) {
        ImageSet train = IdxReader.read(DataSets.idxFile(mnistDir, "train", "images", "idx3", "mnist/train"),
                DataSets.idxFile(mnistDir, "train", "labels", "idx1", "mnist/train"), "mnist/train", DataSets.DIGITS);
        ImageSet test = IdxReader.read(DataSets.idxFile(mnistDir, "t10k", "images", "idx3", "mnist/test"),
                DataSets.idxFile(mnistDir, "t10k", "labels", "idx1", "mnist/test"), "mnist/test", DataSets.DIGITS);
        ImageSet[] made = generate(train, test, seed);
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve(RECIPE));   // the files below are not this recipe's until it is written again
            write(dir, "train", made[0]);
            write(dir, "t10k", made[1]);
            // sorted, without the date line Properties.store adds, so equal recipes are equal files
            StringWriter text = new StringWriter();
            text.write("# rotated MNIST (" + ID + "): how the IDX files beside this one were made\n");
            for (var e : new TreeMap<>(recipe).entrySet()) {
                Properties one = new Properties();
                one.setProperty((String) e.getKey(), (String) e.getValue());
                StringWriter line = new StringWriter();
                one.store(line, null);
                line.toString().lines().filter(l -> !l.startsWith("#")).forEach(l -> text.write(l + "\n"));
            }
            AtomicFile.write(dir.resolve(RECIPE), text.toString().getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            throw new DataException("cannot write the rotated MNIST cache in " + dir + " (" + DataException.describe(e)
                    + "); make it writable or set -D" + OfficialChecksums.CACHE_PROPERTY + " to another directory");
        }
    }

    /** Writes a one-channel set as IDX files {@code <prefix>-images-idx3-ubyte} and {@code <prefix>-labels-idx1-ubyte}. */
    static void write(Path dir, String prefix, ImageSet set) throws IOException {
        AtomicFile.write(dir.resolve(prefix + "-images-idx3-ubyte"), out -> {
            DataOutputStream d = new DataOutputStream(out);
            d.writeInt(IdxReader.IMAGES_MAGIC);
            d.writeInt(set.size());
            d.writeInt(set.height());
            d.writeInt(set.width());
            d.write(set.pixels());
            d.flush();
        });
        AtomicFile.write(dir.resolve(prefix + "-labels-idx1-ubyte"), out -> {
            DataOutputStream d = new DataOutputStream(out);
            d.writeInt(IdxReader.LABELS_MAGIC);
            d.writeInt(set.size());
            for (int l : set.labels()) {
                d.writeByte(l);
            }
            d.flush();
        });
    }
}
