package com.aiphoto.opsctl.backup;

import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.Json;
import com.aiphoto.opsctl.cli.OpsctlException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The backup directory: {@code <name>.sql.zst} (or .gz, .sql) with its manifest {@code <name>.json}; a data
 * file being written is {@code <file>.partial}. Files are created 0600 and the directory 0700: a backup holds
 * every user's data. Manifests are replaced atomically (temp file, fsync, rename).
 */
final class BackupStore {
    static final String PARTIAL = ".partial";
    /** Held (an OS file lock) while a backup is written or files are deleted; see {@link #lock}. */
    static final String LOCK = ".lock";

    static final String TMP = ".json.tmp";
    static final String VERIFY_MARKER = ".verify-";
    private static final DateTimeFormatter STAMP =
            DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final long LOCK_POLL_MS = 100;

    private final Path dir;

    BackupStore(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    void ensureDirectory() throws IOException {
        if (!Files.isDirectory(dir)) {
            try {
                Files.createDirectories(
                        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException e) {
                Files.createDirectories(dir);
            }
        }
    }

    /**
     * {@code ai_photo-20250102-030405.678Z-1a2b3c[-tag]}: milliseconds and a random part, so two backups
     * started at the same moment (in two processes, or two hosts sharing the directory) never pick the same
     * name; a name already present is still never reused.
     */
    String newName(String database, Instant at, String tag) {
        String name;
        do {
            byte[] random = new byte[3];
            RANDOM.nextBytes(random);
            name = database + "-" + STAMP.format(at) + "-" + HexFormat.of().formatHex(random)
                    + (tag == null ? "" : "-" + tag);
        } while (taken(name));
        return name;
    }

    /**
     * Takes the directory's exclusive lock (an OS lock on {@code .lock}, dropped by the OS when the process
     * dies, so a killed backup never leaves it held), waiting while another backup or prune holds it;
     * {@code waiting} is told once when it has to wait.
     */
    DirectoryLock lock(Consumer<String> waiting) throws IOException, InterruptedException {
        ensureDirectory();
        Path file = dir.resolve(LOCK);
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            boolean told = false;
            while (true) {
                FileLock lock;
                try {
                    lock = ch.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null; // held by another thread of this JVM (tests, or migrate's backup beside another)
                }
                if (lock != null) {
                    return new DirectoryLock(ch, lock);
                }
                if (!told) {
                    waiting.accept("another backup or prune is using " + dir + "; waiting for it to finish");
                    told = true;
                }
                Thread.sleep(LOCK_POLL_MS);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    /** True when no process holds the directory lock now (then .partial files are leftovers). */
    boolean idle() throws IOException {
        if (!Files.isDirectory(dir)) {
            return true;
        }
        try (FileChannel ch =
                FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock != null) {
                lock.release();
                return true;
            }
            return false;
        } catch (OverlappingFileLockException e) {
            return false;
        }
    }

    /** The held directory lock; closing it releases it. The lock file itself stays (deleting it would race). */
    static final class DirectoryLock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private DirectoryLock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() throws IOException {
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }

    private boolean taken(String name) {
        if (Files.exists(dir.resolve(name + ".json"))) {
            return true;
        }
        for (Compression c : Compression.values()) {
            if (Files.exists(dir.resolve(name + c.extension))
                    || Files.exists(dir.resolve(name + c.extension + PARTIAL))) {
                return true;
            }
        }
        return false;
    }

    /** Every readable manifest, newest first. Unreadable ones are reported in {@code problems}. */
    List<BackupManifest> list(List<String> problems) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<BackupManifest> out = new ArrayList<>();
        for (Path p : files(".json")) {
            try {
                out.add(BackupManifest.fromJson(Files.readString(p, StandardCharsets.UTF_8)));
            } catch (IOException | RuntimeException e) {
                problems.add(p.getFileName() + ": unreadable manifest (" + e.getMessage() + ")");
            }
        }
        out.sort(Comparator.comparing(BackupManifest::createdAt).reversed());
        return out;
    }

    /** A backup by name, or the newest for "latest"; exit 1 naming the directory when there is none. */
    BackupManifest find(String nameOrLatest) {
        List<BackupManifest> all = list(new ArrayList<>());
        if ("latest".equals(nameOrLatest)) {
            if (all.isEmpty()) {
                throw new OpsctlException(ExitCode.FAILED, "no backups in " + dir);
            }
            return all.getFirst();
        }
        String name =
                nameOrLatest.endsWith(".json") ? nameOrLatest.substring(0, nameOrLatest.length() - 5) : nameOrLatest;
        return all.stream()
                .filter(m -> m.name().equals(name) || m.file().equals(name))
                .findFirst()
                .orElseThrow(() -> new OpsctlException(
                        ExitCode.FAILED,
                        "no backup named " + nameOrLatest + " in " + dir + " (see opsctl backup list)"));
    }

    Path file(BackupManifest m) {
        return dir.resolve(m.file());
    }

    /** The data file is there with its recorded size (cheap: no hashing; create and verify hash). */
    boolean fileIntact(BackupManifest m) {
        try {
            return Files.isRegularFile(file(m)) && Files.size(file(m)) == m.size();
        } catch (IOException e) {
            return false;
        }
    }

    Path manifestFile(BackupManifest m) {
        return dir.resolve(m.name() + ".json");
    }

    void save(BackupManifest m) throws IOException {
        Path target = manifestFile(m);
        Path tmp = dir.resolve(m.name() + TMP);
        Files.deleteIfExists(tmp);
        createPrivate(tmp);
        try {
            Files.writeString(tmp, Json.write(m) + "\n", StandardCharsets.UTF_8);
            fsync(tmp);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(tmp); // a full disk must not leave a 0-byte temp file beside the manifest
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        fsyncDirectory();
    }

    void delete(BackupManifest m) throws IOException {
        // manifest first: without it the data file is no longer a backup, whatever happens next
        Files.deleteIfExists(manifestFile(m));
        Files.deleteIfExists(file(m));
    }

    /** Something an interrupted run left: a file here, or the scratch database a verify marker names. */
    record Leftover(Path file, String what) {}

    /**
     * What killed runs left in the directory: option files (with a password) and verify markers whose process
     * is gone, and, when no backup holds the lock, .partial data files and manifest temp files.
     */
    List<Leftover> leftovers() throws IOException {
        List<Leftover> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                String n = p.getFileName().toString();
                if (MysqlClients.optionsFilePid(n).stream().anyMatch(pid -> !alive(pid))) {
                    out.add(new Leftover(p, "client option file " + n + " (holds the database password)"));
                } else if (n.startsWith(VERIFY_MARKER)) {
                    VerifyMarker m = VerifyMarker.parse(n);
                    if (m != null && !alive(m.pid())) {
                        out.add(new Leftover(p, "scratch database " + m.database() + " of an interrupted verify"));
                    }
                }
            }
        }
        if (idle()) {
            for (Path p : files(PARTIAL)) {
                out.add(new Leftover(p, "partial data file " + p.getFileName() + " of an interrupted backup"));
            }
            for (Path p : files(TMP)) {
                out.add(new Leftover(p, "manifest temp file " + p.getFileName()));
            }
        }
        return out;
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** {@code .verify-<pid>-<scratch db>}: present while a verify's scratch database exists. */
    record VerifyMarker(long pid, String database) {
        static VerifyMarker parse(String fileName) {
            String rest = fileName.substring(VERIFY_MARKER.length());
            int dash = rest.indexOf('-');
            try {
                return dash < 0
                        ? null
                        : new VerifyMarker(Long.parseLong(rest.substring(0, dash)), rest.substring(dash + 1));
            } catch (NumberFormatException e) {
                return null;
            }
        }

        String fileName() {
            return VERIFY_MARKER + pid + "-" + database;
        }
    }

    /** Data files being written, or left by a process that died while writing one. */
    List<Path> partials() {
        return files(PARTIAL);
    }

    /** Data files no manifest claims (a backup whose manifest was never written, or was removed). */
    List<Path> orphans(List<BackupManifest> manifests) {
        List<String> claimed = manifests.stream().map(BackupManifest::file).toList();
        List<Path> out = new ArrayList<>();
        for (Compression c : Compression.values()) {
            for (Path p : files(c.extension)) {
                String n = p.getFileName().toString();
                if (!claimed.contains(n)
                        && !(c == Compression.none && (n.endsWith(".sql.zst") || n.endsWith(".sql.gz")))) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    private List<Path> files(String suffix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix) && Files.isRegularFile(p))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** SHA-256 of a file, hex. */
    static String sha256(Path file) throws IOException {
        MessageDigest md = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), md)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void createPrivate(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            throw new IOException(file + " already exists", e);
        }
    }

    static void fsync(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** Makes renames in the directory durable (Linux allows opening a directory for this). */
    void fsyncDirectory() {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not supported on this platform: the rename is still atomic, only its durability is the OS's
        }
    }
}
