package io.parsimony.experiment.store;

import io.parsimony.InputException;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where a results store lives, as {@code --store} names it: an SQLite file (the embedded default,
 * one machine) or a PostgreSQL database {@code jdbc:postgresql://host:port/db} (many machines on
 * one study). The password is never part of it: it comes from {@code PGPASSWORD} or a pgpass file
 * ({@link PgCredentials}), so this value may be printed, logged and stored in commands.
 *
 * @param file the SQLite file, or null
 * @param url  the PostgreSQL JDBC URL (without password), or null
 */
public record StoreLocation(Path file, String url) {

    public StoreLocation {
        if ((file == null) == (url == null)) {
            throw new IllegalArgumentException("a store is either a file or a URL");
        }
    }

    public static StoreLocation of(Path file) {
        return new StoreLocation(file, null);
    }

    /** Parses {@code --store}: a {@code jdbc:postgresql:} URL, else a file path. */
    public static StoreLocation parse(String text) {
        if (text == null || text.isBlank()) {
            throw new InputException("--store is empty; give an SQLite file or jdbc:postgresql://host:port/db");
        }
        String lower = text.toLowerCase(Locale.ROOT);
        if (lower.startsWith("jdbc:") || lower.startsWith("postgres://") || lower.startsWith("postgresql://")) {
            if (!lower.startsWith("jdbc:postgresql://")) {
                throw new InputException("store URL '" + safe(text) + "' is not supported; give jdbc:postgresql://host:port/db "
                        + "or an SQLite file");
            }
            if (lower.matches(".*[?&]password=.*")) {
                throw new InputException("the store URL carries a password; remove it and set PGPASSWORD or ~/.pgpass instead");
            }
            URI u;
            try {
                u = URI.create(text.substring("jdbc:".length()));
            } catch (IllegalArgumentException e) {
                throw new InputException("store URL '" + safe(text) + "' is malformed; give jdbc:postgresql://host:port/db");
            }
            if (u.getUserInfo() != null) {
                throw new InputException("the store URL carries user information before '@'; give the user as ?user=NAME "
                        + "and the password in PGPASSWORD or ~/.pgpass");
            }
            if (u.getHost() == null || u.getPath() == null || u.getPath().length() < 2) {
                throw new InputException("store URL '" + safe(text) + "' names no host or database; give "
                        + "jdbc:postgresql://host:port/db");
            }
            return new StoreLocation(null, text);
        }
        return of(Path.of(text));
    }

    /** A URL as it may be shown in an error: any password parameter cut out. */
    private static String safe(String text) {
        return text.replaceAll("(?i)password=[^&]*", "password=***");
    }

    public boolean postgres() {
        return url != null;
    }

    /**
     * The path that reports, plots and run directories are named after ({@link
     * io.parsimony.experiment.store.ResultStore#sibling}): the SQLite file, or for a database
     * {@code <db>.postgresql} in the working directory ({@code <db>-runs/}, {@code <db>.html}).
     */
    public Path anchor() {
        if (file != null) {
            return file;
        }
        return Path.of(database() + ".postgresql");
    }

    /** The database name of a PostgreSQL URL. */
    public String database() {
        URI u = URI.create(url.substring("jdbc:".length()));
        return u.getPath().substring(1);
    }

    public String host() {
        return URI.create(url.substring("jdbc:".length())).getHost();
    }

    public int port() {
        int p = URI.create(url.substring("jdbc:".length())).getPort();
        return p < 0 ? 5432 : p;
    }

    /** A query parameter of the URL, or null. */
    public String parameter(String name) {
        String q = URI.create(url.substring("jdbc:".length())).getRawQuery();
        if (q == null) {
            return null;
        }
        for (String kv : q.split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0 && kv.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(kv.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** What {@code --store} said (never a password: a URL with one is refused). */
    @Override
    public String toString() {
        return file != null ? file.toString() : url;
    }
}
