package com.aiphoto.server.auth;

import com.aiphoto.testing.FakeServer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A local Tencent Cloud SMS endpoint: recomputes the TC3-HMAC-SHA256 signature from the request it received (its
 * own implementation, written from Tencent's documentation, not the server's signer) and answers like SendSms,
 * keeping the codes it was asked to send so tests can log in with them.
 */
final class FakeTencentSms extends FakeServer {
    static final String SECRET_ID = "AKIDfakeSecretId0001";
    static final String SECRET_KEY = "fake-tencent-secret-key-0123456789";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, List<String>> codes = new ConcurrentHashMap<>();
    private final AtomicInteger failures = new AtomicInteger();

    /** The next {@code n} sends fail as Tencent reports an outage on its side. */
    void failNext(int n) {
        failures.set(n);
    }

    /** Settings that make the server send codes here. */
    Map<String, String> settings() {
        return Map.of(
                "SMS_ENDPOINT",
                endpoint(),
                "TENCENT_SECRET_ID",
                SECRET_ID,
                "TENCENT_SECRET_KEY",
                SECRET_KEY,
                "SMS_SDK_APP_ID",
                "1400000001",
                "SMS_SIGN_NAME",
                "AiPhoto",
                "SMS_TEMPLATE_ID",
                "200001");
    }

    /** The last code sent to {@code phone}. */
    String lastCode(String phone) {
        List<String> list = codes.getOrDefault(phone, List.of());
        if (list.isEmpty()) {
            throw new AssertionError("no SMS sent to " + phone + "; rejections: " + rejections());
        }
        return list.getLast();
    }

    int sentTo(String phone) {
        return codes.getOrDefault(phone, List.of()).size();
    }

    @Override
    protected Reply handle(Request req) {
        JsonNode sms;
        try {
            sms = MAPPER.readTree(req.body());
        } catch (java.io.IOException e) {
            return Reply.json(200, "{\"Response\":{\"Error\":{\"Code\":\"InvalidParameter\"},\"RequestId\":\"r0\"}}");
        }
        if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            return Reply.json(
                    200,
                    "{\"Response\":{\"Error\":{\"Code\":\"InternalError.Timeout\",\"Message\":"
                            + "\"backend timeout\"},\"RequestId\":\"r3\"}}");
        }
        String phone = sms.get("PhoneNumberSet").get(0).asText().replace("+86", "");
        codes.computeIfAbsent(phone, k -> new CopyOnWriteArrayList<>())
                .add(sms.get("TemplateParamSet").get(0).asText());
        return Reply.json(
                200,
                "{\"Response\":{\"SendStatusSet\":[{\"SerialNo\":\"5000:1\",\"PhoneNumber\":\"+86" + phone
                        + "\",\"Fee\":1,\"Code\":\"Ok\",\"Message\":\"send success\"}],\"RequestId\":\"r2\"}}");
    }

    /** Tencent Cloud refuses a bad signature with HTTP 200 and an error in the body. */
    @Override
    protected Reply rejected(Request req, String problem) {
        return Reply.json(
                200,
                "{\"Response\":{\"Error\":{\"Code\":\"AuthFailure.SignatureFailure\",\"Message\":\"" + problem
                        + "\"},\"RequestId\":\"r1\"}}");
    }

    /** Empty when the request is signed correctly for SendSms, else what is wrong. */
    @Override
    protected Optional<String> signatureProblem(Request req) {
        if (!req.header("X-TC-Action").equals(Optional.of("SendSms"))
                || !req.header("X-TC-Version").equals(Optional.of("2021-01-11"))) {
            return Optional.of("wrong action or version");
        }
        String auth = req.header("Authorization").orElse(null);
        String ts = req.header("X-TC-Timestamp").orElse(null);
        if (auth == null || ts == null) {
            return Optional.of("unsigned");
        }
        long timestamp = Long.parseLong(ts);
        if (Math.abs(Instant.now().getEpochSecond() - timestamp) > 300) {
            return Optional.of("stale timestamp");
        }
        String date = DateTimeFormatter.ofPattern("yyyy-MM-dd")
                .format(Instant.ofEpochSecond(timestamp).atZone(ZoneOffset.UTC));
        String canonicalHeaders = "content-type:" + req.header("Content-Type").orElse("") + "\n" + "host:"
                + req.header("Host").orElse("") + "\n" + "x-tc-action:sendsms\n";
        String canonical = req.method() + "\n/\n\n" + canonicalHeaders + "\ncontent-type;host;x-tc-action\n"
                + hex(sha256(req.bodyText()));
        String scope = date + "/sms/tc3_request";
        String toSign = "TC3-HMAC-SHA256\n" + timestamp + "\n" + scope + "\n" + hex(sha256(canonical));
        byte[] k = hmac(("TC3" + SECRET_KEY).getBytes(StandardCharsets.UTF_8), date);
        k = hmac(k, "sms");
        k = hmac(k, "tc3_request");
        String expected = "TC3-HMAC-SHA256 Credential=" + SECRET_ID + "/" + scope
                + ", SignedHeaders=content-type;host;x-tc-action, Signature=" + hex(hmac(k, toSign));
        return expected.equals(auth) ? Optional.empty() : Optional.of("signature mismatch");
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
}
