package com.aiphoto.opsctl.cert;

import com.aiphoto.opsctl.cli.AtomicFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * One certificate where nginx reads it: {@code <CERT_DIR>/<name>/fullchain.pem} (leaf, then the chain) and
 * {@code privkey.pem} (0600). Writes are atomic: temp file in the same directory, fsync, rename, fsync of the
 * directory, so a crash leaves the old file or the new one, never half of either.
 */
record CertFiles(Path dir, String name) {
    static CertFiles of(Path certDir, String name) {
        if (!name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,99}")) {
            throw new IllegalArgumentException("certificate name must be letters, digits, '.', '_' or '-': " + name);
        }
        return new CertFiles(certDir.resolve(name), name);
    }

    Path fullchain() {
        return dir.resolve("fullchain.pem");
    }

    Path privkey() {
        return dir.resolve("privkey.pem");
    }

    boolean exists() {
        return Files.isRegularFile(fullchain()) && Files.isRegularFile(privkey());
    }

    List<X509Certificate> chain() {
        return Pem.certificates(fullchain());
    }

    PrivateKey key() {
        return Pem.privateKey(privkey());
    }

    /** The files as they are now (to restore them), or empty when there are none. */
    Optional<Snapshot> snapshot() throws IOException {
        if (!exists()) {
            return Optional.empty();
        }
        return Optional.of(new Snapshot(Files.readAllBytes(fullchain()), Files.readAllBytes(privkey())));
    }

    record Snapshot(byte[] fullchain, byte[] privkey) {}

    void write(List<X509Certificate> chain, PrivateKey key) throws IOException {
        write(new Snapshot(
                Pem.write(chain).getBytes(StandardCharsets.US_ASCII),
                Pem.write(key).getBytes(StandardCharsets.US_ASCII)));
    }

    /** The key first: nginx checks that key and certificate match, and reads both at its next reload only. */
    void write(Snapshot s) throws IOException {
        Files.createDirectories(dir);
        atomicWrite(privkey(), s.privkey(), true);
        atomicWrite(fullchain(), s.fullchain(), false);
    }

    /** Keys 0600, everything else 0644 (nginx's workers read the chain). */
    static void atomicWrite(Path target, byte[] bytes, boolean secret) throws IOException {
        AtomicFile.write(target, bytes, secret ? "rw-------" : "rw-r--r--");
    }
}
