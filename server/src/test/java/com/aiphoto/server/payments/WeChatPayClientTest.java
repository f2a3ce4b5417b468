package com.aiphoto.server.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.config.Settings;
import com.aiphoto.testing.FakeServer.Reply;
import com.aiphoto.testing.FakeWeChatPay;
import com.aiphoto.testing.WeChatPayKeys;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SDK-backed client against the fake WeChat Pay, which verifies our signatures and signs its answers. */
class WeChatPayClientTest {
    static final String DOMAIN = "https://photo.example.com";

    @TempDir
    Path dir;

    WeChatPayKeys keys;
    FakeWeChatPay fake;

    @BeforeEach
    void start() {
        keys = WeChatPayKeys.generate(dir.resolve("keys"));
        fake = new FakeWeChatPay(keys);
    }

    @AfterEach
    void stop() {
        fake.close();
    }

    private Settings settings(Map<String, String> overrides) {
        Map<String, String> m = new HashMap<>(fake.settings());
        m.put("API_DOMAIN", DOMAIN);
        m.putAll(overrides);
        return Settings.of(m);
    }

    private WeChatPay client() {
        return WeChatPayClient.create(settings(Map.of())).orElseThrow();
    }

    private static NativeOrder order(String id, long cents) {
        return new NativeOrder(id, "AI Photo monthly", cents, Instant.now().plus(2, ChronoUnit.HOURS));
    }

    @Test
    void createsANativeOrderWithOurExpiryAndNotifyUrl() throws Exception {
        WeChatPay client = client();
        NativeOrder o = order("ord_create_1", 9900);
        String codeUrl = client.createNative(o);
        assertTrue(codeUrl.startsWith("weixin://wxpay/bizpayurl?pr="), codeUrl);
        FakeWeChatPay.Order placed = fake.order("ord_create_1").orElseThrow();
        assertEquals(9900, placed.total());
        assertEquals(WeChatPayKeys.APPID, placed.appid());
        assertEquals(WeChatPayKeys.MCHID, placed.mchid());
        assertEquals(DOMAIN + "/api/payment/wechat/notify", placed.notifyUrl());
        assertEquals(
                o.expiresAt().truncatedTo(ChronoUnit.SECONDS),
                OffsetDateTime.parse(placed.timeExpire()).toInstant());
        assertTrue(placed.timeExpire().endsWith("+08:00"), placed.timeExpire());
        // placing it again (a retried purchase) gets the same QR code
        assertEquals(codeUrl, client.createNative(o));
        assertTrue(fake.rejections().isEmpty(), fake.rejections()::toString);
    }

    @Test
    void queriesUnpaidPaidAndUnknownOrders() throws Exception {
        WeChatPay client = client();
        client.createNative(order("ord_query_1", 24900));
        WeChatTransaction unpaid = client.query("ord_query_1").orElseThrow();
        assertEquals("NOTPAY", unpaid.tradeState());
        assertFalse(unpaid.paid());
        assertNull(unpaid.transactionId());
        assertNull(unpaid.successTime());

        FakeWeChatPay.Order paid = fake.pay("ord_query_1");
        WeChatTransaction tx = client.query("ord_query_1").orElseThrow();
        assertTrue(tx.paid());
        assertEquals(paid.transactionId(), tx.transactionId());
        assertEquals(24900, tx.amountTotal());
        assertEquals(WeChatPayKeys.MCHID, tx.mchid());
        assertEquals(WeChatPayKeys.APPID, tx.appid());
        assertEquals(OffsetDateTime.parse(paid.successTime()).toInstant(), tx.successTime());

        assertEquals(Optional.empty(), client.query("ord_never_placed"));
    }

    @Test
    void closesAnOrderAndClosingTwiceIsFine() throws Exception {
        WeChatPay client = client();
        client.createNative(order("ord_close_1", 9900));
        client.close("ord_close_1");
        assertEquals("CLOSED", fake.order("ord_close_1").orElseThrow().tradeState());
        client.close("ord_close_1");
        assertEquals("CLOSED", client.query("ord_close_1").orElseThrow().tradeState());
        // the 204 was signed over an empty body, and the SDK checked it
        assertTrue(fake.exchanges().stream().anyMatch(e -> e.toString().endsWith("/close 204")));
    }

