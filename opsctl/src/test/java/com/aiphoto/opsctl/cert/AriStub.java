package com.aiphoto.opsctl.cert;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;

/**
 * A small local ACME Renewal Information server (RFC 9773) in front of pebble: for bookworm's pebble 2.4, which
 * has no ARI, and for tests that want a window or a Retry-After of their own. It serves the directory (pebble's,
 * with {@code renewalInfo} pointing here; after {@link #withoutAri} pebble's without {@code renewalInfo}, as 2.4
 * serves it) and {@code GET /renewal-info/<certID>}; everything else the client reaches at pebble itself through
 * the directory's absolute URLs. It answers only for the certificate installed now (what {@code installed}
 * supplies), and only when asked with that certificate's RFC 9773 identifier (its AKI key id and serial), else
 * 404; the window is pebble 2.6's (two days around the point a third of the lifetime before expiry) or, after
 * {@link #renewNow}, one in the past. Every request is recorded.
 */
final class AriStub implements AutoCloseable {
    private final HttpsServer server;
    private final HttpClient client;
    private final String pebbleDirectory;
    private final Supplier<X509Certificate> installed;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private volatile boolean ari = true;
    private volatile boolean renewNow;
    private volatile Duration retryAfter = Duration.ofHours(6);

    AriStub(TestPki pki, String pebbleDirectory, Supplier<X509Certificate> installed) throws Exception {
        this.pebbleDirectory = pebbleDirectory;
        this.installed = installed;
        this.client = HttpClient.newBuilder().sslContext(pki.clientContext()).build();
        TestPki.Leaf tls = pki.leaf(List.of("localhost", "127.0.0.1"), Duration.ofDays(30));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        List<Certificate> chain = new ArrayList<>();
        chain.add(tls.cert());
        chain.addAll(tls.chain());
        ks.setKeyEntry("tls", tls.key().getPrivate(), new char[0], chain.toArray(Certificate[]::new));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, new char[0]);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ssl));
        server.createContext("/", this::handle);
        server.start();
    }

    /** The directory URL to give the client (ACME_DIRECTORY_URL). */
    String directory() {
        return "https://127.0.0.1:" + server.getAddress().getPort() + "/dir";
    }

    /** Serve the directory as pebble 2.4 does, without renewalInfo (until {@link #reset}). */
    void withoutAri() {
        ari = false;
    }

    /** From now on the window lies in the past (pebble 2.6 does that for a revoked certificate). */
    void renewNow() {
        renewNow = true;
    }

    void retryAfter(Duration d) {
        retryAfter = d;
    }

    /** "GET /dir", "GET /renewal-info/..." in the order they came. */
    List<String> requests() {
        return List.copyOf(requests);
    }

    long renewalInfoRequests() {
        return requests.stream().filter(r -> r.startsWith("GET /renewal-info/")).count();
    }

    void clearRequests() {
        requests.clear();
    }

    /** The window this stub suggests for {@code cert} while not told to {@link #renewNow}: pebble 2.6's. */
    static Instant[] window(X509Certificate cert) {
        Instant from = cert.getNotBefore().toInstant();
        Instant to = cert.getNotAfter().toInstant();
        // whole seconds, as a CA writes them (acme4j keeps milliseconds at most)
        Instant ideal =
                to.minus(Duration.between(from, to).dividedBy(3)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        return new Instant[] {ideal.minus(Duration.ofDays(1)), ideal.plus(Duration.ofDays(1))};
    }

    /** Back to serving ARI with pebble's windows and Retry-After, nothing recorded. */
    void reset() {
        ari = true;
        renewNow = false;
        retryAfter = Duration.ofHours(6);
        requests.clear();
    }

    /** RFC 9773 section 4.1: base64url(AKI keyIdentifier) "." base64url(serial DER integer bytes). */
    static String certId(X509Certificate cert) {
        try {
            byte[] aki = AuthorityKeyIdentifier.getInstance(
                            JcaX509ExtensionUtils.parseExtensionValue(cert.getExtensionValue("2.5.29.35")))
                    .getKeyIdentifierObject()
                    .getOctets();
            Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
            BigInteger serial = cert.getSerialNumber();
            return b64.encodeToString(aki) + "." + b64.encodeToString(serial.toByteArray());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        requests.add(ex.getRequestMethod() + " " + path);
        try (ex) {
            if (path.equals("/dir")) {
                directory(ex);
            } else if (path.startsWith("/renewal-info/") && ari) {
                renewalInfo(ex, path.substring("/renewal-info/".length()));
            } else {
                send(ex, 404, "{\"type\":\"urn:ietf:params:acme:error:malformed\",\"detail\":\"not here\"}", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            send(ex, 500, "{}", null);
        }
    }

    private void directory(HttpExchange ex) throws IOException, InterruptedException {
        String body = client.send(
                        HttpRequest.newBuilder(URI.create(pebbleDirectory)).build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode dir = (ObjectNode) mapper.readTree(body);
        dir.remove("renewalInfo");
        if (ari) {
            dir.put("renewalInfo", "https://127.0.0.1:" + server.getAddress().getPort() + "/renewal-info/");
        }
        send(ex, 200, mapper.writeValueAsString(dir), null);
    }

    private void renewalInfo(HttpExchange ex, String id) throws IOException {
        Optional<X509Certificate> cert =
                Optional.ofNullable(installed.get()).filter(c -> certId(c).equals(id));
        if (cert.isEmpty()) {
            send(ex, 404, "{\"type\":\"urn:ietf:params:acme:error:malformed\",\"detail\":\"unknown certID\"}", null);
            return;
        }
        Instant start;
        Instant end;
        if (renewNow) {
            start = Instant.now().minus(Duration.ofHours(1)).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            end = start.plus(Duration.ofMinutes(30));
        } else {
            Instant[] w = window(cert.get());
            start = w[0];
            end = w[1];
        }
        send(
                ex,
                200,
                "{\"suggestedWindow\":{\"start\":\"" + start + "\",\"end\":\"" + end + "\"}}",
                Long.toString(retryAfter.toSeconds()));
    }

    private static void send(HttpExchange ex, int status, String body, String retryAfter) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        if (retryAfter != null) {
            ex.getResponseHeaders().set("Retry-After", retryAfter);
        }
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
