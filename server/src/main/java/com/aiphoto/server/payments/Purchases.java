package com.aiphoto.server.payments;

import com.aiphoto.core.crypto.Secrets;
import com.aiphoto.core.db.Jdbc;
import com.aiphoto.server.platform.ApiException;
import com.aiphoto.server.platform.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Placing an order: the price from the plan table, at most one open order per user and plan, and the WeChat Pay
 * call outside any database transaction. The order row is written only after WeChat Pay accepted it, so a
 * provider failure leaves nothing behind (an order WeChat Pay accepted but we never stored cannot be paid: its
 * code_url reached nobody, and it expires there).
 */
final class Purchases {
    private static final Logger LOG = LoggerFactory.getLogger(Purchases.class);
    /** A pending order is handed out again only while the payer still has this long to pay it. */
    static final Duration REUSE_MIN_LEFT = Duration.ofMinutes(10);

    static final Pattern ORDER_ID = Pattern.compile("[0-9a-f]{32}");

    private final Jdbc jdbc;
    private final Orders orders;
    private final Plans plans;
    private final Optional<WeChatPay> pay;
    private final Clock clock;
    private final Duration expiry;

    Purchases(Jdbc jdbc, Orders orders, Plans plans, Optional<WeChatPay> pay, Clock clock, Duration expiry) {
        this.jdbc = jdbc;
        this.orders = orders;
        this.plans = plans;
        this.pay = pay;
        this.clock = clock;
        this.expiry = expiry;
    }

    /** The open order for {@code planId}, placed now unless the user has one; or {@code orderId} again if payable. */
    Order purchase(long userId, String planId, String orderId) {
        Instant now = clock.instant();
        if (orderId != null) {
            Order order = owned(userId, orderId);
            if (order.status() != Order.Status.PENDING || order.expired(now) || order.codeUrl() == null) {
                throw new ApiException(
                        ErrorCode.ORDER_NOT_PAYABLE,
                        "order is "
                                + (order.status() == Order.Status.PENDING
                                        ? "expired"
                                        : order.status().id()));
            }
            return order;
        }
        if (planId == null || planId.isBlank()) {
            throw ApiException.invalid("planId", "required");
        }
        Plan plan = plans.byId(planId).orElseThrow(() -> new ApiException(ErrorCode.UNKNOWN_PLAN));
        Optional<Order> open =
                jdbc.withConnection(h -> orders.pendingFor(h, userId, plan.id(), now.plus(REUSE_MIN_LEFT)));
        if (open.isPresent()) {
            return open.get();
        }
        WeChatPay wechat = pay.orElseThrow(
                () -> new ApiException(ErrorCode.PAYMENT_PROVIDER_UNAVAILABLE, "WeChat Pay is not configured"));
        // WeChat's time_expire has whole seconds
        Instant expiresAt = now.plus(expiry).truncatedTo(ChronoUnit.SECONDS);
        String id = Secrets.randomHex(16);
        String codeUrl;
        try {
            codeUrl = wechat.createNative(new NativeOrder(id, plan.name(), plan.amountCents(), expiresAt));
        } catch (PaymentProviderException e) {
            LOG.warn("WeChat Pay refused or failed to place order {}: {}", id, e.getMessage());
            throw new ApiException(ErrorCode.PAYMENT_PROVIDER_UNAVAILABLE, "WeChat Pay is unavailable; try again");
        }
        Order placed = new Order(
                id,
                userId,
                plan.id(),
                plan.amountCents(),
                plan.quota(),
                plan.durationDays(),
                Order.Status.PENDING,
                null,
                codeUrl,
                expiresAt,
                null,
                now);
        Order kept = jdbc.inTransaction(h -> {
            if (!orders.lockUser(h, userId)) {
                throw new ApiException(ErrorCode.NOT_LOGGED_IN, "not logged in or token expired");
            }
            // a concurrent purchase (double tap) stored its order while we talked to WeChat Pay: keep that one
            Optional<Order> raced = orders.pendingFor(h, userId, plan.id(), now.plus(REUSE_MIN_LEFT));
            if (raced.isPresent()) {
                return raced.get();
            }
            orders.insert(h, placed);
            return placed;
        });
        if (!kept.id().equals(id)) {
            closeQuietly(wechat, id);
        }
        return kept;
    }

    /** The caller's order; another user's is as unknown as a missing one (404/3002, nothing to probe). */
    Order owned(long userId, String orderId) {
        if (orderId == null || !ORDER_ID.matcher(orderId).matches()) {
            throw new ApiException(ErrorCode.ORDER_NOT_FOUND);
        }
        return orders.byId(orderId)
                .filter(o -> o.userId() == userId)
                .orElseThrow(() -> new ApiException(ErrorCode.ORDER_NOT_FOUND));
    }

    private static void closeQuietly(WeChatPay wechat, String id) {
        try {
            wechat.close(id);
        } catch (PaymentProviderException e) {
            // never shown to anyone and never stored: it expires at WeChat Pay unpaid
            LOG.info("could not close the duplicate order {} at WeChat Pay: {}", id, e.getMessage());
        }
    }
}
