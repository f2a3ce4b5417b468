package com.aiphoto.server.payments;

import com.aiphoto.server.Platform;
import io.helidon.webserver.http.HttpService;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the payment feature from the platform: the WeChat Pay client (absent when WeChat Pay is not configured
 * outside production) and the notify endpoint under {@code /api/payment/wechat}. WeChat Pay's configuration is
 * read and checked here, at start-up: a broken one stops the server with a one-line message.
 */
public final class PaymentsModule {
    private static final Logger LOG = LoggerFactory.getLogger(PaymentsModule.class);

    private final Optional<WeChatPay> wechatPay;
    private final HttpService notifyService;

    private PaymentsModule(Optional<WeChatPay> wechatPay, HttpService notifyService) {
        this.wechatPay = wechatPay;
        this.notifyService = notifyService;
    }

    /**
     * The feature with no orders behind it yet: every verified notification is answered as an unknown order. The
     * orders side supplies the real {@link OrderSettlement} through {@link #create(Platform, OrderSettlement)}.
     */
    public static PaymentsModule create(Platform p) {
        return create(p, tx -> OrderSettlement.Outcome.UNKNOWN_ORDER);
    }

    static PaymentsModule create(Platform p, OrderSettlement settlement) {
        Optional<WeChatPayConfig> config = WeChatPayConfig.from(p.settings());
        if (config.isEmpty()) {
            LOG.info("WeChat Pay not configured (WECHAT_MCHID etc. unset): payments are off");
        }
        Optional<WeChatPay> client = config.map(WeChatPayClient::new);
        WeChatPayNotifyService notify = new WeChatPayNotifyService(
                config.map(WeChatPayNotifyService.Verifier::of),
                settlement,
                p.clock(),
                p.json().mapper());
        return new PaymentsModule(client, notify);
    }

    /** The client for orders and the reconciler; empty when WeChat Pay is not configured. */
    Optional<WeChatPay> wechatPay() {
        return wechatPay;
    }

    /** Routes under {@code /api/payment/wechat}. */
    public HttpService notifyService() {
        return notifyService;
    }
}
