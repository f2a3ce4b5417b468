package com.aiphoto.server.auth;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A local Tencent Cloud SMS endpoint: recomputes the TC3-HMAC-SHA256 signature from the request it received (its
 * own implementation, written from Tencent's documentation, not the server's signer) and answers like SendSms,
 * keeping the codes it was asked to send so tests can log in with them.
 */
final class FakeTencentSms implements AutoCloseable {
    static final String SECRET_ID = "AKIDfakeSecretId0001";
    static final String SECRET_KEY = "fake-tencent-secret-key-0123456789";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final HttpServer server;
    private final Map<String, List<String>> codes = new ConcurrentHashMap<>();
    final List<String> rejections = new CopyOnWriteArrayList<>();

    FakeTencentSms() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Settings that make the server send codes here. */
    Map<String, String> settings() {
        return Map.of("SMS_ENDPOINT", endpoint(), "TENCENT_SECRET_ID", SECRET_ID, "TENCENT_SECRET_KEY", SECRET_KEY,
                "SMS_SDK_APP_ID", "1400000001", "SMS_SIGN_NAME", "AiPhoto", "SMS_TEMPLATE_ID", "200001");
    }

    /** The last code sent to {@code phone}. */
    String lastCode(String phone) {
        List<String> list = codes.getOrDefault(phone, List.of());
        if (list.isEmpty()) {
            throw new AssertionError("no SMS sent to " + phone + "; rejections: " + rejections);
        }
        return list.getLast();
    }

    int sentTo(String phone) {
        return codes.getOrDefault(phone, List.of()).size();
    }

    private void handle(HttpExchange ex) throws IOException {
        byte[] body;
        try (InputStream in = ex.getRequestBody()) {
            body = in.readAllBytes();
        }
        String payload = new String(body, StandardCharsets.UTF_8);
        String problem = verify(ex, payload);
        String response;
        if (problem != null) {
            rejections.add(problem);
            response = "{\"Response\":{\"Error\":{\"Code\":\"AuthFailure.SignatureFailure\",\"Message\":\""
                    + problem + "\"},\"RequestId\":\"r1\"}}";
        } else {
            JsonNode req = MAPPER.readTree(payload);
            String phone = req.get("PhoneNumberSet").get(0).asText().replace("+86", "");
            codes.computeIfAbsent(phone, k -> new CopyOnWriteArrayList<>())
                    .add(req.get("TemplateParamSet").get(0).asText());
            response = "{\"Response\":{\"SendStatusSet\":[{\"SerialNo\":\"5000:1\",\"PhoneNumber\":\"+86" + phone
                    + "\",\"Fee\":1,\"Code\":\"Ok\",\"Message\":\"send success\"}],\"RequestId\":\"r2\"}}";
        }
        byte[] out = response.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(200, out.length);
        ex.getResponseBody().write(out);
        ex.close();
    }

    /** Null when the request is signed correctly for SendSms, else what is wrong. */
    private static String verify(HttpExchange ex, String payload) {
        var h = ex.getRequestHeaders();
        if (!"SendSms".equals(h.getFirst("X-TC-Action")) || !"2021-01-11".equals(h.getFirst("X-TC-Version"))) {
            return "wrong action or version";
        }
        String auth = h.getFirst("Authorization");
        String ts = h.getFirst("X-TC-Timestamp");
        if (auth == null || ts == null) {
            return "unsigned";
        }
        long timestamp = Long.parseLong(ts);
        if (Math.abs(Instant.now().getEpochSecond() - timestamp) > 300) {
            return "stale timestamp";
        }
        String date = DateTimeFormatter.ofPattern("yyyy-MM-dd").format(Instant.ofEpochSecond(timestamp)
                .atZone(ZoneOffset.UTC));
        String canonicalHeaders = "content-type:" + h.getFirst("Content-Type") + "\n" + "host:"
                + h.getFirst("Host") + "\n" + "x-tc-action:sendsms\n";
        String canonical = ex.getRequestMethod() + "\n/\n\n" + canonicalHeaders + "\ncontent-type;host;x-tc-action\n"
                + hex(sha256(payload));
        String scope = date + "/sms/tc3_request";
        String toSign = "TC3-HMAC-SHA256\n" + timestamp + "\n" + scope + "\n" + hex(sha256(canonical));
        byte[] k = hmac(("TC3" + SECRET_KEY).getBytes(StandardCharsets.UTF_8), date);
        k = hmac(k, "sms");
        k = hmac(k, "tc3_request");
        String expected = "TC3-HMAC-SHA256 Credential=" + SECRET_ID + "/" + scope
                + ", SignedHeaders=content-type;host;x-tc-action, Signature=" + hex(hmac(k, toSign));
        return expected.equals(auth) ? null : "signature mismatch";
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
