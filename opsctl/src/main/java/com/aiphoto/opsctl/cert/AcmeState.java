package com.aiphoto.opsctl.cert;

import com.aiphoto.opsctl.cli.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What ACME renewal remembers between runs, in ACME_STATE_DIR: the account key ({@code account.key}, 0600),
 * one {@code <name>.json} per certificate (its names, key type, the ARI window and the time chosen in it, when
 * the CA allows the next renewal-info request, failures and the back-off), and {@code issued.json}, the local
 * ledger of issued name sets that keeps us under Let's Encrypt's duplicate-certificate limit.
 */
final class AcmeState {
    /** Let's Encrypt: at most 5 certificates for the exact same set of names per 7 days. */
    static final int DUPLICATE_LIMIT = 5;

    static final Duration DUPLICATE_WINDOW = Duration.ofDays(7);

    private final Path dir;

    AcmeState(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** One certificate's renewal state. Null fields mean "not known (yet)". */
    record Cert(
            String name,
            List<String> domains,
            KeyType keyType,
            Instant ariWindowStart,
            Instant ariWindowEnd,
            Instant renewAt,
            Instant ariCheckAfter,
            int failures,
            Instant backoffUntil,
            String lastError) {
        static Cert fresh(String name, List<String> domains, KeyType keyType) {
            return new Cert(name, List.copyOf(domains), keyType, null, null, null, null, 0, null, null);
        }

        Cert withAri(Instant start, Instant end, Instant renewAt, Instant checkAfter) {
            return new Cert(name, domains, keyType, start, end, renewAt, checkAfter, failures, backoffUntil, lastError);
        }

        Cert failed(String error, Instant now) {
            int n = failures + 1;
            return new Cert(
                    name,
                    domains,
                    keyType,
                    ariWindowStart,
                    ariWindowEnd,
                    renewAt,
                    ariCheckAfter,
                    n,
                    now.plus(backoff(n)),
                    error);
        }

        /** After a new certificate: the old window and the back-off no longer apply. */
        Cert renewed() {
            return new Cert(name, domains, keyType, null, null, null, null, 0, null, null);
        }

        /** 1 h after the first failure, doubling to at most 1 day: a twice-daily timer never hammers the CA. */
        static Duration backoff(int failures) {
            return Duration.ofHours(1L << Math.min(failures - 1, 5)).compareTo(Duration.ofDays(1)) > 0
                    ? Duration.ofDays(1)
                    : Duration.ofHours(1L << Math.min(failures - 1, 5));
        }
    }

    record Issued(List<String> names, Instant at, String serial) {}

    record Ledger(List<Issued> issued) {}

    Path file(String name) {
        return dir.resolve(name + ".json");
    }

    Optional<Cert> load(String name) {
        Path f = file(name);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Json.bind(Json.read(Files.readString(f, StandardCharsets.UTF_8)), Cert.class));
        } catch (IOException | IllegalArgumentException e) {
            throw new CertException("unreadable ACME state " + f + ": " + e.getMessage(), e);
        }
    }

    void save(Cert c) throws IOException {
        Files.createDirectories(dir);
        CertFiles.atomicWrite(file(c.name()), Json.write(c).getBytes(StandardCharsets.UTF_8), false);
    }

    /** The names of every certificate with state, sorted. */
    List<String> names() throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString())
                    .filter(f -> f.endsWith(".json") && !f.equals("issued.json"))
                    .map(f -> f.substring(0, f.length() - ".json".length()))
                    .sorted()
                    .toList();
        }
    }

    /** The ACME account key, made (EC P-256, 0600) on first use. */
    KeyPair accountKey() throws IOException {
        Path f = dir.resolve("account.key");
        if (Files.isRegularFile(f)) {
            return Pem.keyPair(f);
        }
        Files.createDirectories(dir);
        KeyPair kp = KeyType.EC256.generate();
        CertFiles.atomicWrite(f, Pem.write(kp, kp.getPublic()).getBytes(StandardCharsets.US_ASCII), true);
        return kp;
    }

    private Path ledgerFile() {
        return dir.resolve("issued.json");
    }

    Ledger ledger() {
        Path f = ledgerFile();
        if (!Files.isRegularFile(f)) {
            return new Ledger(List.of());
        }
        try {
            return Json.bind(Json.read(Files.readString(f, StandardCharsets.UTF_8)), Ledger.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new CertException("unreadable ledger " + f + ": " + e.getMessage(), e);
        }
    }

    /** Records an issued certificate; entries older than the window are dropped. */
    void recordIssued(List<String> names, Instant at, String serial) throws IOException {
        List<Issued> kept = new ArrayList<>(ledger().issued().stream()
                .filter(i -> i.at().isAfter(at.minus(DUPLICATE_WINDOW)))
                .toList());
        kept.add(new Issued(canonical(names), at, serial));
        Files.createDirectories(dir);
        CertFiles.atomicWrite(ledgerFile(), Json.write(new Ledger(kept)).getBytes(StandardCharsets.UTF_8), false);
    }

    /** When another certificate for exactly these names may be ordered; empty when now is fine. */
    Optional<Instant> duplicateLimitUntil(List<String> names, Instant now) {
        List<String> key = canonical(names);
        List<Instant> recent = ledger().issued().stream()
                .filter(i -> canonical(i.names()).equals(key) && i.at().isAfter(now.minus(DUPLICATE_WINDOW)))
                .map(Issued::at)
                .sorted()
                .toList();
        if (recent.size() < DUPLICATE_LIMIT) {
            return Optional.empty();
        }
        return Optional.of(recent.get(recent.size() - DUPLICATE_LIMIT).plus(DUPLICATE_WINDOW));
    }

    /** Let's Encrypt compares name sets case-insensitively and without order. */
    static List<String> canonical(List<String> names) {
        TreeSet<String> set = new TreeSet<>();
        names.forEach(n -> set.add(n.toLowerCase(java.util.Locale.ROOT)));
        return List.copyOf(set);
    }
}
