package io.parsimony.nn.data;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Finds a data set by name or path and loads one split of it. Nothing is ever downloaded: the machines this
 * runs on may have no network, so a missing data set is a one-line {@link DataException} that says where it
 * was looked for and how to install it.
 *
 * <p>Names ({@link #NAMES}) are looked up in {@link #searchPath()}, in order, each as {@code <dir>/<name>/}
 * or under the folder name the upstream archive or tool uses (e.g. {@code cifar-10-batches-bin},
 * torchvision's {@code FashionMNIST/raw}). Anything else is taken as a directory holding one of the supported
 * layouts, or image folders {@code train/<class>/} and {@code test/<class>/}.
 */
public final class DataSets {

    /** The data set used when none is named: the one a Debian package installs, so it works offline. */
    public static final String DEFAULT = "fashion-mnist";

    /** Data-set names that {@link #load(String, Split)} resolves through the search path. */
    public static final List<String> NAMES = List.of("fashion-mnist", "mnist", "cifar10", "cifar100", "svhn", RotatedMnist.ID);

    /** Fashion-MNIST's classes, in label order (the IDX files carry no names). */
    public static final List<String> FASHION_MNIST_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** MNIST's classes: label k is digit k. */
    public static final List<String> DIGITS = SvhnReader.CLASS_NAMES;

    private static final String ENV = "PARSIMONY_DATA";

    private DataSets() {
    }

    /**
     * Loads one split of a data set.
     *
     * @param nameOrPath one of {@link #NAMES} (null or blank means {@link #DEFAULT}), or a directory
     * @throws DataException if the name is unknown, the data set is not installed, or its files are bad
     */
    public static ImageSet load(String nameOrPath, Split split) {
        return load(nameOrPath, split, searchPath());
    }

    /** As {@link #load(String, Split)} with an explicit search path (tests cannot set environment variables). */
    static ImageSet load(String nameOrPath, Split split, List<Path> searchPath) {
        return load(nameOrPath, split, searchPath, true);
    }

    /**
     * As {@link #load(String, Split, List)}; {@code official} = false skips the checksum check of named sets, for
     * tests of name resolution that stand tiny sets in for the real ones.
     */
    static ImageSet load(String nameOrPath, Split split, List<Path> searchPath, boolean official) {
        String given = nameOrPath == null || nameOrPath.isBlank() ? DEFAULT : nameOrPath.strip();
        if (RotatedMnist.isName(given)) {
            Path mnist = locate(Kind.MNIST, searchPath, official, RotatedMnist.ID + " is generated from ");
            return RotatedMnist.load(split, mnist);
        }
        Kind kind = Kind.byName(given);
        if (kind != null) {
            return kind.read(locate(kind, searchPath, official, ""), split, kind.id + "/" + split.label());
        }
        Path dir = Path.of(expandHome(given)).toAbsolutePath().normalize();
        if (!Files.exists(dir)) {
            throw new DataException("unknown data set '" + given + "': not one of " + String.join(", ", NAMES)
                    + " and no such directory (" + dir + "); give a name, or a directory holding one of their"
                    + " layouts or image folders train/<class>/ and test/<class>/");
        }
        if (!Files.isDirectory(dir)) {
            throw new DataException("data set " + dir + " is a file; pass the directory that holds the data set's"
                    + " files, or one of the names " + String.join(", ", NAMES));
        }
        String setName = (dir.getFileName() == null ? dir.toString() : dir.getFileName().toString()) + "/"
                + split.label();
        for (Kind k : Kind.values()) {
            // Fashion-MNIST and MNIST share one layout; MNIST (digits as class names) unless the path says fashion.
            if (k == Kind.FASHION_MNIST && !dir.toString().toLowerCase(Locale.ROOT).contains("fashion")) {
                continue;
            }
            if (k.present.test(dir)) {
                return k.read(dir, split, setName);
            }
        }
        if (Files.isDirectory(dir.resolve("train")) && Files.isDirectory(dir.resolve("test"))) {
            return ImageFolderReader.read(dir.resolve(split.label()), setName);
        }
        throw new DataException("data set " + dir + " holds no known layout: expected MNIST-style IDX files"
                + " (train-images-idx3-ubyte.gz ...), CIFAR-10 (data_batch_1.bin ... test_batch.bin), CIFAR-100"
                + " (train.bin, test.bin), SVHN (train_32x32.mat, test_32x32.mat) or image folders train/<class>/"
                + " and test/<class>/");
    }

    /** A named data set as {@link #survey()} finds it: its directory (null when absent) and its files' state. */
    public record Found(String name, Path directory, String state) {
    }

    /**
     * Every named data set on the search path and whether its files are the official ones (MD5, cached
     * after the first time): what {@code parsimony doctor} shows. Never throws for a missing or bad set.
     */
    public static List<Found> survey() {
        List<Found> out = new ArrayList<>();
        List<Path> path = searchPath();
        for (Kind kind : Kind.values()) {
            Path dir;
            try {
                dir = locate(kind, path, false, "");
            } catch (DataException e) {
                out.add(new Found(kind.id, null, "not found"));
                continue;
            }
            String state;
            try {
                OfficialChecksums.verify(kind.id, dir);
                state = !OfficialChecksums.knows(kind.id)
                        ? "present (no official checksums known)" : "official (MD5 verified)";
            } catch (DataException e) {
                state = "BAD: " + e.getMessage();
            }
            out.add(new Found(kind.id, dir, state));
        }
        return out;
    }

    /** The directory holding {@code kind} (its files checked when {@code official}), or a one-line error. */
    private static Path locate(Kind kind, List<Path> searchPath, boolean official, String why) {
        for (Path base : searchPath) {
            for (String folder : kind.folders) {
                Path dir = base.resolve(folder);
                if (Files.isDirectory(dir) && kind.present.test(dir)) {
                    if (official) {
                        OfficialChecksums.verify(kind.id, dir);
                    }
                    return dir;
                }
            }
        }
        throw new DataException((why.isEmpty() ? kind.id + " not found" : why + kind.id + ", which was not found") + ": looked for " + kind.id + "/"
                + (kind.folders.size() > 1 ? " (or " + String.join("/, ", kind.folders.subList(1, kind.folders.size()))
                + "/)" : "") + " in " + describe(searchPath) + "; " + kind.howToGet
                + ", or add a directory to " + ENV + " (colon-separated); nothing is downloaded");
    }

    /**
     * Where names are looked up, in order: {@code $PARSIMONY_DATA} (colon-separated), the installation's
     * {@code ../shared/datasets} (beside the root {@code bin/parsimony} names, see {@link Installation}; never the
     * working directory), {@code /usr/share/datasets} (Debian's dataset-* packages), {@code ~/.parsimony/datasets}.
     * Absolute, normalized, without duplicates.
     */
    public static List<Path> searchPath() {
        return searchPath(System.getenv(ENV), Installation.home().orElse(null));
    }

    /** {@link #searchPath()} for a given {@code $PARSIMONY_DATA} and installation root (either may be null). */
    static List<Path> searchPath(String env, Path home) {
        List<String> dirs = new ArrayList<>();
        if (env != null) {
            for (String d : env.split(File.pathSeparator)) {
                if (!d.isBlank()) {
                    dirs.add(expandHome(d.strip()));
                }
            }
        }
        if (home != null) {
            dirs.add(Installation.sharedOf(home).resolve("datasets").toString());
        }
        dirs.add("/usr/share/datasets");
        dirs.add(System.getProperty("user.home") + "/.parsimony/datasets");
        Set<Path> unique = new LinkedHashSet<>();
        for (String d : dirs) {
            unique.add(Path.of(d).toAbsolutePath().normalize());
        }
        return List.copyOf(unique);
    }

    private static String describe(List<Path> searchPath) {
        if (searchPath.isEmpty()) {
            return "no directories";
        }
        List<String> s = new ArrayList<>();
        for (Path p : searchPath) {
            s.add(p.toString());
        }
        return String.join(", ", s);
    }

    private static String expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) {
            return System.getProperty("user.home") + path.substring(1);
        }
        return path;
    }

    /** The supported layouts: where each lives, how it is recognized, read and installed. */
    private enum Kind {
        FASHION_MNIST("fashion-mnist", List.of("fashion-mnist", "fashion_mnist", "FashionMNIST/raw", "FashionMNIST"),
                DataSets::hasIdx, "install it with apt-get install -y dataset-fashion-mnist, or put the official"
                + " train-/t10k-{images-idx3,labels-idx1}-ubyte.gz files in <dir>/fashion-mnist/ under one of those"
                + " directories"),
        MNIST("mnist", List.of("mnist", "MNIST/raw", "MNIST"), DataSets::hasIdx,
                "put the official train-/t10k-{images-idx3,labels-idx1}-ubyte.gz files in <dir>/mnist/ under one of"
                + " those directories"),
        CIFAR10("cifar10", List.of("cifar10", "cifar-10-batches-bin", "cifar10/cifar-10-batches-bin", "cifar-10"),
                dir -> Files.isRegularFile(dir.resolve("data_batch_1.bin"))
                        || Files.isRegularFile(dir.resolve("test_batch.bin")),
                "extract the official cifar-10-binary.tar.gz in one of those directories (it creates"
                + " cifar-10-batches-bin/)"),
        CIFAR100("cifar100", List.of("cifar100", "cifar-100-binary", "cifar100/cifar-100-binary", "cifar-100"),
                dir -> Files.isRegularFile(dir.resolve("train.bin")) || Files.isRegularFile(dir.resolve("test.bin")),
                "extract the official cifar-100-binary.tar.gz in one of those directories (it creates"
                + " cifar-100-binary/)"),
        SVHN("svhn", List.of("svhn", "SVHN"),
                dir -> Files.isRegularFile(dir.resolve("train_32x32.mat"))
                        || Files.isRegularFile(dir.resolve("test_32x32.mat")),
                "put the official format-2 files train_32x32.mat and test_32x32.mat in <dir>/svhn/ under one of"
                + " those directories");

        final String id;
        final List<String> folders;
        final Predicate<Path> present;
        final String howToGet;

        Kind(String id, List<String> folders, Predicate<Path> present, String howToGet) {
            this.id = id;
            this.folders = folders;
            this.present = present;
            this.howToGet = howToGet;
        }

        /** Matches names loosely ("Fashion_MNIST", "cifar-10") since users type them from memory. */
        static Kind byName(String name) {
            String key = name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
            for (Kind k : values()) {
                if (k.id.replace("-", "").equals(key)) {
                    return k;
                }
            }
            return null;
        }

        ImageSet read(Path dir, Split split, String setName) {
            return switch (this) {
                case FASHION_MNIST -> readIdx(dir, split, setName, FASHION_MNIST_CLASSES);
                case MNIST -> readIdx(dir, split, setName, DIGITS);
                case CIFAR10 -> {
                    List<Path> files = new ArrayList<>();
                    if (split == Split.TRAIN) {
                        for (int b = 1; b <= 5; b++) {
                            files.add(need(dir, "data_batch_" + b + ".bin", setName, "from cifar-10-binary.tar.gz"));
                        }
                    } else {
                        files.add(need(dir, "test_batch.bin", setName, "from cifar-10-binary.tar.gz"));
                    }
                    yield CifarReader.read10(files, setName);
                }
                case CIFAR100 -> CifarReader.read100(need(dir, split == Split.TRAIN ? "train.bin" : "test.bin", setName,
                        "from cifar-100-binary.tar.gz"), true, setName);
                case SVHN -> SvhnReader.read(need(dir, split.label() + "_32x32.mat", setName,
                        "(SVHN format 2, cropped digits)"), setName);
            };
        }
    }

    private static ImageSet readIdx(Path dir, Split split, String setName, List<String> classNames) {
        String prefix = split == Split.TRAIN ? "train" : "t10k";
        Path images = idxFile(dir, prefix, "images", "idx3", setName);
        Path labels = idxFile(dir, prefix, "labels", "idx1", setName);
        return IdxReader.read(images, labels, setName, classNames);
    }

    private static boolean hasIdx(Path dir) {
        for (String prefix : List.of("train", "t10k")) {
            if (findIdx(dir, prefix, "images", "idx3") != null) {
                return true;
            }
        }
        return false;
    }

    /** The spellings in use: official ({@code train-images-idx3-ubyte[.gz]}) and a common mirror's ({@code .idx3}). */
    private static Path findIdx(Path dir, String prefix, String what, String idx) {
        for (String n : List.of(prefix + "-" + what + "-" + idx + "-ubyte", prefix + "-" + what + "." + idx + "-ubyte")) {
            for (String ext : List.of(".gz", "")) {
                Path p = dir.resolve(n + ext);
                if (Files.isRegularFile(p)) {
                    return p;
                }
            }
        }
        return null;
    }

    static Path idxFile(Path dir, String prefix, String what, String idx, String setName) {
        Path p = findIdx(dir, prefix, what, idx);
        if (p == null) {
            throw new DataException(setName + ": " + dir + " has no " + prefix + "-" + what + "-" + idx
                    + "-ubyte.gz (nor un-gzipped); put the official file there");
        }
        return p;
    }

    private static Path need(Path dir, String file, String setName, String origin) {
        Path p = dir.resolve(file);
        if (!Files.isRegularFile(p)) {
            throw new DataException(setName + ": " + dir + " has no " + file + "; put the official file there ("
                    + origin.replaceFirst("^\\((.*)\\)$", "$1") + ")");
        }
        return p;
    }
}
