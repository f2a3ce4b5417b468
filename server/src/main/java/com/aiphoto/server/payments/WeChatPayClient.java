package com.aiphoto.server.payments;

import com.aiphoto.core.config.Settings;
import com.wechat.pay.java.core.Config;
import com.wechat.pay.java.core.RSAConfig;
import com.wechat.pay.java.core.RSAPublicKeyConfig;
import com.wechat.pay.java.core.exception.HttpException;
import com.wechat.pay.java.core.exception.MalformedMessageException;
import com.wechat.pay.java.core.exception.ServiceException;
import com.wechat.pay.java.core.exception.ValidationException;
import com.wechat.pay.java.core.http.DefaultHttpClientBuilder;
import com.wechat.pay.java.service.payments.model.Transaction;
import com.wechat.pay.java.service.payments.nativepay.NativePayService;
import com.wechat.pay.java.service.payments.nativepay.model.Amount;
import com.wechat.pay.java.service.payments.nativepay.model.CloseOrderRequest;
import com.wechat.pay.java.service.payments.nativepay.model.PrepayRequest;
import com.wechat.pay.java.service.payments.nativepay.model.QueryOrderByOutTradeNoRequest;
import java.net.URI;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import okhttp3.ConnectionPool;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * {@link WeChatPay} through the official SDK ({@code wechatpay-java}): it signs requests with the merchant key and
 * verifies every answer's signature with the platform key or certificate, all configured offline. Errors become
 * {@link PaymentProviderException}s whose messages carry the operation, the HTTP status and WeChat's error code
 * only: the SDK's own exception texts print whole requests, Authorization header included, so they are never
 * passed on, not even as a cause.
 */
final class WeChatPayClient implements WeChatPay {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration READ_TIMEOUT = Duration.ofSeconds(5);
    /** The whole call, connect to last byte: a caller (a user's purchase, the reconciler) waits at most this. */
    static final Duration CALL_TIMEOUT = Duration.ofSeconds(10);

    /** WeChat's error codes worth trying again later (besides 5xx and 429). */
    private static final Set<String> RETRYABLE_CODES = Set.of("SYSTEM_ERROR", "FREQUENCY_LIMITED", "BANK_ERROR");

    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    private static final ZoneOffset CHINA = ZoneOffset.ofHours(8);

    private final WeChatPayConfig config;
    private final NativePayService service;

