package io.parsimony.nn.data;

import io.parsimony.files.AtomicFile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Properties;

/**
 * The published per-file MD5s of the named data sets, checked before a named set is read: a
 * flipped byte in a pixel plane passes every structural check a reader can make, and the papers'
 * figures are only comparable on the official files. Hashing 180 MB takes about a second, so a
 * verified file is remembered by path, size and modification time (in
 * {@code $XDG_CACHE_HOME/parsimony/verified-files.properties}, else {@code ~/.cache/...}) and
 * hashed again only when one of them changes.
 *
 * <p>The figures are those of the official archives (CIFAR-10's {@code cifar-10-binary.tar.gz}
 * members, MNIST's {@code .gz} files), as listed in {@code shared/datasets/README.md}. Fashion-MNIST
 * comes from Debian, whose package recompresses the files (dpkg checks those), and CIFAR-100 and
 * SVHN have no copy here to confirm figures against, so those sets are read unchecked.
 */
public final class OfficialChecksums {

    private static final Map<String, Map<String, String>> MD5 = Map.of(
            "cifar10", Map.of(
                    "data_batch_1.bin", "5dd7e06a14cb22eb9f671a540d1b7c25",
                    "data_batch_2.bin", "5ea93a67294ea407fff1d09f752e9692",
                    "data_batch_3.bin", "942cd6a4bcdd0dd3c604fbe906cb4421",
                    "data_batch_4.bin", "ae636b3ba5c66a11e91e8cb52e771fcb",
                    "data_batch_5.bin", "53f37980c15c3d472c316c40844f3f0d",
                    "test_batch.bin", "803d5f7f4d78ea53de84dbe85f74fb6d"),
            "mnist", Map.of(
                    "train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873",
                    "train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432",
                    "t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3",
                    "t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"));

    /** Overrides the cache directory (tests; a read-only home). */
    public static final String CACHE_PROPERTY = io.parsimony.files.UserCache.PROPERTY;

    private OfficialChecksums() {
    }

    /** The official MD5 of {@code file} in data set {@code setId}, or null when none is known. */
    public static String md5(String setId, String file) {
        return MD5.getOrDefault(setId, Map.of()).get(file);
    }

    /** Whether official checksums of {@code setId}'s files are known. */
    static boolean knows(String setId) {
        return MD5.containsKey(setId);
    }

    /**
     * Checks every file of {@code setId} with a known checksum that is present in {@code dir}.
     *
     * @throws DataException naming the first file whose content is not the official one
     */
    static void verify(String setId, Path dir) {
        Map<String, String> expected = MD5.get(setId);
        if (expected == null) {
            return;
        }
        Cache cache = Cache.load();
        boolean changed = false;
        try {
            for (var e : new java.util.TreeMap<>(expected).entrySet()) {
                Path file = dir.resolve(e.getKey());
                if (!Files.isRegularFile(file)) {
                    continue;   // the reader names a missing file when it needs it
                }
                String actual = cache.get(file);
                if (actual == null) {
                    actual = md5Of(file);
                    cache.put(file, actual);
                    changed = true;
                }
                if (!actual.equals(e.getValue())) {
                    throw new DataException(file + " is not the official " + setId + " file (MD5 " + actual + ", expected "
                            + e.getValue() + "): it is corrupt or modified; restore it from the official archive");
                }
            }
        } finally {
            if (changed) {
                cache.save();   // the files hashed so far need not be hashed again, whatever the verdict
            }
        }
    }

    /** The user's cache directory: {@code -Dparsimony.cache-dir}, else {@code $XDG_CACHE_HOME}, else {@code ~/.cache}. */
    static Path cacheDir() {
        return io.parsimony.files.UserCache.base();
    }

    static String md5Of(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("MD5");
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new DataException("cannot read " + file + " (" + e.getMessage() + ")");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);   // every JDK has MD5
        }
    }

    /** Verified hashes by path, valid while the file's size and modification time are unchanged. */
    private static final class Cache {
        private final Path file;
        private final Properties entries = new Properties();

        private Cache(Path file) {
            this.file = file;
        }

        static Cache load() {
            Cache c = new Cache(cacheDir().resolve("parsimony").resolve("verified-files.properties"));
            try (InputStream in = Files.newInputStream(c.file)) {
                c.entries.load(in);
            } catch (IOException | IllegalArgumentException absentOrDamaged) {
                c.entries.clear();   // a cache only saves time: start afresh
            }
            return c;
        }

        String get(Path f) {
            String v = entries.getProperty(f.toAbsolutePath().normalize().toString());
            String stamp = stamp(f);
            return v != null && stamp != null && v.startsWith(stamp + " ") ? v.substring(stamp.length() + 1) : null;
        }

        void put(Path f, String md5) {
            String stamp = stamp(f);
            if (stamp != null) {
                entries.setProperty(f.toAbsolutePath().normalize().toString(), stamp + " " + md5);
            }
        }

        void save() {
            try {
                Files.createDirectories(file.getParent());
                AtomicFile.write(file, out -> entries.store(out, "files whose MD5 Parsimony checked: path = size mtime md5"));
            } catch (IOException e) {
                // read-only home: the check still ran, it will run again next time
            }
        }

        private static String stamp(Path f) {
            try {
                return Files.size(f) + " " + Files.getLastModifiedTime(f).toMillis();
            } catch (IOException e) {
                return null;
            }
        }
    }
}
