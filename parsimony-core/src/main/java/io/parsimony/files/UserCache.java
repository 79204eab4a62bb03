package io.parsimony.files;

import java.nio.file.Path;

/**
 * Where Parsimony keeps what only saves time (verified data-set checksums, the engine's numerics
 * verdicts, generated data): {@code -Dparsimony.cache-dir}, else {@code $XDG_CACHE_HOME}, else
 * {@code ~/.cache}, with a {@code parsimony} folder inside. Deleting it is always safe.
 */
public final class UserCache {

    /** Overrides the cache's base directory (tests; a read-only home). */
    public static final String PROPERTY = "parsimony.cache-dir";

    private UserCache() {
    }

    /** The base directory ({@code ~/.cache} or what overrides it). */
    public static Path base() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        return System.getProperty(PROPERTY) != null ? Path.of(System.getProperty(PROPERTY))
                : xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
    }

    /** Parsimony's folder in it. */
    public static Path directory() {
        return base().resolve("parsimony");
    }
}
