package io.parsimony.nn.data;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where this Parsimony is installed, as the launcher says ({@code bin/parsimony} passes
 * {@code -Dparsimony.home=<installation root>}; the Maven build passes the project root to
 * tests). Files shared between installations (data sets, benchmark scripts) live in
 * {@code shared/} beside the root, so they are found wherever the command is run from, never
 * relative to the working directory.
 */
public final class Installation {

    /** The system property that names the installation root. */
    public static final String HOME_PROPERTY = "parsimony.home";

    private Installation() {
    }

    /** The installation root, when the launcher named one. */
    public static Optional<Path> home() {
        String h = System.getProperty(HOME_PROPERTY);
        return h == null || h.isBlank() ? Optional.empty() : Optional.of(Path.of(h).toAbsolutePath().normalize());
    }

    /** {@code <root>/../shared}, when the launcher named a root. */
    public static Optional<Path> shared() {
        return home().map(Installation::sharedOf);
    }

    /** The shared directory of the installation at {@code root}: its parent's {@code shared/}. */
    static Path sharedOf(Path root) {
        Path parent = root.toAbsolutePath().normalize().getParent();
        return (parent != null ? parent : root).resolve("shared");
    }
}
