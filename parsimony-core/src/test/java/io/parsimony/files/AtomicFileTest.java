package io.parsimony.files;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class AtomicFileTest {

    @Test
    void replacesTheFileOrLeavesTheOldOneWhole(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("result.json");
        AtomicFile.write(f, "first".getBytes(StandardCharsets.UTF_8));
        AtomicFile.write(f, "second".getBytes(StandardCharsets.UTF_8));
        assertEquals("second", Files.readString(f));

        assertThrows(IOException.class, () -> AtomicFile.write(f, out -> {
            out.write("half of a thi".getBytes(StandardCharsets.UTF_8));
            throw new IOException("disk full");
        }));
        assertEquals("second", Files.readString(f), "a failed write leaves the previous content");
        assertFalse(Files.exists(dir.resolve("result.json.tmp")), "and no temporary file");
    }
}
