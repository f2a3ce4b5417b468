package com.aiphoto.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A local WeChat Pay v3 for the Native-payment calls we make, speaking the real wire format: it verifies each
 * request's {@code WECHATPAY2-SHA256-RSA2048} Authorization with the merchant's public key (pairs in any order,
 * signature over {@code METHOD\npath?query\ntimestamp\nnonce\nbody\n}), signs every answer with the platform key
 * ({@code timestamp\nnonce\nbody\n}, the 204 of close over an empty body) in {@code Wechatpay-*} headers, keeps
 * order state, and sends signed, AEAD_AES_256_GCM-encrypted {@code TRANSACTION.SUCCESS} notifications, with the
 * faults of {@link Fault} on demand.
 */
public final class FakeWeChatPay extends FakeServer {
    /** What can go wrong with a notification on its way to the merchant. */
    public enum Fault {
        /** Not sent at all (a lost notification). */
        DROP,
        /** Sent twice, one after the other. */
        DUPLICATE,
        /** Signed with a key that is not the platform's. */
        WRONG_KEY,
        /** The body changed after it was signed. */
        TAMPERED_BODY,
        /** Timestamp (signed) ten minutes in the past. */
        STALE_TIMESTAMP,
        /** Timestamp (signed) ten minutes in the future. */
        FUTURE_TIMESTAMP,
        /** WeChat's probe: a {@code WECHATPAY/SIGNTEST/} signature that no key made. */
        SIGNTEST,
        /** {@code Wechatpay-Serial} names a key the merchant does not have. */
        UNKNOWN_SERIAL,
        /** The resource is encrypted with another APIv3 key (the signature is right). */
        UNDECRYPTABLE,
        /** The (correctly signed) body is not JSON. */
        NOT_JSON
    }

    /** One delivery of a notification: the merchant's status, body and {@code X-Request-Id} (null if none). */
    public record Delivery(int status, String body, String requestId) {}

    /** A notification as it goes on the wire. */
    public record Notification(Map<String, String> headers, byte[] body) {}

    /** An order as the fake holds it. */
    public record Order(
            String outTradeNo,
            String appid,
            String mchid,
            String description,
            String notifyUrl,
            String timeExpire,
            long total,
            String tradeState,
            String transactionId,
            String successTime,
            String codeUrl) {}

    private static final String SCHEMA = "WECHATPAY2-SHA256-RSA2048";
    private static final Pattern PAIR = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final Pattern OUT_TRADE_NO = Pattern.compile("/v3/pay/transactions/out-trade-no/([^/]+)");
    private static final Pattern CLOSE = Pattern.compile("/v3/pay/transactions/out-trade-no/([^/]+)/close");
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final WeChatPayKeys keys;
    private final ObjectMapper mapper = new ObjectMapper();
    private final Map<String, Order> orders = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private volatile PrivateKey responseKey;
    private volatile String responseSerial;

    public FakeWeChatPay(WeChatPayKeys keys) {
        this.keys = keys;
        this.responseKey = keys.platform().getPrivate();
        this.responseSerial = keys.platformSerial();
    }

    /** The server settings for this fake: {@link WeChatPayKeys#settings} pointed at {@link #endpoint()}. */
    public Map<String, String> settings() {
        return keys.settings(endpoint());
    }

    public WeChatPayKeys keys() {
        return keys;
    }

    /** From now on answers are signed under the platform certificate's serial (certificate mode). */
    public void useCertificateSerial() {
        responseSerial = keys.certificateSerial();
    }

    /** From now on answers are signed with a stranger's key ({@code true}) or the platform's again. */
    public void signResponsesWithWrongKey(boolean wrong) {
        responseKey = wrong ? WeChatPayKeys.rsa().getPrivate() : keys.platform().getPrivate();
    }

    public Optional<Order> order(String outTradeNo) {
        return Optional.ofNullable(orders.get(outTradeNo));
    }

    /** The buyer pays the order: trade state SUCCESS, a transaction id, the success time. */
    public Order pay(String outTradeNo) {
        return orders.compute(outTradeNo, (k, o) -> {
            if (o == null) {
                throw new IllegalArgumentException("no order " + outTradeNo);
            }
            if (!o.tradeState().equals("NOTPAY")) {
                throw new IllegalStateException("order " + outTradeNo + " is " + o.tradeState());
            }
            String txId = "4200" + System.currentTimeMillis() + RANDOM.nextInt(1_000_000);
            return new Order(
                    o.outTradeNo(),
                    o.appid(),
                    o.mchid(),
                    o.description(),
                    o.notifyUrl(),
                    o.timeExpire(),
                    o.total(),
                    "SUCCESS",
                    txId,
                    RFC3339.format(OffsetDateTime.now(CHINA).truncatedTo(ChronoUnit.SECONDS)),
                    o.codeUrl());
        });
    }

