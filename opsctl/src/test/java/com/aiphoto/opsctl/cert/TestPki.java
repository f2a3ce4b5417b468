package com.aiphoto.opsctl.cert;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A throw-away CA with an intermediate, made per test run (no key or certificate is committed). */
public final class TestPki {
    private static final Instant NOW = Instant.now().minusSeconds(60);

    final KeyPair rootKey = KeyType.EC256.generate();
    final X509Certificate root;
    final KeyPair intermediateKey = KeyType.EC256.generate();
    final X509Certificate intermediate;

    public TestPki(String name) {
        root = ca(rootKey, name + " Root", rootKey, name + " Root");
        intermediate = ca(intermediateKey, name + " Intermediate", rootKey, name + " Root");
    }

    private static X509Certificate ca(KeyPair key, String cn, KeyPair issuerKey, String issuerCn) {
        return SelfSigned.issue(
                key, "CN=" + cn, issuerKey, "CN=" + issuerCn, List.of(), true, NOW, NOW.plus(Duration.ofDays(3650)));
    }

    record Leaf(KeyPair key, X509Certificate cert, List<X509Certificate> chain) {
        /** fullchain.pem text: leaf then intermediate. */
        String fullchain() {
            return Pem.write(cert, chain);
        }

        String keyPem() {
            return Pem.write(key);
        }
    }

    Leaf leaf(List<String> domains, Duration lifetime) {
        Instant from = Instant.now().minusSeconds(60);
        return leaf(domains, from, from.plus(lifetime));
    }

    Leaf leaf(List<String> domains, Instant notBefore, Instant notAfter) {
        return leaf(domains, notBefore, notAfter, KeyType.EC256);
    }

    Leaf leaf(List<String> domains, Instant notBefore, Instant notAfter, KeyType type) {
        KeyPair key = type.generate();
        X509Certificate cert = SelfSigned.issue(
                key,
                "CN=" + domains.getFirst(),
                intermediateKey,
                intermediate.getSubjectX500Principal().getName(),
                domains,
                false,
                notBefore,
                notAfter);
        return new Leaf(key, cert, List.of(intermediate));
    }

    /** Writes leaf to {@code <dir>/fullchain.pem} and {@code privkey.pem}. */
    static void write(Leaf leaf, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("fullchain.pem"), leaf.fullchain());
        Files.writeString(dir.resolve("privkey.pem"), leaf.keyPem());
    }

    /** The root as a PKCS#12 trust store file (what ACME_TRUST_STORE names). */
    Path trustStore(Path file) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("root", root);
        try (var out = Files.newOutputStream(file)) {
            ks.store(out, "changeit".toCharArray());
        }
        return file;
    }

    public SSLContext clientContext() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("root", root);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}
