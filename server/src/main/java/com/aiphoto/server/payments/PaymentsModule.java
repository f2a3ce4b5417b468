package com.aiphoto.server.payments;

import com.aiphoto.core.config.Settings;
import com.aiphoto.core.db.Jdbc;
import com.aiphoto.core.ledger.QuotaLedger;
import com.aiphoto.server.Platform;
import com.aiphoto.server.auth.Authenticator;
import io.helidon.webserver.http.HttpRules;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds membership and payments from the platform: the plan table, orders, the settlement every paid order goes
 * through, the HTTP services, and the {@code reconcile} job on the platform's scheduler.
 */
public final class PaymentsModule {
    /** How the server builds this module ({@link #create(Platform, Authenticator)}); tests supply their own. */
    @FunctionalInterface
    public interface Factory {
        PaymentsModule create(Platform p, Authenticator auth);
    }

    private static final Logger LOG = LoggerFactory.getLogger(PaymentsModule.class);
    static final String RECONCILE_JOB = "reconcile";

    private final MembershipService membership;
    private final PaymentService payment;
    private final OrderSettlement settlement;
    private final Optional<Reconciler> reconciler;

    private PaymentsModule(
            MembershipService membership,
            PaymentService payment,
            OrderSettlement settlement,
            Optional<Reconciler> reconciler) {
        this.membership = membership;
        this.payment = payment;
        this.settlement = settlement;
        this.reconciler = reconciler;
    }

    public static PaymentsModule create(Platform p, Authenticator auth) {
        return create(p, auth, weChatPay(p.settings()));
    }

    /**
     * The WeChat Pay client, when configured. Until the SDK-backed client is wired in here, there is none and a
     * purchase answers 502/3004 "WeChat Pay is not configured"; plans, status and orders work regardless.
     */
    static Optional<WeChatPay> weChatPay(Settings s) {
        if (!s.has("WECHAT_MCHID")) {
            LOG.info("WeChat Pay not configured (WECHAT_MCHID unset): purchases answer 502/3004");
        }
        return Optional.empty();
    }

    static PaymentsModule create(Platform p, Authenticator auth, Optional<WeChatPay> pay) {
        Settings s = p.settings();
        Jdbc jdbc = p.database().jdbc();
        Plans plans = Plans.from(s);
        Orders orders = new Orders(jdbc);
        Settlement settlement = new Settlement(jdbc, orders, new QuotaLedger(jdbc, p.clock()), p.clock());
        Purchases purchases = new Purchases(jdbc, orders, plans, pay, p.clock(), s.duration("ORDER_EXPIRY"));
        MembershipService membership = new MembershipService(p.json(), p.clock(), auth, plans, purchases);
        Optional<Reconciler> reconciler = pay.map(wechat -> new Reconciler(
                orders, settlement, wechat, p.clock(), s.duration("RECONCILE_AFTER"), s.integer("RECONCILE_BATCH")));
        reconciler.ifPresent(r -> p.scheduling().recurring(RECONCILE_JOB, s.duration("RECONCILE_PERIOD"), r::run));
        return new PaymentsModule(membership, new PaymentService(auth, membership, purchases), settlement, reconciler);
    }

    /** Registers {@code /api/membership} and {@code /api/payment}. */
    public void register(HttpRules rules) {
        rules.register("/api/membership", membership).register("/api/payment", payment);
    }

    /** For the notification handler: the one path by which an order becomes paid. */
    OrderSettlement settlement() {
        return settlement;
    }

    Optional<Reconciler> reconciler() {
        return reconciler;
    }
}
