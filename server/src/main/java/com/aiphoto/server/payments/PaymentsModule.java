package com.aiphoto.server.payments;

import com.aiphoto.core.config.Settings;
import com.aiphoto.core.db.Jdbc;
import com.aiphoto.core.ledger.QuotaLedger;
import com.aiphoto.server.Platform;
import com.aiphoto.server.admin.ProviderCredentials;
import com.aiphoto.server.auth.Authenticator;
import io.helidon.webserver.http.HttpRules;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds membership and payments from the platform: WeChat Pay's configuration (read and checked here, at start-up:
 * a broken one stops the server with a one-line message) and its SDK client, the plan table, orders, the settlement
 * every paid order goes through, the HTTP services (membership, orders, WeChat Pay's notify endpoint), and the
 * {@code reconcile} job on the platform's scheduler.
 */
public final class PaymentsModule {
    /** How the server builds this module ({@link #create(Platform, Authenticator)}); tests supply their own. */
    @FunctionalInterface
    public interface Factory {
        PaymentsModule create(Platform p, Authenticator auth, ProviderCredentials credentials);
    }

    private static final Logger LOG = LoggerFactory.getLogger(PaymentsModule.class);
    static final String RECONCILE_JOB = "reconcile";

    private final MembershipService membership;
    private final PaymentService payment;
    private final WeChatPayNotifyService notify;
    private final OrderSettlement settlement;
    private final Optional<Reconciler> reconciler;

    private PaymentsModule(
            MembershipService membership,
            PaymentService payment,
            WeChatPayNotifyService notify,
            OrderSettlement settlement,
            Optional<Reconciler> reconciler) {
        this.membership = membership;
        this.payment = payment;
        this.notify = notify;
        this.settlement = settlement;
        this.reconciler = reconciler;
    }

    /**
     * The production wiring: the SDK client when WeChat Pay is configured or credentials for it are stored, none
     * (payments off) otherwise. The merchant in force is the stored one when there is one (read through
     * {@code credentials} on each use, so a change needs no restart), else the environment's.
     */
    public static PaymentsModule create(Platform p, Authenticator auth, ProviderCredentials credentials) {
        Settings s = p.settings();
        Optional<WeChatPayConfig> env = WeChatPayConfig.from(s);
        if (env.isEmpty() && !credentials.hasStored(ProviderCredentials.Provider.WECHATPAY)) {
            LOG.info("WeChat Pay not configured (WECHAT_MCHID etc. unset, none stored): purchases answer 502/3004");
            return create(p, auth, Optional::empty, Optional.empty());
        }
        StoredMerchant merchant = new StoredMerchant(
                s, env, () -> credentials.stored(ProviderCredentials.Provider.WECHATPAY), WeChatPayClient::new);
        merchant.verifier(); // builds (and logs) the merchant in force now
        return create(p, auth, merchant::verifier, Optional.of(merchant));
    }

    /** Tests: orders talk to {@code pay} (a double); notifications are verified with the configured keys, if any. */
    static PaymentsModule create(Platform p, Authenticator auth, Optional<WeChatPay> pay) {
        Optional<WeChatPayNotifyService.Verifier> verifier =
                WeChatPayConfig.from(p.settings()).map(WeChatPayNotifyService.Verifier::of);
        return create(p, auth, () -> verifier, pay);
    }

    private static PaymentsModule create(
            Platform p,
            Authenticator auth,
            Supplier<Optional<WeChatPayNotifyService.Verifier>> verifier,
            Optional<WeChatPay> pay) {
        Settings s = p.settings();
        Jdbc jdbc = p.database().jdbc();
        Plans plans = Plans.from(s);
        Orders orders = new Orders(jdbc);
        Settlement settlement =
                new Settlement(jdbc, orders, new QuotaLedger(jdbc, p.clock(), p.kv().accountChanges()), p.clock());
        Purchases purchases = new Purchases(jdbc, orders, plans, pay, p.clock(), s.duration("ORDER_EXPIRY"));
        MembershipService membership = new MembershipService(p.json(), p.clock(), auth, plans, purchases);
        WeChatPayNotifyService notify = new WeChatPayNotifyService(
                verifier, settlement, p.clock(), p.json().mapper());
        Optional<Reconciler> reconciler = pay.map(wechat -> new Reconciler(
                orders, settlement, wechat, p.clock(), s.duration("RECONCILE_AFTER"), s.integer("RECONCILE_BATCH")));
        reconciler.ifPresent(r -> p.scheduling().recurring(RECONCILE_JOB, s.duration("RECONCILE_PERIOD"), r::run));
        return new PaymentsModule(
                membership, new PaymentService(auth, membership, purchases), notify, settlement, reconciler);
    }

    /** Registers {@code /api/membership}, {@code /api/payment} and WeChat Pay's {@code /api/payment/wechat/notify}. */
    public void register(HttpRules rules) {
        rules.register("/api/membership", membership)
                .register("/api/payment", payment)
                .register("/api/payment/wechat", notify);
    }

    /** The one path by which an order becomes paid. */
    OrderSettlement settlement() {
        return settlement;
    }

    Optional<Reconciler> reconciler() {
        return reconciler;
    }
}
