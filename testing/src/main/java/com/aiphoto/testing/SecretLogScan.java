package com.aiphoto.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * "No secret in any log after the whole suite": reads the registries {@link TestSecrets} wrote into each module's
 * {@code target/}, and searches every log the build kept for each value: the surefire and failsafe reports (with
 * {@code redirectTestOutputToFile} their {@code -output.txt} files hold each test class's stdout and stderr: the
 * console log of every in-process server), what in-process opsctl runs printed ({@code opsctl-runs.log}), the
 * server log directories {@link KeptLogs} copied out of temporary directories ({@code kept-logs/}), and any
 * {@code *.log} under {@code target/}. A value is
 * searched as it is, JSON-escaped and XML-escaped (how log lines and the XML reports write it), and a multi-line
 * value (a PEM key) also line by line. Findings name the file and the secret's name, never the value.
 */
public final class SecretLogScan {
    /** Shorter values (an empty DB password, "pw") would match everywhere: listed as not scanned instead. */
    static final int MIN_LENGTH = 8;
    /** Lines of a multi-line value searched on their own: long enough to be specific. */
    private static final int MIN_LINE = 16;

    private static final int CHUNK = 16 << 20;
    private static final Set<String> SKIPPED_DIRS = Set.of(
            "classes",
            "test-classes",
            "maven-status",
            "generated-sources",
            "generated-test-sources",
            "maven-archiver",
            "libs");

    private SecretLogScan() {}

    /** A registered secret: its name (what it is) and value. */
    public record Secret(String name, String value) {
        @Override
        public String toString() {
            return name + " (" + value.length() + " chars)";
        }
    }

    /** {@code name}'s value found in {@code file}. */
    public record Leak(Path file, String name) {}

    /** What a scan read and found. */
    public record Result(List<Secret> secrets, Set<String> tooShort, List<Path> files, List<Leak> leaks) {
        /** One line per leak: file and secret name. */
        public String report() {
            StringBuilder sb = new StringBuilder();
            for (Leak l : leaks) {
                sb.append("secret ")
                        .append(l.name())
                        .append(" found in ")
                        .append(l.file())
                        .append('\n');
            }
            return sb.toString();
        }
    }

    /** Scans the modules of the repository at {@code repo} (each {@code repo/<module>/target}), every file. */
    public static Result scan(Path repo) {
        return scan(repo, Instant.EPOCH);
    }

