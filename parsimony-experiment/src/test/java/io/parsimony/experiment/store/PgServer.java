package io.parsimony.experiment.store;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real PostgreSQL server for tests: {@code $PARSIMONY_TEST_PG_URL} when set (its password in
 * {@code PGPASSWORD} or a pgpass file), else a throw-away cluster started once per test JVM from
 * the Debian binaries ({@code apt-get install postgresql}, done by {@code bin/setup}) in a temp
 * directory on a free port, password-protected (scram), stopped when the JVM exits. Its password
 * is written to {@code $PGPASSFILE} (surefire sets it to {@code target/test-pgpass}), the way a
 * user's {@code ~/.pgpass} holds it. When no server can be started the tests fail, loudly: they
 * never skip.
 */
public final class PgServer {

    private static PgServer server;

    /** The password of the throw-away cluster (tests check it never leaks); null for an external server. */
    public final String password;
    private final String baseUrl;
    private final String host;
    private final int port;

    private PgServer(String baseUrl, String host, int port, String password) {
        this.baseUrl = baseUrl;
        this.host = host;
        this.port = port;
        this.password = password;
    }

    public static synchronized PgServer get() {
        if (server == null) {
            String ext = System.getenv("PARSIMONY_TEST_PG_URL");
            server = ext != null && !ext.isBlank() ? external(ext) : start();
        }
        return server;
    }

    /** A new empty database on the server; its URL (with user, without password). */
    public String freshDatabase(String prefix) {
        String name = prefix.toLowerCase().replaceAll("[^a-z0-9]+", "_") + "_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = DriverManager.getConnection(baseUrl, PgCredentials.properties(StoreLocation.parse(baseUrl), System.getenv()));
             Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException("cannot create test database " + name + " on " + baseUrl + ": " + e.getMessage(), e);
        }
        return "jdbc:postgresql://" + host + ":" + port + "/" + name + "?user=postgres";
    }

    private static PgServer external(String url) {
        StoreLocation l = StoreLocation.parse(url);
        return new PgServer(url, l.host(), l.port(), null);
    }

    private static PgServer start() {
        Path bin = binaries();
        String passFile = System.getenv("PGPASSFILE");
        if (passFile == null) {
            throw new IllegalStateException("PGPASSFILE is not set: run the tests through Maven (surefire sets it), or set "
                    + "PARSIMONY_TEST_PG_URL and PGPASSWORD");
        }
        try {
            Path dir = Files.createTempDirectory("parsimony-pg-");
            boolean root = "root".equals(System.getProperty("user.name"));
            String password = "Pw-" + UUID.randomUUID();
            Path pw = dir.resolve("pw");
            Files.writeString(pw, password + "\n");
            Path data = dir.resolve("data");
            if (root) {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                run(List.of("chown", "-R", "postgres", dir.toString()), dir);
            }
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            run(asPostgres(root, bin.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "--pwfile", pw.toString(),
                    "--auth-host=scram-sha-256", "--auth-local=trust", "-E", "UTF8", "--no-sync"), dir);
            run(asPostgres(root, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", dir.resolve("log").toString(), "-w",
                    "-t", "60", "-o", "-p " + port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off "
                            + "-c max_connections=100", "start"), dir);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    run(asPostgres(root, bin.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", "immediate", "stop"), dir);
                    try (Stream<Path> s = Files.walk(dir)) {
                        s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                    }
                } catch (Exception ignored) {
                    // the JVM is ending
                }
            }));
            Path pf = Path.of(passFile);
            Files.createDirectories(pf.toAbsolutePath().getParent());
            Files.writeString(pf, "127.0.0.1:" + port + ":*:postgres:" + password + "\n");
            Files.setPosixFilePermissions(pf, PosixFilePermissions.fromString("rw-------"));
            return new PgServer("jdbc:postgresql://127.0.0.1:" + port + "/postgres?user=postgres", "127.0.0.1", port, password);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the test PostgreSQL server: " + e.getMessage(), e);
        }
    }

    private static Path binaries() {
        Path base = Path.of("/usr/lib/postgresql");
        try (Stream<Path> s = Files.list(base)) {
            return s.map(p -> p.resolve("bin")).filter(p -> Files.isExecutable(p.resolve("initdb")))
                    .max(Comparator.comparingInt(p -> Integer.parseInt(p.getParent().getFileName().toString().replaceAll("\\D", "0"))))
                    .orElseThrow(() -> new IllegalStateException("no initdb under " + base + "; install PostgreSQL "
                            + "(apt-get install postgresql, as bin/setup does) or set PARSIMONY_TEST_PG_URL"));
        } catch (IOException e) {
            throw new IllegalStateException("no PostgreSQL server binaries under " + base + "; install PostgreSQL "
                    + "(apt-get install postgresql, as bin/setup does) or set PARSIMONY_TEST_PG_URL", e);
        }
    }

    private static List<String> asPostgres(boolean root, String... cmd) {
        List<String> out = new ArrayList<>();
        if (root) {   // initdb refuses to run as root
            out.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        out.addAll(List.of(cmd));
        return out;
    }

    private static void run(List<String> cmd, Path dir) throws IOException {
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                String log = Files.exists(dir.resolve("log")) ? Files.readString(dir.resolve("log")) : "";
                throw new IllegalStateException("test PostgreSQL: " + String.join(" ", cmd) + " failed: " + out + log);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Connection properties as the store reads them (for tests that look at the database directly). */
    public static Properties credentials(String url) {
        return PgCredentials.properties(StoreLocation.parse(url), System.getenv());
    }
}