    /** The transaction resource of a known order, as a mutable map (tests change fields to forge variants). */
    public Map<String, Object> transaction(String outTradeNo) {
        Order o = order(outTradeNo).orElseThrow(() -> new IllegalArgumentException("no order " + outTradeNo));
        return transaction(o);
    }

    /** A transaction resource for an order the fake never saw (unknown order, wrong amount). */
    public static Map<String, Object> paidTransaction(String outTradeNo, long total) {
        Map<String, Object> tx = new LinkedHashMap<>();
        tx.put("appid", WeChatPayKeys.APPID);
        tx.put("mchid", WeChatPayKeys.MCHID);
        tx.put("out_trade_no", outTradeNo);
        tx.put("transaction_id", "4200" + System.nanoTime());
        tx.put("trade_type", "NATIVE");
        tx.put("trade_state", "SUCCESS");
        tx.put("trade_state_desc", "支付成功");
        tx.put("bank_type", "OTHERS");
        tx.put("attach", "");
        tx.put("success_time", RFC3339.format(OffsetDateTime.now(CHINA).truncatedTo(ChronoUnit.SECONDS)));
        tx.put("payer", Map.of("openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"));
        tx.put("amount", Map.of("total", total, "payer_total", total, "currency", "CNY", "payer_currency", "CNY"));
        return tx;
    }

