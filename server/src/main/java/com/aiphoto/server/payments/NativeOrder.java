package com.aiphoto.server.payments;

import java.time.Instant;

/**
 * A Native order as we place it: {@code outTradeNo} is our order id, the amount comes from the server's plan
 * table, {@code expiresAt} becomes {@code time_expire}. The notify URL is the client's configuration.
 */
record NativeOrder(String outTradeNo, String description, long amountCents, Instant expiresAt) {}
