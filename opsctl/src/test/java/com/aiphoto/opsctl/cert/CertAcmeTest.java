package com.aiphoto.opsctl.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.opsctl.Cli;
import com.aiphoto.opsctl.cli.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.shredzone.acme4j.Certificate;

/**
 * {@code cert init} and {@code cert renew} against a real ACME server (pebble) validating HTTP-01 through a
 * real nginx serving the shipped configuration and ACME_WEBROOT. Every test starts from a fresh init. With
 * pebble 2.6 the ARI tests use its renewal information; with bookworm's 2.4 (no ARI) they run against
 * {@link AriStub} in front of it, so they run either way. Some tests use the stub with either pebble, for a
 * Retry-After of their choosing or for a directory without renewal info (2.4's).
 */
class CertAcmeTest {
    static final List<String> DOMAINS = List.of("example.test", "api.example.test");

    @TempDir
    static Path shared;

    static Nginx nginx;
    static Pebble pebble;
    static TestPki pki;
    static Path trust;
    static AriStub stub;
    /** Where the ACME tests' client starts: pebble's directory when it offers ARI, else the stub's. */
    static String acmeDirectory;

    @TempDir
    Path dir;

    Map<String, String> env;

    @BeforeAll
    static void start() throws Exception {
        nginx = new Nginx(shared.resolve("nginx"), List.of(Nginx.freePort()));
        pki = new TestPki("acme test");
        // nginx needs some certificate to start; init replaces it by its placeholder, then the real one
        TestPki.write(pki.leaf(DOMAINS, Duration.ofDays(30)), nginx.certDir.resolve(Nginx.CERT_NAME));
        nginx.start();
        pebble = new Pebble(shared.resolve("pebble"), pki, nginx.httpPort);
        pebble.detectAri(pki);
        trust = shared.resolve("trust.pem");
        Files.writeString(trust, Pem.write(pki.root) + pebble.rootPem(pki));
        stub = new AriStub(pki, pebble.directory(), CertAcmeTest::installedLeaf);
        acmeDirectory = pebble.ari ? pebble.directory() : stub.directory();
    }

    /** The leaf nginx is configured with now, null when none. */
    static X509Certificate installedLeaf() {
        Path f = nginx.certDir.resolve("site/fullchain.pem");
        return Files.isRegularFile(f) ? Pem.certificates(f).getFirst() : null;
    }

    @AfterAll
    static void stop() throws Exception {
        if (stub != null) {
            stub.close();
        }
        if (pebble != null) {
            pebble.close();
        }
        if (nginx != null) {
            nginx.close();
        }
    }

    @BeforeEach
    void init() throws Exception {
        stub.reset();
        Files.deleteIfExists(nginx.certDir.resolve("site/fullchain.pem"));
        Files.deleteIfExists(nginx.certDir.resolve("site/privkey.pem"));
        env = new HashMap<>(Map.of(
                "CERT_DIR", nginx.certDir.toString(),
                "ACME_STATE_DIR", dir.resolve("acme").toString(),
                "ACME_WEBROOT", nginx.webroot.toString(),
                "ACME_DIRECTORY_URL", acmeDirectory,
                "ACME_TRUST_STORE", trust.toString(),
                "NGINX_TEST_CMD", nginx.shell("-t"),
                "NGINX_RELOAD_CMD", nginx.shell("-s", "reload"),
                "CERT_VERIFY_HOST", "127.0.0.1:" + nginx.httpsPort,
                "CERT_VERIFY_TIMEOUT", "5s"));
        Cli.Result r = Cli.run(env, "cert", "init", "site", "-d", DOMAINS.get(0), "-d", DOMAINS.get(1));
        assertEquals(0, r.code(), r.all());
        assertTrue(r.err().contains("cert site: placeholder installed and served"), r.err());
        assertTrue(r.out().startsWith("cert site: renewed and served, serial "), r.out());
    }

