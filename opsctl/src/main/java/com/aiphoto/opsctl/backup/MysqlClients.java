package com.aiphoto.opsctl.backup;

import com.aiphoto.core.db.DatabaseSettings;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.OpsctlException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * The MySQL/MariaDB command-line clients opsctl runs as child processes (never through a shell): the dump tool
 * (mariadb-dump, else mysqldump) and the client (mariadb, else mysql). Connection settings, the password
 * included, go to them in a 0600 option file named by {@code --defaults-file} and deleted afterwards: never on
 * the command line, which {@code ps} shows to every user. {@code --defaults-file} rather than
 * {@code --defaults-extra-file}, so that an operator's {@code ~/.my.cnf} cannot override them.
 */
final class MysqlClients {
    /** A tool found on PATH, with its {@code --version} line; {@code mariadb} selects MariaDB-only flags. */
    record Tool(Path path, boolean mariadb, String version) {}

    static final String OPTIONS_PREFIX = ".client-";
    static final String OPTIONS_SUFFIX = ".cnf";

    private MysqlClients() {}

    /** The process that wrote an option file, from its name; empty when the name is not one of ours. */
    static OptionalLong optionsFilePid(String fileName) {
        if (!fileName.startsWith(OPTIONS_PREFIX) || !fileName.endsWith(OPTIONS_SUFFIX)) {
            return OptionalLong.empty();
        }
        String rest = fileName.substring(OPTIONS_PREFIX.length());
        int dash = rest.indexOf('-');
        try {
            return dash < 0 ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(rest.substring(0, dash)));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    static Tool dump() {
        return find("mariadb-dump", "mysqldump");
    }

    static Tool client() {
        return find("mariadb", "mysql");
    }

    private static Tool find(String... names) {
        for (String name : names) {
            Optional<Path> p = onPath(name);
            if (p.isPresent()) {
                String version = version(p.get());
                return new Tool(p.get(), version.contains("MariaDB"), version);
            }
        }
        throw new OpsctlException(
                ExitCode.PRECONDITION,
                "neither " + String.join(" nor ", names)
                        + " found on PATH; install the MariaDB or MySQL client (Debian: apt-get install mariadb-client)");
    }

    private static Optional<Path> onPath(String name) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static String version(Path tool) {
        try {
            Process p = new ProcessBuilder(tool.toString(), "--version")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            p.waitFor(10, TimeUnit.SECONDS);
            return out.lines().findFirst().orElse(tool.getFileName().toString());
        } catch (IOException e) {
            throw new OpsctlException(ExitCode.PRECONDITION, "cannot run " + tool + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return tool.getFileName().toString();
        }
    }

    /** A running child: its process, and the tail of its stderr for the error message if it fails. */
    static final class Child implements AutoCloseable {
        private final Process process;
        private final Path optionsFile;
        private final Deque<String> stderrTail = new ArrayDeque<>();
        private final Thread stderrReader;

        /** Ctrl-C or SIGTERM while the child runs: stop it and delete the option file before the JVM exits. */
        private final Thread onSignal;

        private Child(Process process, Path optionsFile) {
            this.process = process;
            this.optionsFile = optionsFile;
            this.stderrReader =
                    Thread.ofPlatform().daemon().name("child-stderr").start(this::readStderr);
            this.onSignal = new Thread(this::stop, "child-cleanup");
            Runtime.getRuntime().addShutdownHook(onSignal);
        }

        Process process() {
            return process;
        }

        /** Waits for the exit code, and for stderr to be read to its end. */
        int waitFor() throws InterruptedException {
            int code = process.waitFor();
            stderrReader.join(5000);
            return code;
        }

        /** The child's last stderr lines on one line, or a fallback. */
        String lastError(String fallback) {
            synchronized (stderrTail) {
                return stderrTail.isEmpty() ? fallback : String.join(" / ", stderrTail);
            }
        }

        private void readStderr() {
            try (InputStream in = process.getErrorStream()) {
                for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\\R")) {
                    if (!line.isBlank()) {
                        synchronized (stderrTail) {
                            stderrTail.addLast(line.strip());
                            if (stderrTail.size() > 3) {
                                stderrTail.removeFirst();
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // the process is gone; its exit code tells
            }
        }

        /** Kills the child if it still runs, and deletes the option file. */
        @Override
        public void close() {
            try {
                Runtime.getRuntime().removeShutdownHook(onSignal);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs (or ran) the same clean-up
            }
            stop();
        }

        private void stop() {
            if (process.isAlive()) {
                process.destroyForcibly();
                try {
                    process.waitFor(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                Files.deleteIfExists(optionsFile);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete the client option file " + optionsFile, e);
            }
        }
    }

    /**
     * Starts {@code tool} with the connection settings of {@code db} and then {@code args}. Its environment
     * carries nothing but PATH and locale, so a MYSQL_PWD or MYSQL_HOST of the caller cannot interfere.
     */
    static Child start(
            Tool tool, DatabaseSettings db, List<String> args, ProcessBuilder.Redirect stdout, Path optionsDir)
            throws IOException {
        Path options = optionsFile(optionsDir, db, tool.mariadb());
        try {
            List<String> command = command(
                    tool,
                    options,
                    args,
                    stdout.type() == ProcessBuilder.Redirect.Type.PIPE ? onPath("stdbuf") : Optional.empty());
            ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(stdout);
            Map<String, String> env = pb.environment();
            env.keySet().removeIf(k -> !k.equals("PATH") && !k.startsWith("LC_") && !k.equals("LANG"));
            return new Child(pb.start(), options);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(options);
            throw e;
        }
    }

    /**
     * The child's command line. A tool whose output opsctl reads through a pipe runs under coreutils' {@code stdbuf
     * -o1M} where that is installed: mariadb-dump writes through stdio, which gives a pipe 4 KiB writes, each of which
     * can wake the reading JVM (~134,000 at 1M users: ~0.6 s of system time and ~7 % of a backup's wall time on two
     * cores, deploy/bench/README.md); with a 1 MiB buffer the pipe is filled in 64 KiB reads. stdbuf execs the tool
     * (same process, so signals and exit codes are the tool's); without stdbuf the tool runs as it is.
     */
    static List<String> command(Tool tool, Path options, List<String> args, Optional<Path> stdbuf) {
        List<String> command = new ArrayList<>();
        stdbuf.ifPresent(p -> command.addAll(List.of(p.toString(), "-o1M")));
        command.add(tool.path().toString());
        command.add("--defaults-file=" + options); // must come first
        command.addAll(args);
        return command;
    }

    /**
     * In the (0700) backup directory, named after this process, so that one left by a killed run is known for
     * what it is (its process is gone) and {@code backup status} / {@code backup cleanup} find it.
     */
    private static Path optionsFile(Path dir, DatabaseSettings db, boolean mariadb) throws IOException {
        Path file;
        String prefix = OPTIONS_PREFIX + ProcessHandle.current().pid() + "-";
        try {
            file = Files.createTempFile(
                    dir,
                    prefix,
                    OPTIONS_SUFFIX,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            file = Files.createTempFile(dir, prefix, OPTIONS_SUFFIX);
        }
        List<String> lines = new ArrayList<>(List.of(
                "[client]",
                "host=" + quote(db.host().orElseThrow()),
                "port=" + db.port(),
                "user=" + quote(db.user()),
                "password=" + quote(db.password())));
        String params = db.extraParams().toLowerCase(java.util.Locale.ROOT);
        if (params.contains("usessl=false") || params.contains("sslmode=disabled")) {
            lines.add(mariadb ? "skip-ssl" : "ssl-mode=DISABLED");
        }
        Files.write(file, lines, StandardCharsets.UTF_8);
        return file;
    }

    /** Option-file values in double quotes, where backslash escapes apply. */
    private static String quote(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
