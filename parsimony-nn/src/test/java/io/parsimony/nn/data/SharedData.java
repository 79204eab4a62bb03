package io.parsimony.nn.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The papers' own data sets ({@code shared/datasets} beside the installation) for tests in any
 * module: a set's folder, or a skip announced in one line when it is not installed here, and a
 * private checksum cache so a test never reads or writes the user's.
 */
public final class SharedData {

    private SharedData() {
    }

    /** The folder of {@code set} (e.g. "cifar10"); skips the calling test, saying so on stderr, when it is absent. */
    public static Path folder(String set, String what) {
        Optional<Path> dir = Installation.shared().map(d -> d.resolve("datasets").resolve(set));
        boolean there = dir.isPresent() && Files.isDirectory(dir.get());
        if (!there) {
            System.err.println("SKIPPED: " + set + " " + what + ": no shared/datasets/" + set + " beside the installation ("
                    + Installation.home().map(Path::toString).orElse("-Dparsimony.home unset") + ")");
        }
        assumeTrue(there, "shared/datasets/" + set + " is not installed here");
        return dir.get();
    }

    /** Points the checksum cache at a fresh temporary directory (undo with {@link #restoreCache}); returns it. */
    public static Path privateCache() throws IOException {
        Path cache = Files.createTempDirectory("parsimony-cache");
        System.setProperty(OfficialChecksums.CACHE_PROPERTY, cache.toString());
        return cache;
    }

    public static void restoreCache() {
        System.clearProperty(OfficialChecksums.CACHE_PROPERTY);
    }
}
