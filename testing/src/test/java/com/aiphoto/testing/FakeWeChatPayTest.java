package com.aiphoto.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.testing.FakeWeChatPay.Fault;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fake against the WeChat Pay v3 wire format, checked with the JDK alone (the server's tests drive it through
 * the official SDK): Authorization pairs in any order, signed answers, encrypted notifications.
 */
class FakeWeChatPayTest {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final HttpClient http =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @TempDir
    Path dir;

    WeChatPayKeys keys;
    FakeWeChatPay fake;

    @BeforeEach
    void start() {
        keys = WeChatPayKeys.generate(dir);
        fake = new FakeWeChatPay(keys);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    @Test
    void keyFilesAreOwnerOnlyPems() throws Exception {
        for (Path f : List.of(keys.merchantKeyFile(), keys.platformKeyFile(), keys.platformCertificateFile())) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
            assertTrue(Files.readString(f).startsWith("-----BEGIN "), f.toString());
        }
        assertEquals(32, keys.apiV3Key().length());
    }

    @Test
    void acceptsAuthorizationPairsInAnyOrderAndRefusesABadSignature() throws Exception {
        String body = "{\"appid\":\"" + WeChatPayKeys.APPID + "\",\"mchid\":\"" + WeChatPayKeys.MCHID
                + "\",\"description\":\"d\",\"out_trade_no\":\"o1\",\"notify_url\":\"https://x/n\","
                + "\"amount\":{\"total\":100}}";
        HttpResponse<String> created = call("POST", "/v3/pay/transactions/native", body, false, false);
        assertEquals(200, created.statusCode(), created.body());
        assertTrue(MAPPER.readTree(created.body()).get("code_url").asText().startsWith("weixin://"));
        assertSignedByPlatform(created);

        HttpResponse<String> reversed =
                call("GET", "/v3/pay/transactions/out-trade-no/o1?mchid=" + WeChatPayKeys.MCHID, "", true, false);
        assertEquals(200, reversed.statusCode(), reversed.body());
        assertEquals(
                "NOTPAY", MAPPER.readTree(reversed.body()).get("trade_state").asText());

        HttpResponse<String> forged =
                call("GET", "/v3/pay/transactions/out-trade-no/o1?mchid=" + WeChatPayKeys.MCHID, "", false, true);
        assertEquals(401, forged.statusCode());
        assertEquals("SIGN_ERROR", MAPPER.readTree(forged.body()).get("code").asText());
        assertEquals(List.of("signature does not verify"), fake.rejections());
    }

    @Test
    void closeAnswers204SignedOverAnEmptyBody() throws Exception {
        call("POST", "/v3/pay/transactions/native", nativeBody("o2"), false, false);
        HttpResponse<String> closed = call(
                "POST",
                "/v3/pay/transactions/out-trade-no/o2/close",
                "{\"mchid\":\"" + WeChatPayKeys.MCHID + "\"}",
                false,
                false);
        assertEquals(204, closed.statusCode());
        assertEquals("", closed.body());
        assertSignedByPlatform(closed);
        assertEquals("CLOSED", fake.order("o2").orElseThrow().tradeState());
    }

