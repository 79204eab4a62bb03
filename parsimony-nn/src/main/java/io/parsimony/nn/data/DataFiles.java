package io.parsimony.nn.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** File helpers shared by the readers: existence checks with one-line messages, and gzip-transparent reading. */
final class DataFiles {

    /** Big enough that a 26 MB gzip file is read in a few hundred system calls. */
    static final int BUFFER = 1 << 16;

    private DataFiles() {
    }

    /** Fails with a one-line message unless {@code file} is a readable regular file. */
    static void requireFile(Path file, String name) {
        if (!Files.exists(file)) {
            throw new DataException(name + ": " + file + " does not exist; check the path or install the data set");
        }
        if (Files.isDirectory(file)) {
            throw new DataException(name + ": " + file + " is a directory, expected a data file");
        }
        if (!Files.isReadable(file)) {
            throw new DataException(name + ": " + file + " is not readable; check its permissions");
        }
    }

    /** True when the file starts with the gzip magic bytes 1f 8b (the name is not trusted: ".gz" may be missing). */
    static boolean isGzip(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return in.read() == 0x1f && in.read() == 0x8b;
        }
    }

    /** Opens the file for buffered reading, un-gzipping it on the fly if it starts with the gzip magic bytes. */
    static InputStream open(Path file, boolean gzip) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        return gzip ? new GZIPInputStream(raw, BUFFER) : raw;
    }

    /**
     * Reads up to {@code len} bytes, stopping early only at the end of the data; returns how many were read.
     * A gzip stream that is cut short reports that as {@link EOFException}, which here counts as the end, so the
     * caller can say how much data there was instead of passing on "Unexpected end of ZLIB input stream".
     */
    static int readFully(InputStream in, byte[] b, int off, int len) throws IOException {
        int total = 0;
        try {
            while (total < len) {
                int r = in.read(b, off + total, len - total);
                if (r < 0) {
                    break;
                }
                total += r;
            }
        } catch (EOFException e) {
            // truncated gzip member: report the bytes we got
        }
        return total;
    }

    /** The one-line reason an I/O call on {@code file} failed, for use after "name: ". */
    static String ioProblem(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return file + " does not exist";
        }
        if (e instanceof AccessDeniedException) {
            return file + " is not readable (access denied)";
        }
        return file + " could not be read (" + DataException.describe(e) + ")";
    }
}
