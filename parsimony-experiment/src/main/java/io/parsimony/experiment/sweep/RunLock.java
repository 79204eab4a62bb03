package io.parsimony.experiment.sweep;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An OS file lock on one run (under {@code <runs dir>/.locks/}), held while the run trains, so
 * that two sweeps sharing a store never train the same run into the same directory at once.
 * The OS releases it when its process dies, however it dies.
 */
final class RunLock implements AutoCloseable {

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock, or null when another process (or thread) holds it. */
    static RunLock tryLock(Path runsDir, String runKey) throws IOException {
        Path dir = Files.createDirectories(runsDir.resolve(".locks"));
        FileChannel ch = FileChannel.open(dir.resolve(runKey + ".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            FileLock l = ch.tryLock();
            if (l == null) {
                ch.close();
                return null;
            }
            return new RunLock(ch, l);
        } catch (OverlappingFileLockException e) {
            ch.close();
            return null;
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // released with the channel
        }
    }
}
