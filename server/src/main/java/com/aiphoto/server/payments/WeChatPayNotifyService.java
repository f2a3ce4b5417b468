package com.aiphoto.server.payments;

import static net.logstash.logback.argument.StructuredArguments.keyValue;

import com.aiphoto.core.db.DataAccessException;
import com.aiphoto.server.platform.RequestFilter;
import com.aiphoto.server.platform.RequestIds;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.wechat.pay.java.core.cipher.AeadAesCipher;
import com.wechat.pay.java.core.cipher.RSAVerifier;
import com.wechat.pay.java.core.exception.ValidationException;
import com.wechat.pay.java.core.notification.Constant;
import com.wechat.pay.java.core.notification.NotificationParser;
import com.wechat.pay.java.core.notification.RequestParam;
import com.wechat.pay.java.service.payments.model.Transaction;
import io.helidon.http.HeaderNames;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /api/payment/wechat/notify}: WeChat Pay's payment notifications. The SDK's
 * {@link NotificationParser} verifies the signature over the raw body and decrypts the resource; what it does not
 * check is done here: the timestamp window, WeChat's {@code WECHATPAY/SIGNTEST/} probes, the serial, mchid and
 * appid. Then the transaction goes to {@link OrderSettlement}. Answers in WeChat's shape: 204 when the order is
 * paid (also when it already was), 4xx {@code {"code":"FAIL","message":...}} on anything that is not a genuine
 * payment of one of our orders (each logged once as a security event), 5xx on our own transient failure, so that
 * WeChat delivers again.
 */
final class WeChatPayNotifyService implements HttpService {
    /** Notifications are about 1 KiB; anything much larger is not one. */
    static final int MAX_BODY = 64 * 1024;
    /** How far a notification's timestamp may be from our clock (the SDK checks none). */
    static final Duration MAX_SKEW = Duration.ofMinutes(5);

    private static final Logger LOG = LoggerFactory.getLogger(WeChatPayNotifyService.class);
    private static final Logger SECURITY = LoggerFactory.getLogger("security");
    private static final String SIGNTEST_PREFIX = "WECHATPAY/SIGNTEST/";
    private static final String EVENT_SUCCESS = "TRANSACTION.SUCCESS";

    private final Supplier<Optional<Verifier>> verifier;
    private final OrderSettlement settlement;
    private final Clock clock;
    private final ObjectMapper mapper;

    /** What a notification is checked against: the configured merchant. */
    record Verifier(NotificationParser parser, String platformSerial, String mchid, String appid) {
        /**
         * One path for both modes: the platform public key (from the key file or the certificate) under its
         * serial, and the APIv3 key. The SDK's certificate-mode notification config is deprecated in favour of
         * the auto-downloading one, which we do not use.
         */
        static Verifier of(WeChatPayConfig c) {
            NotificationParser parser = new NotificationParser(
                    Map.of(Constant.RSA_SIGN_TYPE, new RSAVerifier(c.platformKey(), c.platformSerial())),
                    Map.of(
                            Constant.AES_CIPHER_ALGORITHM,
                            new AeadAesCipher(c.apiV3Key().getBytes(StandardCharsets.UTF_8))));
            return new Verifier(parser, c.platformSerial(), c.mchid(), c.appid());
        }
    }

    /** A notification we refuse: the status, the message WeChat sees, and a stable reason for the security log. */
    private static final class Rejected extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;
        private final String reason;