    WeChatPayClient(WeChatPayConfig config) {
        this.config = config;
        OkHttpClient http = new OkHttpClient.Builder()
                .connectTimeout(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .writeTimeout(READ_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                .callTimeout(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                // the SDK's keep-alive (WeChat Pay drops idle connections after 8 s)
                .connectionPool(new ConnectionPool(5, 7, TimeUnit.SECONDS))
                .followRedirects(false)
                .retryOnConnectionFailure(false)
                .addInterceptor(rewriteTo(config.baseUrl()))
                .addInterceptor(WeChatPayClient::jsonErrors)
                .build();
        this.service = new NativePayService.Builder()
                .httpClient(new DefaultHttpClientBuilder()
                        .config(sdkConfig(config))
                        .okHttpClient(http)
                        .build())
                .build();
    }

    /** The client when WeChat Pay is configured; empty outside production when it is not (see {@link WeChatPayConfig#from}). */
    static Optional<WeChatPay> create(Settings s) {
        return WeChatPayConfig.from(s).map(WeChatPayClient::new);
    }

    /** Offline SDK configuration: never RSAAutoCertificateConfig, which downloads certificates at start and on a timer. */
    static Config sdkConfig(WeChatPayConfig c) {
        if (c.certificateMode()) {
            return new RSAConfig.Builder()
                    .merchantId(c.mchid())
                    .privateKey(c.merchantKey())
                    .merchantSerialNumber(c.merchantSerial())
                    .wechatPayCertificates(c.platformCertificatePem())
                    .build();
        }
        return new RSAPublicKeyConfig.Builder()
                .merchantId(c.mchid())
                .privateKey(c.merchantKey())
                .merchantSerialNumber(c.merchantSerial())
                .publicKey(c.platformKey())
                .publicKeyId(c.platformSerial())
                .apiV3Key(c.apiV3Key())
                .build();
    }

    @Override
    public String createNative(NativeOrder order) throws PaymentProviderException {
        PrepayRequest r = new PrepayRequest();
        r.setAppid(config.appid());
        r.setMchid(config.mchid());
        r.setDescription(order.description());
        r.setOutTradeNo(order.outTradeNo());
        r.setTimeExpire(
                RFC3339.format(OffsetDateTime.ofInstant(order.expiresAt().truncatedTo(ChronoUnit.SECONDS), CHINA)));
        r.setNotifyUrl(config.notifyUrl());
        Amount amount = new Amount();
        amount.setTotal(Math.toIntExact(order.amountCents()));
        amount.setCurrency("CNY");
        r.setAmount(amount);
        try {
            return service.prepay(r).getCodeUrl();
        } catch (RuntimeException e) {
            throw translate("create order", e);
        }
    }

    @Override
    public Optional<WeChatTransaction> query(String outTradeNo) throws PaymentProviderException {
        QueryOrderByOutTradeNoRequest r = new QueryOrderByOutTradeNoRequest();
        r.setMchid(config.mchid());
        r.setOutTradeNo(outTradeNo);
        try {
            return Optional.of(transaction(service.queryOrderByOutTradeNo(r)));
        } catch (ServiceException e) {
            if ("ORDER_NOT_EXIST".equals(e.getErrorCode())) {
                return Optional.empty();
            }
            throw translate("query order", e);
        } catch (RuntimeException e) {
            throw translate("query order", e);
        }
    }

    @Override
    public void close(String outTradeNo) throws PaymentProviderException {
        CloseOrderRequest r = new CloseOrderRequest();
        r.setMchid(config.mchid());
        r.setOutTradeNo(outTradeNo);
        try {
            service.closeOrder(r);
        } catch (ServiceException e) {
            if (!"ORDER_CLOSED".equals(e.getErrorCode())) {
                throw translate("close order", e);
            }
        } catch (RuntimeException e) {
            throw translate("close order", e);
        }
    }

    /** The SDK's transaction (from a query or a notification) as ours. */
    static WeChatTransaction transaction(Transaction t) {
        return new WeChatTransaction(
                t.getOutTradeNo(),
                t.getTransactionId(),
                t.getTradeState() == null ? null : t.getTradeState().name(),
                t.getAmount() == null || t.getAmount().getTotal() == null
                        ? 0
                        : t.getAmount().getTotal(),
                t.getMchid(),
                t.getAppid(),
                t.getSuccessTime() == null || t.getSuccessTime().isEmpty()
                        ? null
                        : OffsetDateTime.parse(t.getSuccessTime(), RFC3339).toInstant());
    }

    static PaymentProviderException translate(String operation, RuntimeException e) {
        String what = "WeChat Pay " + operation + ": ";
        if (e instanceof HttpException) {
            // the cause is okhttp's IOException (connect refused, timeout): no request content in it
            return new PaymentProviderException(
                    what + "unreachable (" + simpleName(e.getCause()) + ")", true, e.getCause());
        }
        if (e instanceof ServiceException se) {
            int status = se.getHttpStatusCode();
            String code = se.getErrorCode();
            boolean retryable = status >= 500 || status == 429 || (code != null && RETRYABLE_CODES.contains(code));
            return new PaymentProviderException(
                    what + "HTTP " + status + (code == null ? "" : " " + code), retryable, null);
        }
        if (e instanceof ValidationException) {
            return new PaymentProviderException(what + "the answer's signature did not verify", false, null);
        }
        if (e instanceof MalformedMessageException) {
            return new PaymentProviderException(what + "malformed answer", false, null);
        }
        // e.g. the SDK's IllegalArgumentException for an answer timestamp outside its window
        return new PaymentProviderException(what + "unusable answer (" + simpleName(e) + ")", false, null);
    }

    private static String simpleName(Throwable t) {
        return t == null ? "unknown" : t.getClass().getSimpleName();
    }

    /**
     * Sends every request to {@code base}'s scheme, host and port instead of api.mch.weixin.qq.com (a fake, a
     * proxy). The request signature covers only path and query, so it stays valid.
     */
    static Interceptor rewriteTo(URI base) {
        HttpUrl target = HttpUrl.get(base.toString());
        return chain -> {
            HttpUrl url = chain.request()
                    .url()
                    .newBuilder()
                    .scheme(target.scheme())
                    .host(target.host())
                    .port(target.port())
                    .build();
            return chain.proceed(chain.request().newBuilder().url(url).build());
        };
    }

    /**
     * WeChat Pay's error answers are JSON, which the SDK parses unguarded: a proxy's HTML error page would end as a
     * JSON syntax error instead of the HTTP status it is. Such a body is replaced by a JSON one naming the status.
     */
    private static Response jsonErrors(Interceptor.Chain chain) throws java.io.IOException {
        Response r = chain.proceed(chain.request());
        ResponseBody body = r.body();
        MediaType type = body == null ? null : body.contentType();
        boolean json = type != null && "json".equals(type.subtype());
        if (r.isSuccessful() || json) {
            return r;
        }
        r.close();
        String replacement = "{\"code\":\"HTTP_" + r.code() + "\",\"message\":\"non-JSON error answer\"}";
        return r.newBuilder()
                .body(ResponseBody.create(replacement, MediaType.get("application/json")))
                .build();
    }
}
