package com.aiphoto.server.payments;

import java.time.Instant;
import java.util.Locale;

/** An order row. {@code id} is our out_trade_no; {@code quota}/{@code durationDays} are the plan as sold. */
record Order(
        String id,
        long userId,
        String planId,
        long amountCents,
        int quota,
        int durationDays,
        Status status,
        String transactionId,
        String codeUrl,
        Instant expiresAt,
        Instant paidAt,
        Instant createdAt) {

    enum Status {
        PENDING,
        PAID,
        CLOSED,
        REFUNDED;

        String id() {
            return name().toLowerCase(Locale.ROOT);
        }

        static Status of(String id) {
            return valueOf(id.toUpperCase(Locale.ROOT));
        }
    }

    boolean expired(Instant now) {
        return !expiresAt.isAfter(now);
    }

    /** The ledger ref of this order's grant: one grant per order, whichever path settles it. */
    String grantRef() {
        return "order:" + id;
    }
}