    /** Builds the notification of {@code transaction} with the signing and body faults among {@code faults}. */
    public Notification notification(Map<String, Object> transaction, Fault... faults) {
        Set<Fault> f = faults.length == 0 ? EnumSet.noneOf(Fault.class) : EnumSet.of(faults[0], faults);
        try {
            String apiKey = f.contains(Fault.UNDECRYPTABLE) ? WeChatPayKeys.randomKey() : keys.apiV3Key();
            String gcmNonce = nonce(12);
            byte[] plain = mapper.writeValueAsBytes(transaction);
            Map<String, Object> resource = new LinkedHashMap<>();
            resource.put("original_type", "transaction");
            resource.put("algorithm", "AEAD_AES_256_GCM");
            resource.put("ciphertext", encrypt(apiKey, "transaction", gcmNonce, plain));
            resource.put("associated_data", "transaction");
            resource.put("nonce", gcmNonce);
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("id", "EV-2018022511223320873");
            event.put("create_time", RFC3339.format(OffsetDateTime.now(CHINA).truncatedTo(ChronoUnit.SECONDS)));
            event.put("resource_type", "encrypt-resource");
            event.put("event_type", "TRANSACTION.SUCCESS");
            event.put("summary", "支付成功");
            event.put("resource", resource);
            String body = f.contains(Fault.NOT_JSON) ? "<xml>not json</xml>" : mapper.writeValueAsString(event);

            long ts = Instant.now().getEpochSecond();
            if (f.contains(Fault.STALE_TIMESTAMP)) {
                ts -= 600;
            } else if (f.contains(Fault.FUTURE_TIMESTAMP)) {
                ts += 600;
            }
            String nonce = nonce(32);
            PrivateKey key = f.contains(Fault.WRONG_KEY)
                    ? WeChatPayKeys.rsa().getPrivate()
                    : keys.platform().getPrivate();
            String signature = f.contains(Fault.SIGNTEST)
                    ? "WECHATPAY/SIGNTEST/" + Base64.getEncoder().encodeToString(randomBytes(64))
                    : sign(key, ts + "\n" + nonce + "\n" + body + "\n");
            if (f.contains(Fault.TAMPERED_BODY)) {
                body = body.replace("支付成功", "支付成功!");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put(
                    "Wechatpay-Serial", f.contains(Fault.UNKNOWN_SERIAL) ? "PUB_KEY_ID_0000unknown" : responseSerial);
            headers.put("Wechatpay-Timestamp", Long.toString(ts));
            headers.put("Wechatpay-Nonce", nonce);
            headers.put("Wechatpay-Signature", signature);
            headers.put("Wechatpay-Signature-Type", SCHEMA);
            return new Notification(headers, body.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sends the notification of the order's current transaction to the order's {@code notify_url}. */
    public List<Delivery> notify(String outTradeNo, Fault... faults) {
        Order o = order(outTradeNo).orElseThrow(() -> new IllegalArgumentException("no order " + outTradeNo));
        return send(o.notifyUrl(), notification(transaction(o), faults), faults);
    }

    /** {@link #notify} after {@code delay}, on another thread. */
    public CompletableFuture<List<Delivery>> notifyLater(Duration delay, String outTradeNo, Fault... faults) {
        return CompletableFuture.supplyAsync(
                () -> notify(outTradeNo, faults),
                CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS));
    }

    /** Posts {@code n} to {@code url} (none for DROP, twice for DUPLICATE); the merchant's answers in order. */
    public List<Delivery> send(String url, Notification n, Fault... faults) {
        Set<Fault> f = faults.length == 0 ? EnumSet.noneOf(Fault.class) : EnumSet.of(faults[0], faults);
        int times = f.contains(Fault.DROP) ? 0 : f.contains(Fault.DUPLICATE) ? 2 : 1;
        List<Delivery> out = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(n.body()));
            n.headers().forEach(b::header);
            try {
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
                out.add(new Delivery(
                        r.statusCode(),
                        r.body(),
                        r.headers().firstValue("X-Request-Id").orElse(null)));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    @Override
    protected Optional<String> signatureProblem(Request request) {
        String auth = request.header("Authorization").orElse("");
        if (!auth.startsWith(SCHEMA + " ")) {
            return Optional.of("Authorization is not " + SCHEMA);
        }
        Map<String, String> pairs = new HashMap<>();
        for (String part : auth.substring(SCHEMA.length() + 1).split(",")) {
            Matcher m = PAIR.matcher(part.strip());
            if (!m.matches()) {
                return Optional.of("malformed Authorization pair: " + part);
            }
            pairs.put(m.group(1), m.group(2));
        }
        for (String k : List.of("mchid", "nonce_str", "timestamp", "serial_no", "signature")) {
            if (!pairs.containsKey(k)) {
                return Optional.of("Authorization lacks " + k);
            }
        }
        if (!pairs.get("mchid").equals(WeChatPayKeys.MCHID)) {
            return Optional.of("unknown mchid " + pairs.get("mchid"));
        }
        if (!pairs.get("serial_no").equals(keys.merchantSerial())) {
            return Optional.of("unknown merchant serial " + pairs.get("serial_no"));
        }
        long ts;
        try {
            ts = Long.parseLong(pairs.get("timestamp"));
        } catch (NumberFormatException e) {
            return Optional.of("bad timestamp");
        }
        if (Math.abs(Instant.now().getEpochSecond() - ts) > 300) {
            return Optional.of("timestamp out of window");
        }
        String target = request.path() + (request.rawQuery().isEmpty() ? "" : "?" + request.rawQuery());
        String message = request.method() + "\n" + target + "\n" + ts + "\n" + pairs.get("nonce_str") + "\n"
                + request.bodyText() + "\n";
        try {
            Signature v = Signature.getInstance("SHA256withRSA");
            v.initVerify(keys.merchant().getPublic());
            v.update(message.getBytes(StandardCharsets.UTF_8));
            if (!v.verify(Base64.getDecoder().decode(pairs.get("signature")))) {
                return Optional.of("signature does not verify");
            }
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return Optional.of("signature does not verify");
        }
        return Optional.empty();
    }

    @Override
    protected Reply rejected(Request request, String problem) {
        return signed(error(401, "SIGN_ERROR", "签名错误"));
    }

    @Override
    protected Reply handle(Request r) {
        try {
            Matcher close = CLOSE.matcher(r.path());
            Matcher query = OUT_TRADE_NO.matcher(r.path());
            if (r.method().equals("POST") && r.path().equals("/v3/pay/transactions/native")) {
                return signed(createNative(mapper.readTree(r.body())));
            }
            if (r.method().equals("POST") && close.matches()) {
                return signed(close(close.group(1), mapper.readTree(r.body())));
            }
            if (r.method().equals("GET") && query.matches()) {
                return signed(query(query.group(1), r.query("mchid").orElse("")));
            }
            return signed(error(404, "NOT_FOUND", "no such API"));
        } catch (IOException e) {
            return signed(error(400, "PARAM_ERROR", "body is not JSON"));
        }
    }

    private Reply createNative(JsonNode b) throws IOException {
        String outTradeNo = b.path("out_trade_no").asText("");
        long total = b.path("amount").path("total").asLong(0);
        if (outTradeNo.isEmpty()
                || total <= 0
                || b.path("description").asText("").isEmpty()
                || b.path("notify_url").asText("").isEmpty()) {
            return error(400, "PARAM_ERROR", "missing out_trade_no, description, notify_url or amount.total");
        }
        if (!b.path("mchid").asText().equals(WeChatPayKeys.MCHID)
                || !b.path("appid").asText().equals(WeChatPayKeys.APPID)) {
            return error(400, "APPID_MCHID_NOT_MATCH", "appid和mch_id不匹配");
        }
        String timeExpire = b.path("time_expire").asText("");
        if (!timeExpire.isEmpty()) {
            OffsetDateTime.parse(timeExpire, RFC3339); // a malformed time is the client's bug: fail loudly
        }
        Order placed = orders.computeIfAbsent(
                outTradeNo,
                k -> new Order(
                        k,
                        b.path("appid").asText(),
                        b.path("mchid").asText(),
                        b.path("description").asText(),
                        b.path("notify_url").asText(),
                        timeExpire,
                        total,
                        "NOTPAY",
                        null,
                        null,
                        "weixin://wxpay/bizpayurl?pr=" + nonce(7)));
        if (placed.tradeState().equals("SUCCESS")) {
            return error(400, "ORDERPAID", "该订单已支付");
        }
        if (placed.tradeState().equals("CLOSED")) {
            return error(400, "ORDER_CLOSED", "订单已关闭");
        }
        return Reply.json(200, mapper.writeValueAsString(Map.of("code_url", placed.codeUrl())));
    }

    private Reply query(String outTradeNo, String mchid) throws IOException {
        if (!mchid.equals(WeChatPayKeys.MCHID)) {
            return error(400, "PARAM_ERROR", "mchid");
        }
        Order o = orders.get(outTradeNo);
        if (o == null) {
            return error(404, "ORDER_NOT_EXIST", "订单不存在");
        }
        return Reply.json(200, mapper.writeValueAsString(transaction(o)));
    }

    private Reply close(String outTradeNo, JsonNode b) {
        if (!b.path("mchid").asText().equals(WeChatPayKeys.MCHID)) {
            return error(400, "PARAM_ERROR", "mchid");
        }
        Order o = orders.computeIfPresent(
                outTradeNo,
                (k, v) -> v.tradeState().equals("NOTPAY")
                        ? new Order(
                                v.outTradeNo(),
                                v.appid(),
                                v.mchid(),
                                v.description(),
                                v.notifyUrl(),
                                v.timeExpire(),
                                v.total(),
                                "CLOSED",
                                null,
                                null,
                                v.codeUrl())
                        : v);
        if (o == null) {
            return error(404, "ORDER_NOT_EXIST", "订单不存在");
        }
        if (o.tradeState().equals("SUCCESS")) {
            return error(400, "ORDERPAID", "该订单已支付");
        }
        return Reply.empty(204);
    }

    private Map<String, Object> transaction(Order o) {
        Map<String, Object> tx = new LinkedHashMap<>();
        tx.put("appid", o.appid());
        tx.put("mchid", o.mchid());
        tx.put("out_trade_no", o.outTradeNo());
        tx.put("trade_type", "NATIVE");
        tx.put("trade_state", o.tradeState());
        tx.put(
                "trade_state_desc",
                switch (o.tradeState()) {
                    case "SUCCESS" -> "支付成功";
                    case "CLOSED" -> "订单已关闭";
                    default -> "订单未支付";
                });
        tx.put("attach", "");
        Map<String, Object> amount = new LinkedHashMap<>();
        amount.put("total", o.total());
        amount.put("currency", "CNY");
        if (o.transactionId() != null) {
            tx.put("transaction_id", o.transactionId());
            tx.put("bank_type", "OTHERS");
            tx.put("success_time", o.successTime());
            tx.put("payer", Map.of("openid", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"));
            amount.put("payer_total", o.total());
            amount.put("payer_currency", "CNY");
        }
        tx.put("amount", amount);
        return tx;
    }

    private static Reply error(int status, String code, String message) {
        return Reply.json(status, "{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}");
    }

    /** {@code reply} with the platform's signature headers over its body. */
    private Reply signed(Reply reply) {
        long ts = Instant.now().getEpochSecond();
        String nonce = nonce(32);
        String body = new String(reply.body(), StandardCharsets.UTF_8);
        return reply.header("Request-ID", "08F78BB5AF0610" + nonce(10))
                .header("Wechatpay-Nonce", nonce)
                .header("Wechatpay-Serial", responseSerial)
                .header("Wechatpay-Signature", sign(responseKey, ts + "\n" + nonce + "\n" + body + "\n"))
                .header("Wechatpay-Timestamp", Long.toString(ts));
    }

    private static String sign(PrivateKey key, String message) {
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(key);
            s.update(message.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String encrypt(String apiV3Key, String associatedData, String nonce, byte[] plain) {
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(
                    Cipher.ENCRYPT_MODE,
                    new SecretKeySpec(apiV3Key.getBytes(StandardCharsets.UTF_8), "AES"),
                    new GCMParameterSpec(128, nonce.getBytes(StandardCharsets.UTF_8)));
            c.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(c.doFinal(plain));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String nonce(int length) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
