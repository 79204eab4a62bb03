package io.parsimony.experiment.store;

import io.parsimony.InputException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.HashSet;
import java.util.Set;

/**
 * One connection to a store and how it is used: every statement prepared, every write in one
 * transaction ({@link #inTransaction}), every SQL error turned into a one-line
 * {@link InputException} naming the store. Shared by the result tables ({@link JdbcResultStore})
 * and the work queue ({@link WorkQueue}); calls are serialised on this object.
 */
public final class Database implements AutoCloseable {

    final StoreLocation where;
    final Dialect dialect;
    final Connection conn;

    Database(StoreLocation where, Dialect dialect, Connection conn) {
        this.where = where;
        this.dialect = dialect;
        this.conn = conn;
    }

    @FunctionalInterface
    interface Work<T> {
        T run() throws SQLException;
    }

    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement ps) throws SQLException;
    }

    /** Runs {@code work} in one transaction (SQLite: IMMEDIATE, the write lock taken at BEGIN). */
    synchronized <T> T inTransaction(Work<T> work) {
        try {
            conn.setAutoCommit(false);
            try {
                T v = work.run();
                conn.commit();
                return v;
            } catch (SQLException | RuntimeException e) {
                rollbackQuietly();
                throw e;
            } finally {
                conn.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw error(e);
        }
    }

    /** Runs {@code work} outside a transaction (reads). */
    synchronized <T> T read(Work<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw error(e);
        }
    }

    int update(String sql, Binder b) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            b.bind(ps);
            return ps.executeUpdate();
        }
    }

    long count(String sql, Binder b) throws SQLException {
        try (PreparedStatement ps = conn.prepareStatement(sql)) {
            b.bind(ps);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        }
    }

    boolean hasTable(String name) throws SQLException {
        return count(dialect.tableCount(), ps -> ps.setString(1, name)) > 0;
    }

    Set<String> columns(String table) throws SQLException {
        Set<String> out = new HashSet<>();
        try (PreparedStatement ps = conn.prepareStatement(dialect.columns())) {
            ps.setString(1, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    void rollbackQuietly() {
        try {
            conn.rollback();
        } catch (SQLException ignored) {
            // the transaction is gone either way
        }
    }

    /** An SQL error as one line naming the store and what to do. */
    InputException error(SQLException e) {
        String m = String.valueOf(e.getMessage()).replace('\n', ' ');
        if (dialect == Dialect.SQLITE) {
            return SqliteFiles.error(where.file(), m);
        }
        return new InputException("results store " + where + ": " + m);
    }

    @Override
    public synchronized void close() {
        try {
            conn.close();
        } catch (SQLException e) {
            throw error(e);
        }
    }

    static void setLong(PreparedStatement ps, int i, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(i, Types.BIGINT);
        } else {
            ps.setLong(i, v);
        }
    }

    static void setDouble(PreparedStatement ps, int i, Double v) throws SQLException {
        if (v == null || !Double.isFinite(v)) {
            ps.setNull(i, Types.DOUBLE);
        } else {
            ps.setDouble(i, v);
        }
    }

    static Long getLong(ResultSet rs, int i) throws SQLException {
        long v = rs.getLong(i);
        return rs.wasNull() ? null : v;
    }

    static Integer getInt(ResultSet rs, int i) throws SQLException {
        int v = rs.getInt(i);
        return rs.wasNull() ? null : v;
    }

    static Double getDouble(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }
}
