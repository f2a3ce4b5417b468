package com.aiphoto.server.media;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.storage.ImageTypes;
import com.aiphoto.core.storage.Storage;
import com.aiphoto.server.AiPhotoServer;
import com.aiphoto.server.Http;
import com.aiphoto.server.TestServers;
import com.aiphoto.testing.LogCapture;
import com.aiphoto.testing.TestDatabases;
import com.aiphoto.testing.TestRedis;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Media end to end on a real server (MariaDB, Redis): upload-url, the PUT to the returned URL with the returned
 * headers, the object's bytes in the storage, a signed GET URL reading it back, and every refusal with nothing
 * written. Run on local storage and on the fake COS.
 */
abstract class MediaFlowContract {
    static final String CALLBACK_SECRET = "media-test-internal-callback-secret-0123456789";
    static final byte[] PNG = image(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'}, 5000);
    static final byte[] JPEG = image(new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0}, 7000);
    static final byte[] WEBP =
            image("RIFF\u0000\u0010\u0000\u0000WEBPVP8 ".getBytes(StandardCharsets.ISO_8859_1), 3000);
    private static final Pattern CODE = Pattern.compile(": (\\d{6}) \\(valid");

    private static TestDatabases.Scratch db;
    private static String redisPrefix;

    @TempDir
    Path dir;

    AiPhotoServer.Running server;
    Http api;
    final HttpClient raw = HttpClient.newHttpClient();

    /** COS_* settings, or none for local storage. */
    abstract Map<String, String> storageSettings();

    /** The stored bytes of {@code key}, read behind the API's back. */
    abstract Optional<byte[]> stored(String key);

    /** How many objects the storage holds. */
    abstract int objectCount();

    /** Where a request to a URL the server handed out really goes (local URLs name API_DOMAIN, not the test port). */
    abstract URI route(URI url);

    /** Local storage checks content and length while the upload streams in; COS signs type and exact length. */
    abstract boolean checksContentOnUpload();

    @BeforeAll
    static void backend() {
        db = TestDatabases.create("media");
        redisPrefix = TestRedis.randomPrefix();
    }

    @AfterAll
    static void dropBackend() {
        db.close();
        TestRedis.deleteByPrefix(redisPrefix);
    }

