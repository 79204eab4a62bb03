package io.parsimony.experiment.store;

import org.postgresql.jdbcurlresolver.PgPassParser;

import java.util.Map;
import java.util.Properties;

/**
 * The user and password of a PostgreSQL store, read the way libpq reads them: the URL's
 * {@code user} or {@code PGUSER} or the login name; the password from {@code PGPASSWORD}, else
 * the pgpass file ({@code PGPASSFILE} or {@code ~/.pgpass}, read by the driver's own parser). The
 * driver itself reads no {@code PGPASSWORD}, hence this. The password goes into connection
 * properties only: never into a URL, a command line or a message.
 */
final class PgCredentials {

    private PgCredentials() {
    }

    static Properties properties(StoreLocation where, Map<String, String> env) {
        Properties p = new Properties();
        String user = where.parameter("user");
        if (user == null) {
            user = env.getOrDefault("PGUSER", System.getProperty("user.name"));
        }
        p.setProperty("user", user);
        String password = env.get("PGPASSWORD");
        if (password == null) {
            password = PgPassParser.getPassword(where.host(), String.valueOf(where.port()), where.database(), user);
        }
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("ApplicationName", "parsimony");
        return p;
    }
}
