package com.aiphoto.server.payments;

import java.util.Optional;

/**
 * What orders need from WeChat Pay v3. The production implementation drives the official SDK; it is the
 * only class that knows about it. Every method may block on the network: call it outside a database
 * transaction.
 */
interface WeChatPay {
    /** Places a Native order and returns its {@code code_url} (the QR code's content). */
    String createNative(NativeOrder order) throws PaymentProviderException;

    /** The order as WeChat Pay sees it, or empty when it knows no such order ({@code ORDER_NOT_EXIST}). */
    Optional<WeChatTransaction> query(String outTradeNo) throws PaymentProviderException;

    /** Closes an unpaid order; closing one that is already closed is not an error. */
    void close(String outTradeNo) throws PaymentProviderException;
}
