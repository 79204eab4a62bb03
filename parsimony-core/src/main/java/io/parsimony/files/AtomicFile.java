package io.parsimony.files;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Replaces a file all at once: the content goes to a sibling {@code NAME.tmp} that is then
 * renamed over the target ({@code ATOMIC_MOVE}), so a crash leaves the old file or the new one,
 * never half of one. The one place Parsimony writes files that a later run reads back.
 */
public final class AtomicFile {

    /** Writes the content to a stream (the stream is closed by {@link AtomicFile}). */
    @FunctionalInterface
    public interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFile() {
    }

    public static void write(Path target, byte[] bytes) throws IOException {
        write(target, out -> out.write(bytes));
    }

    /**
     * Writes a cache entry, creating its folder, and swallows the failure: a cache that cannot be
     * written (a read-only home) only means the value is computed again next time.
     *
     * @return whether the entry was written
     */
    public static boolean writeCache(Path target, byte[] bytes) {
        try {
            Files.createDirectories(target.toAbsolutePath().getParent());
            write(target, bytes);
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /** Streams the content (e.g. a checkpoint) through a buffer into the temporary file, then renames it. */
    public static void write(Path target, Content content) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try {
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                content.writeTo(out);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }
}