    @BeforeEach
    void start() {
        Map<String, String> m = new HashMap<>(db.settings());
        m.putAll(TestRedis.serverSettings(redisPrefix));
        m.put("JWT_SECRET", "media-test-jwt-secret-0123456789-abcdefghij");
        m.put("INTERNAL_CALLBACK_SECRET", CALLBACK_SECRET);
        m.put("AUTH_IP_PER_MINUTE", "1000");
        m.putAll(storageSettings());
        server = TestServers.start(dir, m);
        api = new Http(server.port());
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop();
        }
    }

    static byte[] image(byte[] magic, int size) {
        byte[] b = new byte[size];
        new Random(size).nextBytes(b);
        System.arraycopy(magic, 0, b, 0, magic.length);
        return b;
    }

    record Login(long userId, String token) {}

    Login login() {
        String phone = "137" + String.format("%08d", (System.nanoTime() / 1000) % 100_000_000L);
        try (LogCapture log = LogCapture.of("com.aiphoto.server.auth")) {
            assertEquals(
                    200,
                    api.post("/api/auth/send-code", "{\"phone\":\"" + phone + "\"}")
                            .status());
            Matcher m = CODE.matcher(String.join("\n", log.lines()));
            assertTrue(m.find(), "no code in the log");
            JsonNode data = api.post("/api/auth/login", "{\"phone\":\"" + phone + "\",\"code\":\"" + m.group(1) + "\"}")
                    .json()
                    .get("data");
            return new Login(
                    data.get("user").get("id").asLong(), data.get("accessToken").asText());
        }
    }

    Http.Response uploadUrl(Login who, String fileName, String contentType, long size) {
        return api.post(
                "/api/media/upload-url",
                "{\"fileName\":\"" + fileName + "\",\"contentType\":\"" + contentType + "\",\"size\":" + size + "}",
                "Authorization",
                "Bearer " + who.token());
    }

    JsonNode grant(Login who, String fileName, String contentType, long size) {
        Http.Response r = uploadUrl(who, fileName, contentType, size);
        assertEquals(200, r.status(), r.body());
        return r.json().get("data");
    }

    HttpResponse<byte[]> send(String method, URI url, Map<String, String> headers, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(route(url))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (body != null && body.length > 1024 * 1024) {
            // as a well-behaved client of a large upload: wait for "100 Continue" or the refusal, so a 413 is
            // read as an answer instead of racing the server closing the connection on an unread body
            b.expectContinue(true);
        }
        headers.forEach(b::header);
        try {
            return raw.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<byte[]> put(JsonNode grant, byte[] body) {
        return send("PUT", URI.create(grant.get("uploadUrl").asText()), headers(grant), body);
    }

    static Map<String, String> headers(JsonNode grant) {
        Map<String, String> h = new HashMap<>();
        grant.get("headers")
                .properties()
                .forEach(e -> h.put(e.getKey(), e.getValue().asText()));
        return h;
    }

    /** The storage exactly as the server builds it (same key, so the same signatures), at another clock. */
    Storage storage(Clock clock) {
        return MediaModule.storage(server.platform().settings(), clock);
    }

    MediaFiles files() {
        return new MediaFiles(storage(Clock.systemUTC()), Duration.ofMinutes(10), Clock.systemUTC());
    }

    @Test
    void uploadUrlThenPutThenTheObjectExistsAndASignedGetUrlReadsIt() {
        Login alice = login();
        for (Map.Entry<String, byte[]> f :
                Map.of("shirt.PNG", PNG, "dress.jpeg", JPEG, "coat.webp", WEBP).entrySet()) {
            String ext = f.getKey().endsWith("PNG") ? "png" : f.getKey().endsWith("jpeg") ? "jpg" : "webp";
            String type = ext.equals("jpg") ? "image/jpeg" : "image/" + ext;
            JsonNode g = grant(alice, f.getKey(), type, f.getValue().length);
            String key = g.get("key").asText();
            String day = DateTimeFormatter.ofPattern("yyyyMMdd")
                    .withZone(ZoneOffset.UTC)
                    .format(Instant.now());
            assertTrue(key.matches("input/" + alice.userId() + "/" + day + "/[0-9a-f]{32}\\." + ext), key);
            assertEquals("PUT", g.get("method").asText());
            assertEquals(type, headers(g).get("Content-Type"));
            Duration left = Duration.between(
                    Instant.now(), Instant.parse(g.get("expiresAt").asText()));
            assertTrue(
                    left.compareTo(Duration.ofMinutes(14)) > 0 && left.compareTo(Duration.ofMinutes(16)) < 0,
                    left.toString());

            MediaFiles files = files();
            URI read = files.readUrl(key);
            try (LogCapture log = LogCapture.all()) {
                HttpResponse<byte[]> up = put(g, f.getValue());
                assertEquals(200, up.statusCode(), new String(up.body(), StandardCharsets.UTF_8));
                assertArrayEquals(f.getValue(), stored(key).orElseThrow());

                assertEquals(ImageTypes.byName(key), files.ownedInput(alice.userId(), key));
                HttpResponse<byte[]> got = send("GET", read, Map.of(), null);
                assertEquals(200, got.statusCode());
                assertArrayEquals(f.getValue(), got.body());
                assertEquals(type, got.headers().firstValue("Content-Type").orElse(""));
                // signed URLs are bearer credentials until they expire: their signatures never reach a log
                log.assertNoSecret(
                        java.util.List.of(signature(g.get("uploadUrl").asText()), signature(read.toString())));
            }
        }
        assertEquals(3, objectCount());
    }

    @Test
    void badRequestsForUploadUrlsAndValidateAre4xx() {
        Login alice = login();
        assertError(uploadUrl(alice, "a.gif", "image/gif", 100), 400, 4001);
        assertError(uploadUrl(alice, "a.png", "image/jpeg", 100), 400, 4001);
        assertError(uploadUrl(alice, "a.png", "image/png", 0), 400, 4001);
        assertError(uploadUrl(alice, "a.png", "image/png", 20L * 1024 * 1024), 400, 4001);
        assertError(uploadUrl(alice, "noextension", "image/png", 100), 400, 4001);
        assertError(
                api.post("/api/media/upload-url", "{\"fileName\":\"a.png\",\"contentType\":\"image/png\",\"size\":1}"),
                401,
                1001);

        String auth = "Bearer " + alice.token();
        Http.Response ok = api.post(
                "/api/media/validate", "{\"fileName\":\"x.webp\",\"fileSize\":10485760}", "Authorization", auth);
        assertEquals(200, ok.status(), ok.body());
        assertEquals(0, ok.json().get("data").size());
        assertError(
                api.post(
                        "/api/media/validate",
                        "{\"fileName\":\"x.webp\",\"fileSize\":10485761}",
                        "Authorization",
                        auth),
                400,
                4001);
        assertError(
                api.post("/api/media/validate", "{\"fileName\":\"x.exe\",\"fileSize\":10}", "Authorization", auth),
                400,
                4001);
        assertError(api.post("/api/media/validate", "{\"fileName\":\"x.png\"}", "Authorization", auth), 400, 4001);
        assertEquals(0, objectCount());
    }

    @Test
    void wrongTypeEmptyOversizeExpiredAndTamperedUploadsAre4xxAndWriteNothing() {
        Login alice = login();
        Login bob = login();
        // a PNG named .jpg
        JsonNode jpg = grant(alice, "photo.jpg", "image/jpeg", PNG.length);
        int status = put(jpg, PNG).statusCode();
        if (checksContentOnUpload()) {
            assertEquals(400, status);
        } else {
            // COS stores what its signature allows; the content check is where the key is used
            assertEquals(200, status);
            assertEquals(
                    Optional.empty(),
                    files().ownedInput(alice.userId(), jpg.get("key").asText()));
            storage(Clock.systemUTC()).delete(jpg.get("key").asText());
        }
        // 0 bytes, and 20 MiB through a 10 MiB URL
        JsonNode png = grant(alice, "photo.png", "image/png", 10L * 1024 * 1024);
        // (local: our own checks, 400 or 413; COS: the signed Content-Length and Content-Type, 403)
        boolean local = checksContentOnUpload();
        assertEquals(local ? 400 : 403, put(png, new byte[0]).statusCode());
        assertEquals(local ? 413 : 403, put(png, image(PNG, 20 * 1024 * 1024)).statusCode());
        // another content type than signed
        assertEquals(
                local ? 400 : 403,
                send("PUT", URI.create(png.get("uploadUrl").asText()), Map.of("Content-Type", "image/jpeg"), PNG)
                        .statusCode());
        // a tampered signature, and the signature moved to another user's key
        String url = png.get("uploadUrl").asText();
        assertEquals(
                403, send("PUT", URI.create(tampered(url)), headers(png), PNG).statusCode());
        String moved = url.replace("input/" + alice.userId() + "/", "input/" + bob.userId() + "/");
        assertEquals(403, send("PUT", URI.create(moved), headers(png), PNG).statusCode());
        // expired: a URL signed two hours ago for 15 minutes
        Storage past = storage(Clock.offset(Clock.systemUTC(), Duration.ofHours(-2)));
        Storage.PresignedRequest old = past.presignPut(
                "input/" + alice.userId() + "/20260101/" + "a".repeat(32) + ".png",
                "image/png",
                PNG.length,
                Duration.ofMinutes(15));
        assertEquals(403, send("PUT", old.url(), old.headers(), PNG).statusCode());
        assertEquals(
                403,
                send("GET", past.presignGet(jpg.get("key").asText(), Duration.ofMinutes(15)), Map.of(), null)
                        .statusCode());
        assertEquals(0, objectCount());

        // a real upload is alice's input, never bob's; traversal never names one
        JsonNode good = grant(alice, "ok.png", "image/png", PNG.length);
        assertEquals(200, put(good, PNG).statusCode());
        String key = good.get("key").asText();
        MediaFiles files = files();
        assertEquals(Optional.of(ImageTypes.PNG), files.ownedInput(alice.userId(), key));
        assertEquals(Optional.empty(), files.ownedInput(bob.userId(), key));
        String sneaky = "input/" + bob.userId() + "/../" + key.substring("input/".length());
        assertEquals(Optional.empty(), files.ownedInput(bob.userId(), sneaky));
        assertEquals(Optional.empty(), files.ownedInput(alice.userId(), "input/" + alice.userId() + "/none.png"));
        assertEquals(1, objectCount());
    }

    static String signature(String url) {
        Matcher m = Pattern.compile("(?:[?&])(?:sig|q-signature)=([^&]+)").matcher(url);
        assertTrue(m.find(), url);
        return m.group(1);
    }

    /** The URL with the first character of its signature changed. */
    static String tampered(String url) {
        Matcher m = Pattern.compile("(?:[?&])(?:sig|q-signature)=(.)").matcher(url);
        assertTrue(m.find(), url);
        return url.substring(0, m.start(1)) + (m.group(1).equals("0") ? "1" : "0") + url.substring(m.end(1));
    }

    static void assertFourXx(int status) {
        assertTrue(status >= 400 && status < 500, "status " + status);
    }

    static void assertError(Http.Response r, int status, int code) {
        assertEquals(status, r.status(), r.body());
        assertEquals(code, r.json().get("error").get("code").asInt(), r.body());
    }
}
