package com.aiphoto.opsctl.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.opsctl.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code cert install} and {@code cert status} against a real nginx serving the shipped configuration: the
 * install must be proved by a handshake, and every failure must leave the previous certificate served.
 */
class CertInstallTest {
    static final List<String> NAMES = List.of("localhost", "api.example.test");

    @TempDir
    Path dir;

    Nginx nginx;
    TestPki pki;
    TestPki.Leaf old;
    Map<String, String> env;

    @BeforeEach
    void start() throws Exception {
        nginx = new Nginx(dir.resolve("nginx"), List.of(Nginx.freePort()));
        pki = new TestPki("install test");
        old = pki.leaf(NAMES, Duration.ofDays(60));
        TestPki.write(old, nginx.certDir.resolve(Nginx.CERT_NAME));
        nginx.start();
        Path trust = dir.resolve("trust.pem");
        Files.writeString(trust, Pem.write(pki.root));
        env = new HashMap<>(Map.of(
                "CERT_DIR", nginx.certDir.toString(),
                "NGINX_TEST_CMD", nginx.shell("-t"),
                "NGINX_RELOAD_CMD", nginx.shell("-s", "reload"),
                "CERT_VERIFY_HOST", "127.0.0.1:" + nginx.httpsPort,
                "CERT_VERIFY_TIMEOUT", "5s",
                "ACME_TRUST_STORE", trust.toString()));
    }

    @AfterEach
    void stop() throws Exception {
        if (nginx != null) { // null when set-up stopped first (no nginx here): its reason is the one to see
            nginx.close();
        }
    }

    private X509Certificate served() throws Exception {
        return Served.chain(new Served.Endpoint("127.0.0.1", nginx.httpsPort), "localhost", Duration.ofSeconds(5))
                .getFirst();
    }

    private X509Certificate onDisk() {
        return Pem.certificates(nginx.certDir.resolve("site/fullchain.pem")).getFirst();
    }

    /** Writes the leaf's files as a CA hands them out: a bundle (leaf + intermediate) and the key. */
    private Path[] files(TestPki.Leaf leaf, String cert, String key) throws Exception {
        Path c = dir.resolve("new_bundle.crt");
        Path k = dir.resolve("new.key");
        Files.writeString(c, cert);
        Files.writeString(k, key);
        return new Path[] {c, k};
    }

    private Cli.Result install(Path[] f, String... extra) {
        String[] args = new String[5 + extra.length];
        System.arraycopy(new String[] {"cert", "install", "site", "--cert", f[0].toString()}, 0, args, 0, 5);
        System.arraycopy(extra, 0, args, 5, extra.length);
        String[] all = java.util.stream.Stream.concat(
                        java.util.Arrays.stream(args), java.util.stream.Stream.of("--key", f[1].toString()))
                .toArray(String[]::new);
        return Cli.run(env, all);
    }

