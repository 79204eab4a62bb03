package io.parsimony.cli.output;

import io.parsimony.files.AtomicFile;
import io.parsimony.nn.train.TrainingJson;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The summary files commands leave beside their runs ({@code compare.json}, {@code extremes.json},
 * {@code probe.json}, report pages): written whole through {@link AtomicFile} with the training files' one
 * JSON mapper, so an interrupted command never leaves half a file, and a failure is one line.
 */
public final class ResultFile {

    private ResultFile() {
    }

    /** Pretty-printed JSON of {@code value}. */
    public static void writeJson(Path file, Object value) {
        try {
            write(file, TrainingJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise " + file.getFileName(), e);
        }
    }

    public static void writeText(Path file, String text) {
        write(file, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            AtomicFile.write(file, bytes);
        } catch (IOException e) {
            throw new UserException("cannot write " + file + ": " + e.getMessage() + "; choose a writable location");
        }
    }
}