    /**
     * Like {@link #scan(Path)}, reading only files written at or after {@code since} (this build's start): without
     * {@code mvn clean}, target/ still holds the reports of earlier runs (a test that logs nothing now leaves its
     * old output file), which would keep failing a fixed leak.
     */
    public static Result scan(Path repo, Instant since) {
        List<Path> targets = new ArrayList<>();
        try (Stream<Path> s = Files.list(repo)) {
            s.map(p -> p.resolve("target")).filter(Files::isDirectory).sorted().forEach(targets::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Secret> registered = new ArrayList<>();
        List<Path> files = new ArrayList<>();
        for (Path t : targets) {
            registered.addAll(readRegistry(t.resolve(TestSecrets.FILE_NAME)));
            for (Path f : logFiles(t)) {
                try {
                    if (!Files.getLastModifiedTime(f).toInstant().isBefore(since)) {
                        files.add(f);
                    }
                } catch (IOException gone) {
                    // removed since the walk: not a log any more
                }
            }
        }
        Set<String> tooShort = new LinkedHashSet<>();
        Map<String, Secret> scanned = new LinkedHashMap<>();
        for (Secret s : registered) {
            if (s.value().length() < MIN_LENGTH) {
                tooShort.add(s.name());
            } else {
                scanned.putIfAbsent(s.name() + "\0" + s.value(), s);
            }
        }
        List<Secret> secrets = List.copyOf(scanned.values());
        return new Result(secrets, tooShort, files, leaks(secrets, files));
    }

    /** The registry's entries; none when the file does not exist. */
    public static List<Secret> readRegistry(Path file) {
        if (!Files.exists(file)) {
            return List.of();
        }
        List<Secret> out = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                int tab = line.indexOf('\t');
                if (tab > 0) {
                    out.add(new Secret(
                            line.substring(0, tab),
                            new String(Base64.getDecoder().decode(line.substring(tab + 1)), StandardCharsets.UTF_8)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /**
     * The names of this JVM's registered secrets (see {@link TestSecrets#PROPERTY}) found in any column of the
     * {@code audit_logs} rows of the database {@code c} is connected to; none without that table or registry.
     */
    public static List<String> inAuditRows(Connection c) throws SQLException {
        String file = System.getProperty(TestSecrets.PROPERTY);
        if (file == null || file.isBlank()) {
            return List.of();
        }
        List<Secret> secrets = readRegistry(Path.of(file)).stream()
                .filter(s -> s.value().length() >= MIN_LENGTH)
                .toList();
        Set<String> found = new LinkedHashSet<>();
        try (Statement st = c.createStatement()) {
            try (ResultSet t = st.executeQuery("SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE()"
                    + " AND table_name = 'audit_logs'")) {
                if (secrets.isEmpty() || !t.next()) {
                    return List.of();
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT * FROM audit_logs")) {
                int columns = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    for (int i = 1; i <= columns; i++) {
                        String v = rs.getString(i);
                        if (v != null) {
                            secrets.stream().filter(s -> v.contains(s.value())).forEach(s -> found.add(s.name()));
                        }
                    }
                }
            }
        }
        return List.copyOf(found);
    }

    /** The log files under one module's {@code target/}: test reports and outputs, and {@code *.log}. */
    static List<Path> logFiles(Path target) {
        List<Path> out = new ArrayList<>();
        try {
            Files.walkFileTree(target, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) {
                    return SKIPPED_DIRS.contains(d.getFileName().toString())
                            ? FileVisitResult.SKIP_SUBTREE
                            : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) {
                    String n = f.getFileName().toString();
                    String parent = f.getParent().getFileName().toString();
                    boolean report = parent.equals("surefire-reports")
                            || parent.equals("failsafe-reports")
                            || target.relativize(f).startsWith(TestSecrets.KEPT_LOGS);
                    if (attrs.isRegularFile() && !n.equals(TestSecrets.FILE_NAME) && (report || n.endsWith(".log"))) {
                        out.add(f);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    return FileVisitResult.CONTINUE; // removed while we walk (a test still cleaning up): not a log
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.sort(null);
        return out;
    }

    /** Every (file, secret name) where one of the secret's forms occurs in the file. */
    static List<Leak> leaks(List<Secret> secrets, List<Path> files) {
        Map<Secret, List<String>> needles = new LinkedHashMap<>();
        int longest = 1;
        for (Secret s : secrets) {
            List<String> forms = forms(s.value());
            needles.put(s, forms);
            for (String f : forms) {
                longest = Math.max(longest, f.length());
            }
        }
        List<Leak> out = new ArrayList<>();
        for (Path file : files) {
            Set<String> found = new LinkedHashSet<>();
            // bytes as ISO-8859-1 chars, needles as their UTF-8 bytes the same way: a byte-exact search in any encoding
            try (InputStream in = Files.newInputStream(file)) {
                String carry = "";
                byte[] buf = new byte[CHUNK];
                int n;
                while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
                    String text = carry + new String(buf, 0, n, StandardCharsets.ISO_8859_1);
                    needles.forEach((s, forms) -> {
                        if (forms.stream().anyMatch(text::contains)) {
                            found.add(s.name());
                        }
                    });
                    carry = text.substring(Math.max(0, text.length() - longest + 1));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": " + e.getMessage(), e);
            }
            found.forEach(name -> out.add(new Leak(file, name)));
        }
        return out;
    }

    /** The forms a value takes in logs, each as its UTF-8 bytes read as ISO-8859-1. */
    static List<String> forms(String value) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(value);
        forms.add(value.replace("\\", "\\\\")
                .replace("\"", "\\\"")
                .replace("\n", "\\n")
                .replace("\r", "\\r")
                .replace("\t", "\\t")
                .replace("/", "\\/"));
        forms.add(value.replace("\\", "\\\\")
                .replace("\"", "\\\"")
                .replace("\n", "\\n")
                .replace("\r", "\\r")
                .replace("\t", "\\t"));
        forms.add(value.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&apos;"));
        if (value.contains("\n")) {
            value.lines()
                    .map(String::strip)
                    .filter(l -> l.length() >= MIN_LINE && !l.startsWith("-----"))
                    .forEach(forms::add);
        }
        return forms.stream()
                .map(f -> new String(f.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))
                .toList();
    }
}
