package com.aiphoto.server.payments;

import java.time.Instant;

/**
 * A transaction as WeChat Pay reports it, from a verified notification or from a query. {@code tradeState} is
 * WeChat's ({@code SUCCESS}, {@code NOTPAY}, {@code CLOSED}, ...); {@code transactionId} and {@code successTime}
 * are null until it is paid.
 */
record WeChatTransaction(
        String outTradeNo,
        String transactionId,
        String tradeState,
        long amountTotal,
        String mchid,
        String appid,
        Instant successTime) {
    static final String SUCCESS = "SUCCESS";

    boolean paid() {
        return SUCCESS.equals(tradeState);
    }
}
