package com.aiphoto.server.payments;

/**
 * Applies a transaction that the caller has already proved came from WeChat Pay (a verified notification, or
 * our own query). The one path by which an order becomes paid and its plan granted: in one transaction
 * holding the order's row lock it checks that the order exists and the amount matches, then marks it paid and
 * grants through the quota ledger, or does nothing when it is already paid.
 */
interface OrderSettlement {
    /**
     * @throws com.aiphoto.core.db.DataAccessException on our own transient failure (the caller answers 5xx so
     *     WeChat retries)
     */
    Outcome settle(WeChatTransaction transaction);

    enum Outcome {
        /** The order was pending and is now paid; the plan was granted. */
        GRANTED,
        /** The order was already paid; nothing changed. */
        ALREADY_PAID,
        /** No order of ours has this {@code out_trade_no}. */
        UNKNOWN_ORDER,
        /** {@code amount.total} differs from the order's amount. */
        AMOUNT_MISMATCH,
        /** {@code trade_state} is not SUCCESS. */
        NOT_PAID
    }
}