        Rejected(int status, String reason, String message) {
            super(message, null, false, false);
            this.status = status;
            this.reason = reason;
        }
    }

    /** @param verifier empty when WeChat Pay is not configured: every notification is then refused */
    WeChatPayNotifyService(Optional<Verifier> verifier, OrderSettlement settlement, Clock clock, ObjectMapper mapper) {
        this(() -> verifier, settlement, clock, mapper);
    }

    /** @param verifier the merchant in force for each notification ({@link StoredMerchant#verifier}) */
    WeChatPayNotifyService(
            Supplier<Optional<Verifier>> verifier, OrderSettlement settlement, Clock clock, ObjectMapper mapper) {
        this.verifier = verifier;
        this.settlement = settlement;
        this.clock = clock;
        this.mapper = mapper;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/notify", this::handle);
    }

    private void handle(ServerRequest req, ServerResponse res) {
        WeChatTransaction tx;
        try {
            tx = verify(req);
        } catch (Rejected r) {
            reject(req, res, r);
            return;
        }
        if (tx == null) {
            res.status(Status.NO_CONTENT_204).send();
            return;
        }
        OrderSettlement.Outcome outcome;
        try {
            outcome = settlement.settle(tx);
        } catch (DataAccessException e) {
            LOG.error(
                    "WeChat Pay notification for order {}: database unavailable, WeChat will retry",
                    tx.outTradeNo(),
                    e);
            fail(res, 503, "temporarily unavailable, retry later");
            return;
        } catch (RuntimeException e) {
            LOG.error("WeChat Pay notification for order {}: settlement failed", tx.outTradeNo(), e);
            fail(res, 500, "internal error, retry later");
            return;
        }
        switch (outcome) {
            case GRANTED, ALREADY_PAID -> {
                LOG.info("WeChat Pay notification: order {} {}", tx.outTradeNo(), outcome);
                res.status(Status.NO_CONTENT_204).send();
            }
            case UNKNOWN_ORDER -> reject(req, res, new Rejected(400, "unknown_order", "unknown out_trade_no"));
            case AMOUNT_MISMATCH -> reject(req, res, new Rejected(400, "amount_mismatch", "amount does not match"));
            case NOT_PAID -> reject(req, res, new Rejected(400, "not_paid", "trade_state is not SUCCESS"));
        }
    }

    /** The verified, decrypted transaction; null for a verified event that is not a payment (acknowledged). */
    private WeChatTransaction verify(ServerRequest req) throws Rejected {
        Verifier v = verifier.get()
                .orElseThrow(() -> new Rejected(404, "not_configured", "WeChat Pay is not configured on this server"));
        byte[] raw = body(req);
        String serial = header(req, "Wechatpay-Serial");
        String signature = header(req, "Wechatpay-Signature");
        String timestamp = header(req, "Wechatpay-Timestamp");
        String nonce = header(req, "Wechatpay-Nonce");
        if (signature.startsWith(SIGNTEST_PREFIX)) {
            throw new Rejected(400, "signtest_probe", "signature probe");
        }
        if (!serial.equalsIgnoreCase(v.platformSerial())) {
            throw new Rejected(401, "unknown_serial", "unknown Wechatpay-Serial");
        }
        long ts;
        try {
            ts = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            throw new Rejected(400, "bad_timestamp", "Wechatpay-Timestamp is not a number");
        }
        Duration skew = Duration.between(Instant.ofEpochSecond(ts), clock.instant());
        if (skew.abs().compareTo(MAX_SKEW) > 0) {
            throw new Rejected(
                    401, skew.isNegative() ? "future_timestamp" : "stale_timestamp", "timestamp outside the window");
        }
        String body = new String(raw, StandardCharsets.UTF_8);
        Transaction t;
        try {
            t = v.parser()
                    .parse(
                            new RequestParam.Builder()
                                    .serialNumber(serial)
                                    .signature(signature)
                                    .timestamp(timestamp)
                                    .nonce(nonce)
                                    .signType(req.headers()
                                            .first(HeaderNames.create("Wechatpay-Signature-Type"))
                                            .orElse(null))
                                    .body(body)
                                    .build(),
                            Transaction.class);
        } catch (ValidationException e) {
            // the SDK's message quotes the signature: never logged
            throw new Rejected(401, "bad_signature", "signature verification failed");
        } catch (RuntimeException e) {
            // signed by WeChat but unreadable: not JSON, no resource, wrong APIv3 key (DecryptionException)
            throw new Rejected(400, "undecryptable", "notification could not be read or decrypted");
        }
        if (t == null) {
            throw new Rejected(400, "undecryptable", "notification could not be read or decrypted");
        }
        String event = eventType(body);
        if (!EVENT_SUCCESS.equals(event)) {
            LOG.info("WeChat Pay notification of type {} acknowledged and ignored", event);
            return null;
        }
        if (!v.mchid().equals(t.getMchid())) {
            throw new Rejected(400, "wrong_mchid", "mchid does not match");
        }
        if (!v.appid().equals(t.getAppid())) {
            throw new Rejected(400, "wrong_appid", "appid does not match");
        }
        if (t.getOutTradeNo() == null || t.getOutTradeNo().isEmpty()) {
            throw new Rejected(400, "unknown_order", "out_trade_no missing");
        }
        try {
            return WeChatPayClient.transaction(t);
        } catch (RuntimeException e) {
            throw new Rejected(400, "undecryptable", "transaction could not be read");
        }
    }

    private String eventType(String body) {
        try {
            JsonNode n = mapper.readTree(body);
            return n.path("event_type").asText("");
        } catch (IOException e) {
            return ""; // the SDK parsed it already; unreachable in practice
        }
    }

    private static byte[] body(ServerRequest req) throws Rejected {
        if (req.headers().contentLength().orElse(0L) > MAX_BODY) {
            throw new Rejected(413, "too_large", "body too large");
        }
        try (InputStream in = req.content().inputStream()) {
            byte[] b = in.readNBytes(MAX_BODY + 1);
            if (b.length > MAX_BODY) {
                throw new Rejected(413, "too_large", "body too large");
            }
            if (b.length == 0) {
                throw new Rejected(400, "empty_body", "empty body");
            }
            return b;
        } catch (IOException e) {
            throw new Rejected(400, "unreadable_body", "body could not be read");
        }
    }

    private static String header(ServerRequest req, String name) throws Rejected {
        return req.headers()
                .first(HeaderNames.create(name))
                .filter(v -> !v.isBlank())
                .orElseThrow(() -> new Rejected(400, "missing_header", name + " missing"));
    }

    private void reject(ServerRequest req, ServerResponse res, Rejected r) {
        String requestId = RequestIds.current()
                .or(() -> req.context().get(RequestFilter.RequestInfo.class).map(RequestFilter.RequestInfo::requestId))
                .orElse("-");
        SECURITY.warn(
                "WeChat Pay notification rejected: {} ({}) requestId={}",
                r.reason,
                r.getMessage(),
                requestId,
                keyValue("event", "wechatpay_notify_rejected"),
                keyValue("reason", r.reason));
        fail(res, r.status, r.getMessage());
    }

    private void fail(ServerResponse res, int status, String message) {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("code", "FAIL");
        body.put("message", message);
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(body);
        } catch (IOException e) {
            bytes = "{\"code\":\"FAIL\",\"message\":\"error\"}".getBytes(StandardCharsets.UTF_8);
        }
        res.status(Status.create(status))
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .send(bytes);
    }
}
