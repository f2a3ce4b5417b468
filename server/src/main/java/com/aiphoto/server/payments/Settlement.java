package com.aiphoto.server.payments;

import com.aiphoto.core.db.Jdbc;
import com.aiphoto.core.ledger.LedgerEntry;
import com.aiphoto.core.ledger.QuotaLedger;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one path by which an order becomes paid (verified notifications and the reconciler both come here). One
 * transaction holds the order's row lock from the checks to the grant, so 20 deliveries of one notification
 * racing the reconciler grant once: the first marks the order paid, the rest find it paid. The ledger's
 * (grant, order:id) key would refuse a second grant even if that lock were skipped.
 */
final class Settlement implements OrderSettlement {
    private static final Logger LOG = LoggerFactory.getLogger(Settlement.class);

    private final Jdbc jdbc;
    private final Orders orders;
    private final QuotaLedger ledger;
    private final Clock clock;

    Settlement(Jdbc jdbc, Orders orders, QuotaLedger ledger, Clock clock) {
        this.jdbc = jdbc;
        this.orders = orders;
        this.ledger = ledger;
        this.clock = clock;
    }

    @Override
    public Outcome settle(WeChatTransaction tx) {
        return jdbc.inTransaction(h -> {
            Optional<Order> locked = orders.lock(h, tx.outTradeNo());
            if (locked.isEmpty()) {
                return Outcome.UNKNOWN_ORDER;
            }
            Order order = locked.get();
            if (tx.amountTotal() != order.amountCents()) {
                return Outcome.AMOUNT_MISMATCH;
            }
            if (!tx.paid()) {
                return Outcome.NOT_PAID;
            }
            if (order.status() == Order.Status.PAID || order.status() == Order.Status.REFUNDED) {
                if (tx.transactionId() != null && !tx.transactionId().equals(order.transactionId())) {
                    // the same order paid twice under two transactions: money to give back by hand
                    LOG.error(
                            "order {} is paid by transaction {} and again by {}: refund the second",
                            order.id(),
                            order.transactionId(),
                            tx.transactionId());
                }
                return Outcome.ALREADY_PAID;
            }
            if (tx.transactionId() == null || tx.transactionId().isBlank()) {
                throw new IllegalArgumentException("a paid transaction without transaction_id: " + order.id());
            }
            // pending, or closed by us while the payer was already paying: the money arrived, so grant
            Instant now = clock.instant();
            Instant paidAt = tx.successTime() != null ? tx.successTime() : now;
            orders.markPaid(h, order.id(), tx.transactionId(), paidAt, now);
            LedgerEntry grant = ledger.grant(h, order.userId(), order.quota(), order.durationDays(), order.grantRef());
            LOG.info(
                    "order {} paid ({} cents, transaction {}): user {} +{} quota, member until {}",
                    order.id(),
                    order.amountCents(),
                    tx.transactionId(),
                    order.userId(),
                    order.quota(),
                    grant.memberExpiresAt());
            return Outcome.GRANTED;
        });
    }
}