    /** Exit 1, one line naming {@code why}, and the old certificate still on disk and served. */
    private void refusedAndOldServed(Cli.Result r, String why) throws Exception {
        assertEquals(1, r.code(), r.all());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().contains(why), r.err());
        assertEquals(old.cert(), onDisk());
        assertEquals(old.cert(), served());
    }

    @Test
    void installsABundleAndProvesItIsServed() throws Exception {
        TestPki.Leaf fresh = pki.leaf(NAMES, Duration.ofDays(90));
        Cli.Result r = install(files(fresh, fresh.fullchain(), fresh.keyPem()));
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().startsWith("cert site: installed and served, serial "), r.out());
        assertEquals(fresh.cert(), served());
        assertEquals(
                List.of(fresh.cert(), pki.intermediate), Pem.certificates(nginx.certDir.resolve("site/fullchain.pem")));
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(nginx.certDir.resolve("site/privkey.pem"))));
        try (var listing = Files.list(nginx.certDir.resolve("site"))) {
            assertTrue(listing.noneMatch(p -> p.getFileName().toString().endsWith(".tmp")));
        }
    }

    @Test
    void anRsaKeyInTheTraditionalFormTencentCloudHandsOutInstalls() throws Exception {
        Instant from = Instant.now().minusSeconds(60);
        TestPki.Leaf rsa = pki.leaf(NAMES, from, from.plus(Duration.ofDays(90)), KeyType.RSA2048);
        java.io.StringWriter pkcs1 = new java.io.StringWriter();
        try (var w = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(pkcs1)) {
            w.writeObject(rsa.key()); // a key pair: "BEGIN RSA PRIVATE KEY" (PKCS#1)
        }
        assertTrue(pkcs1.toString().startsWith("-----BEGIN RSA PRIVATE KEY-----"), pkcs1.toString());
        Cli.Result r = install(files(rsa, rsa.fullchain(), pkcs1.toString()));
        assertEquals(0, r.code(), r.all());
        assertEquals(rsa.cert(), served());
    }

    @Test
    void aSeparateChainFileIsAppendedAfterTheLeaf() throws Exception {
        TestPki.Leaf fresh = pki.leaf(NAMES, Duration.ofDays(90));
        Path chain = dir.resolve("chain.pem");
        Files.writeString(chain, Pem.write(pki.intermediate));
        Cli.Result r = install(files(fresh, Pem.write(fresh.cert()), fresh.keyPem()), "--chain", chain.toString());
        assertEquals(0, r.code(), r.all());
        assertEquals(fresh.cert(), served());
    }

    @Test
    void failingConfigTestRestoresTheOldCertificate() throws Exception {
        env.put("NGINX_TEST_CMD", "echo 'nginx: [emerg] simulated failure' >&2; exit 1");
        TestPki.Leaf fresh = pki.leaf(NAMES, Duration.ofDays(90));
        refusedAndOldServed(
                install(files(fresh, fresh.fullchain(), fresh.keyPem())),
                "nginx configuration test failed (exit 1): nginx: [emerg] simulated failure; previous certificate"
                        + " restored and served");
    }

    @Test
    void theRealNginxConfigTestFailingRestoresTheOldCertificate() throws Exception {
        // nginx -t itself (not a stand-in command) refuses the configuration: a stray file in conf.d
        Path broken = nginx.conf.resolve("conf.d/zz-broken.conf");
        Files.writeString(broken, "no_such_directive on;\n");
        try {
            TestPki.Leaf fresh = pki.leaf(NAMES, Duration.ofDays(90));
            Cli.Result r = install(files(fresh, fresh.fullchain(), fresh.keyPem()));
            refusedAndOldServed(r, "nginx configuration test failed (exit 1): ");
            assertTrue(r.err().contains("unknown directive \"no_such_directive\""), r.err());
            assertTrue(r.err().contains("previous certificate restored and served"), r.err());
        } finally {
            Files.delete(broken);
        }
    }

    @Test
    void failingReloadRestoresTheOldCertificate() throws Exception {
        env.put("NGINX_RELOAD_CMD", "echo 'reload: no such process' >&2; exit 3");
        TestPki.Leaf fresh = pki.leaf(NAMES, Duration.ofDays(90));
        refusedAndOldServed(
                install(files(fresh, fresh.fullchain(), fresh.keyPem())),
                "nginx reload failed (exit 3): reload: no such process; previous certificate restored");
    }

    @Test
    void aReloadThatLoadsNothingIsCaughtByTheHandshake() throws Exception {
        env.put("NGINX_RELOAD_CMD", "true"); // "renewed, but nginx still serves the old one"
        env.put("CERT_VERIFY_TIMEOUT", "1s");
        TestPki.Leaf fresh = pki.leaf(NAMES, Duration.ofDays(90));
        refusedAndOldServed(
                install(files(fresh, fresh.fullchain(), fresh.keyPem())),
                "still serves another certificate (serial "
                        + old.cert().getSerialNumber().toString(16));
    }

    @Test
    void aMismatchedKeyIsRefused() throws Exception {
        TestPki.Leaf fresh = pki.leaf(NAMES, Duration.ofDays(90));
        TestPki.Leaf other = pki.leaf(NAMES, Duration.ofDays(90));
        refusedAndOldServed(install(files(fresh, fresh.fullchain(), other.keyPem())), "the private key does not match");
    }

    @Test
    void anIncompleteChainIsRefused() throws Exception {
        TestPki.Leaf fresh = pki.leaf(NAMES, Duration.ofDays(90));
        refusedAndOldServed(
                install(files(fresh, Pem.write(fresh.cert()), fresh.keyPem())),
                "chain incomplete: nothing trusted issued CN=localhost");
    }

    @Test
    void aChainOutOfOrderIsRefused() throws Exception {
        TestPki.Leaf fresh = pki.leaf(NAMES, Duration.ofDays(90));
        refusedAndOldServed(
                install(files(fresh, Pem.write(pki.intermediate, fresh.cert()), fresh.keyPem())),
                "chain out of order: the first certificate (CN=install test Intermediate) is a CA");
    }

    @Test
    void anExpiredCertificateIsRefused() throws Exception {
        Instant past = Instant.now().minus(Duration.ofDays(100));
        TestPki.Leaf expired = pki.leaf(NAMES, past, past.plus(Duration.ofDays(90)));
        refusedAndOldServed(install(files(expired, expired.fullchain(), expired.keyPem())), "certificate expired on");
    }

    @Test
    void namesThatDoNotCoverTheDomainsAreRefused() throws Exception {
        TestPki.Leaf narrow = pki.leaf(List.of("localhost"), Duration.ofDays(90));
        refusedAndOldServed(
                install(files(narrow, narrow.fullchain(), narrow.keyPem())),
                "the certificate does not cover api.example.test");
    }

    @Test
    void statusIsOkWarningOrCriticalByDaysLeftAndCriticalOnAMismatch() throws Exception {
        Cli.Result ok = Cli.run(env, "cert", "status");
        assertEquals(0, ok.code(), ok.all());
        assertTrue(ok.out().contains("cert OK: 1 certificate(s) served and valid"), ok.out());

        TestPki.Leaf soon = pki.leaf(NAMES, Duration.ofDays(15));
        assertEquals(0, install(files(soon, soon.fullchain(), soon.keyPem())).code());
        Cli.Result warn = Cli.run(env, "cert", "status", "--nagios");
        assertEquals(1, warn.code(), warn.all());
        assertTrue(warn.out().startsWith("CERT WARNING: site 14 days | site_days=14"), warn.out());

        TestPki.Leaf nearly = pki.leaf(NAMES, Duration.ofDays(5));
        assertEquals(
                0, install(files(nearly, nearly.fullchain(), nearly.keyPem())).code());
        Cli.Result crit = Cli.run(env, "--json", "cert", "status", "site");
        assertEquals(2, crit.code(), crit.all());
        Map<?, ?> doc = Cli.json(crit.out());
        assertEquals("CRITICAL", doc.get("status"));
        Map<?, ?> cert = (Map<?, ?>) ((List<?>) doc.get("certificates")).getFirst();
        assertEquals(4, cert.get("daysLeft"));
        assertEquals(true, cert.get("keyMatches"));
        assertEquals(true, cert.get("servedMatches"));
        assertEquals(NAMES, cert.get("domains"));

        // on disk but never loaded: what the old setup did
        TestPki.write(pki.leaf(NAMES, Duration.ofDays(90)), nginx.certDir.resolve(Nginx.CERT_NAME));
        Cli.Result stale = Cli.run(env, "cert", "status");
        assertEquals(2, stale.code(), stale.all());
        assertTrue(stale.out().contains("serves another certificate"), stale.out());
    }

    @Test
    void withJsonEachOutcomeIsOneDocument() throws Exception {
        TestPki.Leaf fresh = pki.leaf(NAMES, Duration.ofDays(90));
        Path[] f = files(fresh, fresh.fullchain(), fresh.keyPem());
        Cli.Result plan = install(f, "--dry-run", "--json");
        assertEquals(0, plan.code(), plan.all());
        Map<?, ?> wouldInstall = CertDocument.onlyCertificate(plan, true);
        assertEquals("WOULD_INSTALL", wouldInstall.get("result"));
        assertEquals(fresh.cert().getSerialNumber().toString(16), wouldInstall.get("serial"));
        assertEquals(old.cert(), served());

        Cli.Result done = install(f, "--json");
        assertEquals(0, done.code(), done.all());
        Map<?, ?> installed = CertDocument.onlyCertificate(done, true);
        assertEquals(
                List.of("name", "result", "serial", "domains", "notAfter", "daysLeft", "dueAt", "detail", "error"),
                List.copyOf(installed.keySet()),
                "the document's fields, every one present (null when unknown)");
        assertEquals("site", installed.get("name"));
        assertEquals("INSTALLED", installed.get("result"));
        assertEquals(fresh.cert().getSerialNumber().toString(16), installed.get("serial"));
        assertEquals(NAMES, installed.get("domains"));
        assertEquals(fresh.cert().getNotAfter().toInstant().toString(), installed.get("notAfter"));
        assertEquals(89, installed.get("daysLeft"));
        assertEquals(fresh.cert(), served());

        TestPki.Leaf other = pki.leaf(NAMES, Duration.ofDays(90));
        Cli.Result refused = install(files(other, other.fullchain(), fresh.keyPem()), "--json");
        assertEquals(1, refused.code(), refused.all());
        Map<?, ?> failed = CertDocument.onlyCertificate(refused, false);
        assertEquals("FAILED", failed.get("result"));
        assertTrue(String.valueOf(failed.get("error")).startsWith("the private key does not match"), refused.out());
        assertEquals(1, refused.errLines().size(), refused.err());
        assertTrue(
                refused.err().startsWith("opsctl: cert install site: the private key does not match"), refused.err());
        assertEquals(fresh.cert(), served());
    }
}