    private X509Certificate served() throws Exception {
        return Served.chain(
                        new Served.Endpoint("127.0.0.1", nginx.httpsPort), DOMAINS.getFirst(), Duration.ofSeconds(5))
                .getFirst();
    }

    private X509Certificate onDisk() {
        return Pem.certificates(nginx.certDir.resolve("site/fullchain.pem")).getFirst();
    }

    private AcmeState state() {
        return new AcmeState(dir.resolve("acme"));
    }

    /** As if the CA's renewal info had said "renew now" and Retry-After still held. */
    private void ariSaysRenewNow() throws Exception {
        AcmeState.Cert c = state().load("site").orElseThrow();
        Instant now = Instant.now();
        state().save(c.withAri(
                now.minusSeconds(7200), now.minusSeconds(3600), now.minusSeconds(3600), now.plus(Duration.ofHours(6))));
    }

    @Test
    void initIssuesThroughTheWebrootAndStatusIsOk() throws Exception {
        X509Certificate leaf = served();
        assertEquals(leaf, onDisk());
        assertTrue(
                leaf.getIssuerX500Principal().getName().contains("Pebble"),
                leaf.getIssuerX500Principal().getName());
        assertEquals(java.util.Set.copyOf(DOMAINS), java.util.Set.copyOf(Chains.names(leaf)));
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("acme/account.key"))));
        assertEquals(
                "rw-------",
                PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(nginx.certDir.resolve("site/privkey.pem"))));
        try (var tokens = Files.list(nginx.webroot.resolve(".well-known/acme-challenge"))) {
            assertEquals(0, tokens.count(), "challenge files are removed");
        }
        Cli.Result status = Cli.run(env, "cert", "status", "site");
        assertEquals(0, status.code(), status.all());

        Cli.Result again = Cli.run(env, "cert", "init", "site", "-d", DOMAINS.getFirst());
        assertEquals(3, again.code(), again.all());
        assertEquals(1, state().ledger().issued().size());
    }

    @Test
    void notDueWhileTheAriWindowIsAheadAndRetryAfterIsPersisted() throws Exception {
        Cli.Result r = Cli.run(env, "cert", "renew");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().startsWith("cert site: not due, ARI window "), r.out());
        AcmeState.Cert c = state().load("site").orElseThrow();
        assertNotNull(c.renewAt());
        assertTrue(!c.renewAt().isBefore(c.ariWindowStart()) && c.renewAt().isBefore(c.ariWindowEnd()), c.toString());
        // pebble (and the stub, like it) answers Retry-After: 6 h
        assertTrue(c.ariCheckAfter().isAfter(Instant.now().plus(Duration.ofHours(5))), c.toString());

        // within Retry-After the CA is not asked at all: even an unreachable one does not matter
        env.put("ACME_DIRECTORY_URL", "https://127.0.0.1:" + Nginx.freePort() + "/dir");
        Cli.Result quiet = Cli.run(env, "cert", "renew");
        assertEquals(0, quiet.code(), quiet.all());
        assertTrue(quiet.out().contains("renewal at " + c.renewAt()), quiet.out());
        assertEquals(onDisk(), served());

        Cli.Result status = Cli.run(env, "cert", "status");
        assertEquals(0, status.code(), status.all());
        assertTrue(
                status.out()
                        .contains("ARI window " + c.ariWindowStart() + " .. " + c.ariWindowEnd() + " (renewal at "
                                + c.renewAt() + ")"),
                status.out());
    }

    @Test
    void forceRenewsWithReplacesAndInstalls() throws Exception {
        X509Certificate before = served();
        Cli.Result r = Cli.run(env, "cert", "renew", "site", "--force");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().startsWith("cert site: renewed and served"), r.out());
        // pebble 2.6 now and then answers serverInternal "could not find an order for the given certificate" to
        // a valid 'replaces'; renew then orders without it (the deterministic case is the test further down)
        assertNotEquals(before, served());
        assertEquals(onDisk(), served());
    }

    @Test
    void dryRunSaysWhatItWouldDo() throws Exception {
        X509Certificate before = served();
        Cli.Result r = Cli.run(env, "cert", "renew", "--force", "--dry-run");
        assertEquals(0, r.code(), r.all());
        assertEquals("cert site: due (forced); would renew", r.out().strip());
        assertEquals(before, served());
    }

    @Test
    void anAriWindowInThePastRenewsNow() throws Exception {
        X509Certificate before = onDisk();
        Cli.Result first = Cli.run(env, "cert", "renew");
        assertTrue(first.out().startsWith("cert site: not due, ARI window "), first.all());
        AcmeState st = state();
        if (pebble.ari) {
            // pebble moves the window of a revoked certificate into the past
            AcmeClient client = new AcmeClient(
                    pebble.directory(),
                    CertOptions.chains(settings()),
                    st.accountKey(),
                    Optional.empty(),
                    nginx.webroot);
            KeyPair domainKey =
                    new KeyPair(before.getPublicKey(), Pem.privateKey(nginx.certDir.resolve("site/privkey.pem")));
            Certificate.revoke(client.session(), domainKey, before, null);
        } else {
            stub.renewNow();
        }
        Cli.Result r = Cli.run(env, "cert", "renew");
        assertEquals(0, r.code(), r.all());
        assertTrue(
                r.out().startsWith("cert site: not due"), "Retry-After from the first check still holds: " + r.out());

        AcmeState.Cert c = st.load("site").orElseThrow();
        st.save(c.withAri(
                c.ariWindowStart(), c.ariWindowEnd(), c.renewAt(), Instant.now().minusSeconds(1)));
        Cli.Result due = Cli.run(env, "cert", "renew");
        assertEquals(0, due.code(), due.all());
        assertTrue(due.out().startsWith("cert site: renewed and served"), due.out());
        assertNotEquals(before, served());
    }

    private com.aiphoto.core.config.Settings settings() {
        return com.aiphoto.core.config.Settings.of(env);
    }

    @Test
    void aFailedInstallKeepsTheOldOneAndTheNextOrderRetriesWithoutReplaces() throws Exception {
        X509Certificate before = served();
        env.put("NGINX_TEST_CMD", "echo 'nginx: [emerg] simulated' >&2; exit 1");
        Cli.Result r = Cli.run(env, "cert", "renew", "--force");
        assertEquals(1, r.code(), r.all());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(
                r.err()
                        .contains("nginx configuration test failed (exit 1): nginx: [emerg] simulated; previous"
                                + " certificate restored and served"),
                r.err());
        assertEquals(before, served());
        assertEquals(before, onDisk());

        // pebble 2.6 now holds a replacement order for the old certificate and refuses a second one (2.4
        // ignores 'replaces', so behind the stub the retry simply succeeds)
        env.put("NGINX_TEST_CMD", nginx.shell("-t"));
        Cli.Result retry = Cli.run(env, "cert", "renew", "--force");
        assertEquals(0, retry.code(), retry.all());
        assertEquals(pebble.ari, retry.out().contains("(CA refused 'replaces'; ordered without)"), retry.out());
        assertNotEquals(before, served());
    }

    @Test
    void anUnreachableCaFailsInOneLineAndBacksOff() throws Exception {
        X509Certificate before = served();
        ariSaysRenewNow();
        env.put("ACME_DIRECTORY_URL", "https://127.0.0.1:" + Nginx.freePort() + "/dir");
        Cli.Result r = Cli.run(env, "cert", "renew");
        assertEquals(1, r.code(), r.all());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("opsctl: cert site: renewal failed: ACME: "), r.err());
        assertTrue(r.err().contains("(failure 1, next attempt not before "), r.err());
        assertEquals(before, served());
        AcmeState.Cert c = state().load("site").orElseThrow();
        assertEquals(1, c.failures());
        assertTrue(c.backoffUntil().isAfter(Instant.now().plus(Duration.ofMinutes(59))));

        Cli.Result again = Cli.run(env, "cert", "renew");
        assertEquals(1, again.code(), again.all());
        assertTrue(again.err().contains("backing off after 1 failure(s) until " + c.backoffUntil()), again.err());
        assertEquals(1, state().load("site").orElseThrow().failures(), "no new attempt while backing off");
        assertEquals(before, served());
    }

    @Test
    void theLedgerRefusesASixthCertificateForTheSameNamesInAWeek() throws Exception {
        X509Certificate before = served();
        List<AcmeState.Issued> issued = new ArrayList<>(state().ledger().issued());
        for (int i = 0; i < 4; i++) {
            issued.add(new AcmeState.Issued(
                    List.of("API.example.test", "example.test"), Instant.now().minusSeconds(60 * i), "x" + i));
        }
        Files.writeString(dir.resolve("acme/issued.json"), Json.write(new AcmeState.Ledger(issued)));
        Cli.Result r = Cli.run(env, "cert", "renew", "--force");
        assertEquals(1, r.code(), r.all());
        assertTrue(r.err().contains("duplicate-certificate limit"), r.err());
        assertEquals(before, served());
        assertEquals(5, state().ledger().issued().size());
    }

    @Test
    void renewWithJsonIsOneDocumentWhetherNotDueRenewedOrFailed() throws Exception {
        Cli.Result quiet = Cli.run(env, "--json", "cert", "renew");
        assertEquals(0, quiet.code(), quiet.all());
        Map<?, ?> notDue = CertDocument.onlyCertificate(quiet, true);
        assertEquals("site", notDue.get("name"));
        assertEquals("NOT_DUE", notDue.get("result"));
        assertEquals(onDisk().getSerialNumber().toString(16), notDue.get("serial"));
        assertEquals(state().load("site").orElseThrow().renewAt().toString(), notDue.get("dueAt"));
        assertNull(notDue.get("error"));

        Cli.Result forced = Cli.run(env, "--json", "cert", "renew", "--force");
        assertEquals(0, forced.code(), forced.all());
        Map<?, ?> renewed = CertDocument.onlyCertificate(forced, true);
        assertEquals("RENEWED", renewed.get("result"));
        X509Certificate now = served();
        assertEquals(now.getSerialNumber().toString(16), renewed.get("serial"));
        assertEquals(now.getNotAfter().toInstant().toString(), renewed.get("notAfter"));
        assertEquals(java.util.Set.copyOf(DOMAINS), java.util.Set.copyOf((List<?>) renewed.get("domains")));

        env.put("ACME_DIRECTORY_URL", "https://127.0.0.1:" + Nginx.freePort() + "/dir");
        Cli.Result failed = Cli.run(env, "--json", "cert", "renew", "--force");
        assertEquals(1, failed.code(), failed.all());
        Map<?, ?> f = CertDocument.onlyCertificate(failed, false);
        assertEquals("FAILED", f.get("result"));
        assertTrue(String.valueOf(f.get("error")).startsWith("ACME: "), failed.out());
        assertEquals(1, failed.errLines().size(), failed.err());
        assertTrue(failed.err().startsWith("opsctl: cert site: renewal failed: ACME: "), failed.err());
        assertEquals(now, served());
    }

    @Test
    void initWithJsonIsOneDocumentAndARefusalToo() throws Exception {
        Files.delete(nginx.certDir.resolve("site/fullchain.pem"));
        Files.delete(nginx.certDir.resolve("site/privkey.pem"));
        Files.delete(dir.resolve("acme/site.json"));
        Cli.Result r = Cli.run(env, "--json", "cert", "init", "site", "-d", DOMAINS.get(0), "-d", DOMAINS.get(1));
        assertEquals(0, r.code(), r.all());
        assertTrue(r.err().contains("cert site: placeholder installed and served"), r.err());
        Map<?, ?> c = CertDocument.onlyCertificate(r, true);
        assertEquals("RENEWED", c.get("result"));
        assertEquals(served().getSerialNumber().toString(16), c.get("serial"));

        Cli.Result again = Cli.run(env, "--json", "cert", "init", "site", "-d", DOMAINS.getFirst());
        assertEquals(3, again.code(), again.all());
        Map<?, ?> refused = CertDocument.onlyCertificate(again, false);
        assertEquals("FAILED", refused.get("result"));
        assertTrue(String.valueOf(refused.get("error")).contains("is a real certificate already"), again.out());
        assertEquals(1, again.errLines().size(), again.err());

        Cli.Result plan = Cli.run(env, "--json", "cert", "init", "other", "-d", "other.example.test", "--dry-run");
        assertEquals(0, plan.code(), plan.all());
        Map<?, ?> p = CertDocument.onlyCertificate(plan, true);
        assertEquals("WOULD_INIT", p.get("result"));
        assertEquals(List.of("other.example.test"), p.get("domains"));
        assertFalse(Files.exists(nginx.certDir.resolve("other")));
    }

    @Test
    void withoutRenewalInfoTheLifetimeRuleDecidesAndTheOrderCarriesNoReplaces() throws Exception {
        // pebble 2.4's directory: no renewalInfo (acme4j refuses an order with 'replaces' towards such a CA)
        stub.withoutAri();
        env.put("ACME_DIRECTORY_URL", stub.directory());
        X509Certificate issued = onDisk();
        Cli.Result r = Cli.run(env, "cert", "renew");
        assertEquals(0, r.code(), r.all());
        assertEquals(
                "cert site: not due, no renewal info; due at " + Renewal.fallbackDue(issued)
                        + " (1/3 of lifetime or 30 days)",
                r.out().strip());
        assertEquals(0, stub.renewalInfoRequests(), stub.requests().toString());
        assertNull(state().load("site").orElseThrow().ariWindowStart());

        // a certificate with 10 days left is due by the lifetime rule: renewed from pebble and served
        TestPki.Leaf shortLived = pki.leaf(DOMAINS, Duration.ofDays(10));
        Path bundle = dir.resolve("short_bundle.crt");
        Path key = dir.resolve("short.key");
        Files.writeString(bundle, shortLived.fullchain());
        Files.writeString(key, shortLived.keyPem());
        Cli.Result installed =
                Cli.run(env, "cert", "install", "site", "--cert", bundle.toString(), "--key", key.toString());
        assertEquals(0, installed.code(), installed.all());
        assertEquals(shortLived.cert(), served());
        Cli.Result due = Cli.run(env, "cert", "renew");
        assertEquals(0, due.code(), due.all());
        assertTrue(due.out().startsWith("cert site: renewed and served, serial "), due.out());
        assertFalse(due.out().contains("replaces"), due.out());
        X509Certificate renewed = served();
        assertNotEquals(shortLived.cert(), renewed);
        assertTrue(
                renewed.getIssuerX500Principal().getName().contains("Pebble"),
                renewed.getIssuerX500Principal().getName());
        assertEquals(renewed, onDisk());
        assertEquals(0, stub.renewalInfoRequests(), stub.requests().toString());
    }

    @Test
    void theCasRetryAfterIsHonouredPersistedAndHeldToADay() throws Exception {
        env.put("ACME_DIRECTORY_URL", stub.directory());
        stub.retryAfter(Duration.ofHours(2));
        Instant before = Instant.now();
        Cli.Result r = Cli.run(env, "cert", "renew");
        assertEquals(0, r.code(), r.all());
        assertTrue(r.out().startsWith("cert site: not due, ARI window "), r.out());
        assertEquals(1, stub.renewalInfoRequests(), stub.requests().toString());
        AcmeState.Cert c = state().load("site").orElseThrow();
        Instant[] window = AriStub.window(onDisk());
        assertEquals(window[0], c.ariWindowStart());
        assertEquals(window[1], c.ariWindowEnd());
        assertTrue(
                !c.ariCheckAfter().isBefore(before.plus(Duration.ofHours(2)).minusSeconds(2))
                        && !c.ariCheckAfter()
                                .isAfter(Instant.now().plus(Duration.ofHours(2)).plusSeconds(2)),
                c.toString());

        // while it holds the CA hears nothing at all, not even a directory request
        stub.clearRequests();
        Cli.Result held = Cli.run(env, "cert", "renew");
        assertEquals(0, held.code(), held.all());
        assertEquals(List.of(), stub.requests());
        assertEquals(c, state().load("site").orElseThrow(), "the persisted plan is kept as it was");

        // once it has passed the CA is asked again; an absurd Retry-After is held to a day
        state().save(c.withAri(
                c.ariWindowStart(), c.ariWindowEnd(), c.renewAt(), Instant.now().minusSeconds(1)));
        stub.retryAfter(Duration.ofDays(30));
        Cli.Result again = Cli.run(env, "cert", "renew");
        assertEquals(0, again.code(), again.all());
        assertEquals(1, stub.renewalInfoRequests(), stub.requests().toString());
        AcmeState.Cert later = state().load("site").orElseThrow();
        assertEquals(c.renewAt(), later.renewAt(), "the same window keeps the time chosen in it");
        assertTrue(
                later.ariCheckAfter()
                        .isBefore(Instant.now().plus(Duration.ofDays(1)).plusSeconds(2)),
                later.toString());
        assertTrue(later.ariCheckAfter().isAfter(Instant.now().plus(Duration.ofHours(23))), later.toString());
    }

    @Test
    void aChallengeNginxDoesNotServeFailsValidationAndTheOldCertificateStays() throws Exception {
        X509Certificate before = served();
        env.put("ACME_WEBROOT", dir.resolve("not-served").toString());
        Cli.Result r = Cli.run(env, "cert", "renew", "--force");
        assertEquals(1, r.code(), r.all());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("opsctl: cert site: renewal failed: HTTP-01 validation of "), r.err());
        assertTrue(r.err().contains("(failure 1, next attempt not before "), r.err());
        assertEquals(before, served());
        assertEquals(before, onDisk());
        assertEquals(1, state().load("site").orElseThrow().failures());
        try (var tokens = Files.list(dir.resolve("not-served/.well-known/acme-challenge"))) {
            assertEquals(0, tokens.count(), "challenge files are removed after a failure too");
        }
    }

    @Test
    void initWithTheCaUnreachableLeavesThePlaceholderServedAndARerunFinishes() throws Exception {
        Files.delete(nginx.certDir.resolve("site/fullchain.pem"));
        Files.delete(nginx.certDir.resolve("site/privkey.pem"));
        env.put("ACME_DIRECTORY_URL", "https://127.0.0.1:" + Nginx.freePort() + "/dir");
        Cli.Result r = Cli.run(env, "cert", "init", "site", "-d", DOMAINS.get(0), "-d", DOMAINS.get(1));
        assertEquals(1, r.code(), r.all());
        assertEquals(2, r.errLines().size(), "the progress line, then the failure: " + r.err());
        assertTrue(r.errLines().get(0).startsWith("cert site: placeholder installed and served"), r.err());
        assertTrue(r.errLines().get(1).startsWith("opsctl: cert init site: ACME: "), r.err());
        X509Certificate placeholder = served();
        assertTrue(Chains.selfSigned(placeholder), placeholder.toString());
        assertEquals(placeholder, onDisk());
        assertEquals(java.util.Set.copyOf(DOMAINS), java.util.Set.copyOf(Chains.names(placeholder)));

        env.put("ACME_DIRECTORY_URL", acmeDirectory);
        Cli.Result again = Cli.run(env, "cert", "init", "site", "-d", DOMAINS.get(0), "-d", DOMAINS.get(1));
        assertEquals(0, again.code(), again.all());
        assertFalse(Chains.selfSigned(served()));
        assertEquals(onDisk(), served());
    }
}
