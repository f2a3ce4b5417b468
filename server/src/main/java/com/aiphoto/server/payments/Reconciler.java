package com.aiphoto.server.payments;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code reconcile} job: orders still pending after a few minutes are asked about at WeChat Pay. Paid ones go
 * through the same {@link OrderSettlement} as notifications (so a lost notification loses nothing, and a late
 * one grants nothing twice); expired ones are closed at WeChat Pay, then locally. A retryable provider failure
 * ends the run (the scheduler backs the job off); any other failure skips that order until the next run.
 */
final class Reconciler {
    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    /** trade_state values after which the order can never be paid. */
    private static final Set<String> FINAL_UNPAID = Set.of("CLOSED", "REVOKED", "PAYERROR");

    record Result(int checked, int granted, int closed, int skipped) {}

    private final Orders orders;
    private final OrderSettlement settlement;
    private final WeChatPay pay;
    private final Clock clock;
    private final Duration minAge;
    private final int batch;

    Reconciler(Orders orders, OrderSettlement settlement, WeChatPay pay, Clock clock, Duration minAge, int batch) {
        this.orders = orders;
        this.settlement = settlement;
        this.pay = pay;
        this.clock = clock;
        this.minAge = minAge;
        this.batch = batch;
    }

    Result run() throws PaymentProviderException {
        Instant now = clock.instant();
        List<Order> due = orders.pendingCreatedBefore(now.minus(minAge), batch);
        int granted = 0;
        int closed = 0;
        int skipped = 0;
        for (Order order : due) {
            try {
                switch (reconcile(order, now)) {
                    case GRANTED -> granted++;
                    case CLOSED -> closed++;
                    case NONE -> {}
                }
            } catch (PaymentProviderException e) {
                if (e.retryable()) {
                    LOG.warn("reconcile stopped at order {}: WeChat Pay unavailable: {}", order.id(), e.getMessage());
                    throw e;
                }
                skipped++;
                LOG.warn("reconcile skipped order {}: {}", order.id(), e.getMessage());
            }
        }
        Result r = new Result(due.size(), granted, closed, skipped);
        if (!due.isEmpty()) {
            LOG.info(
                    "reconciled {} pending order(s): {} granted, {} closed, {} skipped",
                    r.checked(),
                    granted,
                    closed,
                    skipped);
        }
        return r;
    }

    private enum Action {
        GRANTED,
        CLOSED,
        NONE
    }

    private Action reconcile(Order order, Instant now) throws PaymentProviderException {
        Optional<WeChatTransaction> tx = pay.query(order.id());
        if (tx.isPresent() && tx.get().paid()) {
            OrderSettlement.Outcome outcome = settlement.settle(tx.get());
            if (outcome == OrderSettlement.Outcome.AMOUNT_MISMATCH) {
                LOG.error(
                        "security: WeChat Pay reports order {} paid with {} cents, the order is {}: not granted",
                        order.id(),
                        tx.get().amountTotal(),
                        order.amountCents());
            }
            return outcome == OrderSettlement.Outcome.GRANTED ? Action.GRANTED : Action.NONE;
        }
        if (tx.isPresent() && FINAL_UNPAID.contains(tx.get().tradeState())) {
            return orders.closeIfPending(order.id(), now) ? Action.CLOSED : Action.NONE;
        }
        if (!order.expired(now)) {
            return Action.NONE;
        }
        if (tx.isPresent()) {
            // NOTPAY or USERPAYING past expiry: closed there first, so a payment cannot land after we close here
            pay.close(order.id());
        }
        return orders.closeIfPending(order.id(), now) ? Action.CLOSED : Action.NONE;
    }
}