    @Test
    void closingAPaidOrderIsRefusedAndNotRetryable() throws Exception {
        WeChatPay client = client();
        client.createNative(order("ord_close_paid", 9900));
        fake.pay("ord_close_paid");
        PaymentProviderException e = assertThrows(PaymentProviderException.class, () -> client.close("ord_close_paid"));
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("ORDERPAID"), e.getMessage());
    }

    @Test
    void unreachableWeChatPayIsRetryable() {
        WeChatPay client = client();
        fake.close();
        PaymentProviderException e =
                assertThrows(PaymentProviderException.class, () -> client.createNative(order("ord_down", 9900)));
        assertTrue(e.retryable());
        assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
        assertSafe(e);
    }

    @Test
    void serverErrorsAndRateLimitsAreRetryableClientErrorsAreNot() {
        WeChatPay client = client();
        String path = "/v3/pay/transactions/native";
        fake.answer(path, Reply.json(500, "{\"code\":\"SYSTEM_ERROR\",\"message\":\"系统错误\"}"));
        assertRetryable(client, true, "HTTP 500 SYSTEM_ERROR");
        fake.answer(path, Reply.json(429, "{\"code\":\"FREQUENCY_LIMITED\",\"message\":\"频率超限\"}"));
        assertRetryable(client, true, "HTTP 429 FREQUENCY_LIMITED");
        // a gateway's HTML page, not WeChat's JSON: still the 502 it is
        fake.answer(
                path,
                Reply.of(
                        502,
                        "text/html",
                        "<html>Bad Gateway</html>".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertRetryable(client, true, "HTTP 502");
        fake.answer(path, Reply.json(400, "{\"code\":\"PARAM_ERROR\",\"message\":\"参数错误\"}"));
        assertRetryable(client, false, "HTTP 400 PARAM_ERROR");
    }

    private void assertRetryable(WeChatPay client, boolean retryable, String fragment) {
        PaymentProviderException e =
                assertThrows(PaymentProviderException.class, () -> client.createNative(order("ord_err", 9900)));
        assertEquals(retryable, e.retryable(), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertSafe(e);
    }

    @Test
    void anAnswerSignedWithAnotherKeyIsRefused() throws Exception {
        WeChatPay client = client();
        client.createNative(order("ord_badsig", 9900));
        fake.signResponsesWithWrongKey(true);
        PaymentProviderException e = assertThrows(PaymentProviderException.class, () -> client.query("ord_badsig"));
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("signature"), e.getMessage());
        assertSafe(e);
        fake.signResponsesWithWrongKey(false);
        assertTrue(client.query("ord_badsig").isPresent());
    }

    @Test
    void theFakeRefusesARequestSignedUnderAnotherSerial() {
        WeChatPay client = WeChatPayClient.create(settings(Map.of("WECHAT_CERT_SERIAL", "0123456789ABCDEF")))
                .orElseThrow();
        PaymentProviderException e =
                assertThrows(PaymentProviderException.class, () -> client.createNative(order("ord_serial", 9900)));
        assertFalse(e.retryable());
        assertTrue(e.getMessage().contains("HTTP 401 SIGN_ERROR"), e.getMessage());
        assertEquals(1, fake.rejections().size());
        assertTrue(fake.rejections().get(0).contains("unknown merchant serial"), fake.rejections()::toString);
    }

    @Test
    void certificateModeVerifiesAnswersWithThePlatformCertificate() throws Exception {
        fake.useCertificateSerial();
        Map<String, String> cert = new HashMap<>();
        cert.put("WECHAT_PLATFORM_CERT_PATH", keys.platformCertificateFile().toString());
        cert.put("WECHAT_PLATFORM_SERIAL", "");
        WeChatPayConfig config = WeChatPayConfig.from(settings(cert)).orElseThrow();
        assertTrue(config.certificateMode());
        assertEquals(keys.certificateSerial(), config.platformSerial());
        WeChatPay client = new WeChatPayClient(config);
        assertNotNull(client.createNative(order("ord_cert", 9900)));
        assertEquals("NOTPAY", client.query("ord_cert").orElseThrow().tradeState());
    }

    @Test
    void notConfiguredOutsideProductionMeansNoClient() {
        assertEquals(Optional.empty(), WeChatPayClient.create(Settings.of(Map.of("APP_ENV", "test"))));
        // the mini-program login's appid alone does not turn payments on
        assertEquals(
                Optional.empty(),
                WeChatPayClient.create(Settings.of(Map.of("APP_ENV", "test", "WECHAT_APPID", "wx1"))));
    }

    @Test
    void productionRequiresEveryKey() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class, () -> WeChatPayConfig.from(Settings.of(Map.of("APP_ENV", "production"))));
        assertTrue(e.getMessage().startsWith("WeChat Pay: WECHAT_APPID, WECHAT_MCHID, WECHAT_API_KEY"), e.getMessage());
        assertTrue(e.getMessage().endsWith("are required in production"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        assertNotNull(
                WeChatPayConfig.from(settings(Map.of("APP_ENV", "production"))).orElseThrow());
    }

    @Test
    void aPartialConfigurationIsAnError() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> WeChatPayConfig.from(settings(Map.of("WECHAT_CERT_SERIAL", "", "WECHAT_PLATFORM_SERIAL", ""))));
        assertEquals(
                "WeChat Pay: WECHAT_CERT_SERIAL, WECHAT_PLATFORM_SERIAL are required once any WeChat Pay key is set "
                        + "(set all of them or none)",
                e.getMessage());
    }

    @Test
    void brokenKeyFilesAreNamedWithoutTheirContent() {
        String publicKeyFile = keys.platformKeyFile().toString();
        IllegalStateException notPrivate = assertThrows(
                IllegalStateException.class,
                () -> WeChatPayConfig.from(settings(Map.of("WECHAT_CERT_PATH", publicKeyFile))));
        assertTrue(
                notPrivate.getMessage().contains("WECHAT_CERT_PATH (" + publicKeyFile + ") does not hold"),
                notPrivate.getMessage());
        IllegalStateException absent = assertThrows(
                IllegalStateException.class,
                () -> WeChatPayConfig.from(settings(
                        Map.of("WECHAT_CERT_PATH", dir.resolve("absent.pem").toString()))));
        assertTrue(absent.getMessage().contains("cannot be read"), absent.getMessage());
        IllegalStateException notPublic = assertThrows(
                IllegalStateException.class,
                () -> WeChatPayConfig.from(settings(Map.of(
                        "WECHAT_PLATFORM_CERT_PATH", keys.merchantKeyFile().toString()))));
        assertTrue(notPublic.getMessage().contains("WECHAT_PLATFORM_CERT_PATH must hold"), notPublic.getMessage());
        IllegalStateException shortKey = assertThrows(
                IllegalStateException.class, () -> WeChatPayConfig.from(settings(Map.of("WECHAT_API_KEY", "short"))));
        assertEquals("WeChat Pay: WECHAT_API_KEY must be the 32-character APIv3 key", shortKey.getMessage());
        IllegalStateException path = assertThrows(
                IllegalStateException.class,
                () -> WeChatPayConfig.from(settings(Map.of("WECHAT_PAY_BASE_URL", fake.endpoint() + "/prefix"))));
        assertTrue(path.getMessage().contains("WECHAT_PAY_BASE_URL"), path.getMessage());
        assertFalse(WeChatPayConfig.from(settings(Map.of()))
                .orElseThrow()
                .toString()
                .contains(keys.apiV3Key()));
    }

    /** No key, no signature, no Authorization header in what callers may log. */
    private void assertSafe(PaymentProviderException e) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            all.append(t).append('\n');
        }
        String text = all.toString();
        assertFalse(text.contains(keys.apiV3Key()), text);
        assertFalse(text.contains("signature="), text);
        assertFalse(text.contains("WECHATPAY2-SHA256-RSA2048"), text);
        assertFalse(text.contains("Authorization"), text);
    }
}
