package io.parsimony.experiment.store;

import io.parsimony.InputException;
import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * The SQLite side of opening a store: file checks before SQLite touches a file, the connection
 * settings (WAL, {@code synchronous=FULL}, a busy timeout, IMMEDIATE transactions, so a process
 * killed at any moment leaves every committed row whole and several processes may write at
 * once), and SQLite's error codes as one-line messages.
 */
final class SqliteFiles {

    private SqliteFiles() {
    }

    static void requireWritablePlace(Path file) {
        if (Files.isDirectory(file)) {
            throw new InputException("results store " + file + " is a directory; give a file name, e.g. " + file.resolve("results.sqlite"));
        }
        Path parent = file.toAbsolutePath().getParent();
        try {
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new InputException("cannot create the directory of results store " + file + ": " + e.getMessage());
        }
        requireSqliteOrEmpty(file);
    }

    static void requireExisting(Path file) {
        if (Files.isDirectory(file)) {
            throw new InputException("results store " + file + " is a directory; give the store's file, e.g. " + file.resolve("results.sqlite"));
        }
        if (!Files.isRegularFile(file)) {
            throw new InputException("no results store at " + file + "; create one with 'parsimony sweep energy --store " + file + "'");
        }
        if (!requireSqliteOrEmpty(file)) {
            throw new InputException(file + " is an empty file, not a results store; give a store written by 'parsimony sweep energy --store FILE'");
        }
    }

    /**
     * Refuses files that exist, are not empty and do not start with SQLite's 16-byte header
     * (cheap, before SQLite opens and possibly rewrites them). True when the file holds a
     * header, false when it is absent or empty.
     */
    private static boolean requireSqliteOrEmpty(Path file) {
        if (!Files.exists(file)) {
            return false;
        }
        if (!Files.isReadable(file)) {
            throw new InputException("results store " + file + " is not readable");
        }
        byte[] magic = "SQLite format 3\0".getBytes(StandardCharsets.US_ASCII);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes(magic.length);
            if (head.length == 0) {
                return false;
            }
            if (!Arrays.equals(head, magic)) {
                throw new InputException(file + " is not a results store (not an SQLite database); give a new file name or a store written by 'parsimony sweep'");
            }
            return true;
        } catch (IOException e) {
            throw new InputException("cannot read results store " + file + ": " + e.getMessage());
        }
    }

    static Connection connect(Path file, boolean readOnly) {
        SQLiteConfig c = new SQLiteConfig();
        c.setBusyTimeout(120_000);
        if (readOnly) {
            c.setReadOnly(true);   // no journal-mode change, no schema, nothing written to the file
        } else {
            c.setJournalMode(SQLiteConfig.JournalMode.WAL);
            c.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
            c.enforceForeignKeys(true);
            c.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        }
        try {
            return c.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
        } catch (SQLException e) {
            throw error(file, String.valueOf(e.getMessage()).replace('\n', ' '));
        }
    }

    static InputException error(Path file, String m) {
        if (m.contains("NOTADB") || m.contains("not a database")) {
            return new InputException(file + " is not a results store (not an SQLite database); give a new file name or a store written by 'parsimony sweep'");
        }
        if (m.contains("CORRUPT")) {
            return new InputException("results store " + file + " is corrupt (" + m + "); restore it from a copy or start a new store");
        }
        if (m.contains("READONLY") || m.contains("CANTOPEN")) {
            return new InputException("cannot write results store " + file + " (" + m + "); check the file's permissions");
        }
        return new InputException("results store " + file + ": " + m);
    }
}
