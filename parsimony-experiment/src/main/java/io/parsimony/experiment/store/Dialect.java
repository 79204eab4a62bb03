package io.parsimony.experiment.store;

/**
 * What differs between the two stores' SQL; everything else is shared. Schema text is written
 * once with the type words {@code ID}, {@code INT}, {@code FLOAT}, {@code BYTES} and rendered
 * here ({@code REAL} is 4 bytes in PostgreSQL, so accuracies are {@code DOUBLE PRECISION} there).
 */
public enum Dialect {
    SQLITE("INTEGER PRIMARY KEY", "INTEGER", "REAL", "BLOB"),
    POSTGRES("BIGSERIAL PRIMARY KEY", "BIGINT", "DOUBLE PRECISION", "BYTEA");

    private final String id, integer, real, bytes;

    Dialect(String id, String integer, String real, String bytes) {
        this.id = id;
        this.integer = integer;
        this.real = real;
        this.bytes = bytes;
    }

    /** Schema text with its type words replaced by this database's types. */
    String ddl(String text) {
        return text.replaceAll("\\bID\\b", id).replaceAll("\\bINT\\b", integer).replaceAll("\\bFLOAT\\b", real)
                .replaceAll("\\bBYTES\\b", bytes);
    }

    /** The column type of an added column, from its type word. */
    String type(String word) {
        return ddl(word);
    }

    /**
     * Appended to the claim's {@code SELECT}: PostgreSQL locks the row and lets other workers skip
     * it; SQLite needs nothing, the claim's transaction holds the database's one write lock
     * ({@code BEGIN IMMEDIATE}).
     */
    String lockForClaim() {
        return this == POSTGRES ? " FOR UPDATE SKIP LOCKED" : "";
    }

    /** The database's clock in milliseconds since 1970 (lease times come from one clock, not the workers'). */
    String nowMillis() {
        return this == POSTGRES ? "CAST(EXTRACT(EPOCH FROM clock_timestamp()) * 1000 AS BIGINT)"
                : "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)";
    }

    /** A query of one row and one column, the count of tables named {@code ?}. */
    String tableCount() {
        return this == POSTGRES
                ? "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?"
                : "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?";
    }

    /** A query of the column names of table {@code ?}. */
    String columns() {
        return this == POSTGRES
                ? "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?"
                : "SELECT name FROM pragma_table_info(?)";
    }

    /** Counts all tables (a database with tables but none of ours is someone else's). */
    String allTables() {
        return this == POSTGRES
                ? "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema()"
                : "SELECT count(*) FROM sqlite_master WHERE type = 'table'";
    }
}
