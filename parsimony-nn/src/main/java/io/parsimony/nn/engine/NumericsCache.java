package io.parsimony.nn.engine;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.parsimony.files.AtomicFile;
import io.parsimony.files.UserCache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The numerics verdict of one host (CPU, flags, threads, library versions, check version: the
 * file's name is their hash), so the check costs nothing the second time: {@code
 * ~/.cache/parsimony/numerics/KEY.json}. A cache only saves time: one that cannot be read or
 * written is ignored, and the check runs again.
 */
final class NumericsCache {

    /** What is kept: the verdict, the remedy, the grid's counts and the conv uses probed, with their routes. */
    record Entry(Numerics.Verdict verdict, Remedy remedy, int checks, int failures, String worst, List<Verified> convs) {
        Entry {
            convs = convs == null ? List.of() : convs;
        }
    }

    /** A conv shape in a memory format, and the route its probe found right. */
    record Verified(ConvShape shape, MemoryFormat format, ConvRoute route) {
    }

    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final Path file;

    private NumericsCache(Path file) {
        this.file = file;
    }

    static NumericsCache of(String key) {
        return new NumericsCache(UserCache.directory().resolve("numerics").resolve(key + ".json"));
    }

    /** A cache that keeps nothing (an injected fault's verdict must not outlive its test). */
    static NumericsCache none() {
        return new NumericsCache(null);
    }

    Optional<Entry> read() {
        if (file == null || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(file.toFile(), Entry.class));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    void write(Entry entry) {
        if (file == null) {
            return;
        }
        try {
            AtomicFile.writeCache(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(entry));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise a cache entry", e);   // a record of plain fields: never
        }
    }

    Path file() {
        return file;
    }
}
