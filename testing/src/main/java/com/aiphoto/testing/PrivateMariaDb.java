package com.aiphoto.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A mariadbd of the test's own, on a free port with its data under a given directory, for faults that must not
 * touch the shared test server (killing the database itself). Grant tables are skipped: root with no password,
 * bound to 127.0.0.1 only. {@link #kill()} is SIGKILL, as a crash or the OOM killer would end it.
 */
public final class PrivateMariaDb implements AutoCloseable {
    private static final String MARIADBD = "/usr/sbin/mariadbd";

    private final Process process;
    private final int port;

    private PrivateMariaDb(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    /** Whether this machine can run one (the server binary is installed). */
    public static boolean available() {
        return Files.isExecutable(Path.of(MARIADBD));
    }

    /** Initialises a data directory under {@code dir} and starts the server; returns once it accepts connections. */
    public static PrivateMariaDb start(Path dir) {
        try {
            Path data = dir.resolve("data");
            Files.createDirectories(dir);
            String user = System.getProperty("user.name");
            run(
                    dir.resolve("install.log"),
                    List.of(
                            "mariadb-install-db",
                            "--no-defaults",
                            "--datadir=" + data,
                            "--user=" + user,
                            "--auth-root-authentication-method=normal",
                            "--skip-test-db"));
            int port;
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            Process p = new ProcessBuilder(
                            MARIADBD,
                            "--no-defaults",
                            "--datadir=" + data,
                            "--port=" + port,
                            "--bind-address=127.0.0.1",
                            "--socket=" + dir.resolve("sock"),
                            "--pid-file=" + dir.resolve("pid"),
                            "--user=" + user,
                            "--skip-grant-tables",
                            "--skip-log-bin",
                            "--innodb-buffer-pool-size=32M")
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("mariadbd.log").toFile())
                    .start();
            PrivateMariaDb db = new PrivateMariaDb(p, port);
            try {
                db.awaitUp(dir);
            } catch (RuntimeException e) {
                db.close();
                throw e;
            }
            return db;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(Path log, List<String> command) throws IOException {
        Process p = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException(command.getFirst() + " failed: " + Files.readString(log));
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void awaitUp(Path dir) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline && process.isAlive()) {
            try (Connection c = DriverManager.getConnection(url(""), "root", "")) {
                return;
            } catch (SQLException notYet) {
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
        }
        String log;
        try {
            log = Files.readString(dir.resolve("mariadbd.log"));
        } catch (IOException e) {
            log = e.toString();
        }
        throw new IllegalStateException("private mariadbd did not come up on port " + port + ": " + log);
    }

    public int port() {
        return port;
    }

    public ProcessHandle process() {
        return process.toHandle();
    }

    /** A JDBC URL (MariaDB driver) for {@code database} on this server; "" for none. */
    public String url(String database) {
        return "jdbc:mariadb://127.0.0.1:" + port + "/" + database;
    }

    /** Creates {@code database} and runs {@code statements} in it. */
    public void exec(String database, List<String> statements) {
        try (Connection c = DriverManager.getConnection(url(""), "root", "");
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS `" + database + "`");
            st.execute("USE `" + database + "`");
            for (String s : statements) {
                st.execute(s);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** DB_* settings (env-style keys) for {@code database} on this server. */
    public Map<String, String> settings(String database) {
        return Map.of(
                "DB_DRIVER", "mariadb",
                "DB_HOST", "127.0.0.1",
                "DB_PORT", Integer.toString(port),
                "DB_USER", "root",
                "DB_PASSWORD", "",
                "DB_NAME", database);
    }

    /** SIGKILL: no shutdown, clients see their connections drop mid-statement. Returns once it is gone. */
    public void kill() {
        process.destroyForcibly();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("mariadbd " + process.pid() + " survived SIGKILL");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Kills the server if it still runs (its data directory goes with the test's temporary directory). */
    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}