    @Test
    void notificationsAreSignedAndEncryptedAsWeChatDoes() throws Exception {
        call("POST", "/v3/pay/transactions/native", nativeBody("o3"), false, false);
        fake.pay("o3");
        FakeWeChatPay.Notification n = fake.notification(fake.transaction("o3"));
        String body = new String(n.body(), StandardCharsets.UTF_8);
        String message =
                n.headers().get("Wechatpay-Timestamp") + "\n" + n.headers().get("Wechatpay-Nonce") + "\n" + body + "\n";
        assertTrue(verify(keys.platform().getPublic(), message, n.headers().get("Wechatpay-Signature")));
        assertEquals(keys.platformSerial(), n.headers().get("Wechatpay-Serial"));
        JsonNode event = MAPPER.readTree(body);
        assertEquals("TRANSACTION.SUCCESS", event.get("event_type").asText());
        JsonNode r = event.get("resource");
        assertEquals("AEAD_AES_256_GCM", r.get("algorithm").asText());
        assertEquals(12, r.get("nonce").asText().length());
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(
                Cipher.DECRYPT_MODE,
                new SecretKeySpec(keys.apiV3Key().getBytes(StandardCharsets.UTF_8), "AES"),
                new GCMParameterSpec(128, r.get("nonce").asText().getBytes(StandardCharsets.UTF_8)));
        c.updateAAD(r.get("associated_data").asText().getBytes(StandardCharsets.UTF_8));
        JsonNode tx = MAPPER.readTree(
                c.doFinal(Base64.getDecoder().decode(r.get("ciphertext").asText())));
        assertEquals("o3", tx.get("out_trade_no").asText());
        assertEquals("SUCCESS", tx.get("trade_state").asText());
        assertEquals(100, tx.get("amount").get("total").asLong());
        assertEquals(
                fake.order("o3").orElseThrow().transactionId(),
                tx.get("transaction_id").asText());

        FakeWeChatPay.Notification wrong = fake.notification(fake.transaction("o3"), Fault.WRONG_KEY);
        String wrongMessage = wrong.headers().get("Wechatpay-Timestamp") + "\n"
                + wrong.headers().get("Wechatpay-Nonce") + "\n" + new String(wrong.body(), StandardCharsets.UTF_8)
                + "\n";
        assertFalse(verify(
                keys.platform().getPublic(), wrongMessage, wrong.headers().get("Wechatpay-Signature")));
        long stale = Long.parseLong(fake.notification(fake.transaction("o3"), Fault.STALE_TIMESTAMP)
                .headers()
                .get("Wechatpay-Timestamp"));
        assertTrue(Instant.now().getEpochSecond() - stale >= 590);
        assertTrue(fake.notification(fake.transaction("o3"), Fault.SIGNTEST)
                .headers()
                .get("Wechatpay-Signature")
                .startsWith("WECHATPAY/SIGNTEST/"));
    }

    private static String nativeBody(String id) {
        return "{\"appid\":\"" + WeChatPayKeys.APPID + "\",\"mchid\":\"" + WeChatPayKeys.MCHID
                + "\",\"description\":\"d\",\"out_trade_no\":\"" + id + "\",\"notify_url\":\"https://x/n\","
                + "\"amount\":{\"total\":100}}";
    }

    /** A request signed as the merchant; {@code reversed} lists the pairs backwards, {@code forge} breaks the signature. */
    private HttpResponse<String> call(String method, String target, String body, boolean reversed, boolean forge)
            throws Exception {
        long ts = Instant.now().getEpochSecond();
        String nonce = "NONCE" + System.nanoTime();
        String message = method + "\n" + target + "\n" + ts + "\n" + nonce + "\n" + body + "\n";
        String signature = sign(keys.merchant().getPrivate(), forge ? message + "x" : message);
        List<String> pairs = new ArrayList<>(List.of(
                "mchid=\"" + WeChatPayKeys.MCHID + "\"",
                "nonce_str=\"" + nonce + "\"",
                "timestamp=\"" + ts + "\"",
                "serial_no=\"" + keys.merchantSerial() + "\"",
                "signature=\"" + signature + "\""));
        if (reversed) {
            java.util.Collections.reverse(pairs);
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(fake.endpoint() + target))
                .header("Authorization", "WECHATPAY2-SHA256-RSA2048 " + String.join(",", pairs))
                .header("Accept", "application/json")
                .header("Content-Type", "application/json");
        b.method(
                method,
                method.equals("GET")
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }

    private void assertSignedByPlatform(HttpResponse<String> r) throws Exception {
        String ts = r.headers().firstValue("Wechatpay-Timestamp").orElseThrow();
        String nonce = r.headers().firstValue("Wechatpay-Nonce").orElseThrow();
        String signature = r.headers().firstValue("Wechatpay-Signature").orElseThrow();
        assertEquals(
                keys.platformSerial(),
                r.headers().firstValue("Wechatpay-Serial").orElseThrow());
        assertTrue(verify(keys.platform().getPublic(), ts + "\n" + nonce + "\n" + r.body() + "\n", signature));
    }

    private static String sign(PrivateKey key, String message) throws Exception {
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(key);
        s.update(message.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(s.sign());
    }

    private static boolean verify(PublicKey key, String message, String signature) throws Exception {
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initVerify(key);
        s.update(message.getBytes(StandardCharsets.UTF_8));
        return s.verify(Base64.getDecoder().decode(signature));
    }
}
