package com.aiphoto.server.payments;

import com.aiphoto.core.crypto.Secrets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * WeChat Pay as orders see it, in memory: one state per out_trade_no, payments made by the test, and failures
 * switched on per operation. It stands in for the SDK client in tests of orders, settlement and the reconciler
 * (the wire format, signatures and notifications are the SDK client's tests, against the fake server).
 */
final class InMemoryWeChatPay implements WeChatPay {
    static final String MCHID = "1900000109";
    static final String APPID = "wx0000000000000001";

    private record State(NativeOrder order, String tradeState, String transactionId, Instant successTime) {}

    private final Map<String, State> orders = new ConcurrentHashMap<>();
    final AtomicInteger creates = new AtomicInteger();
    final AtomicInteger queries = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    volatile boolean createFails;
    volatile boolean queryFails;

    @Override
    public String createNative(NativeOrder order) throws PaymentProviderException {
        creates.incrementAndGet();
        if (createFails) {
            throw new PaymentProviderException("connect timed out (in-memory double)", true, null);
        }
        orders.put(order.outTradeNo(), new State(order, "NOTPAY", null, null));
        return "weixin://wxpay/bizpayurl?pr=" + Secrets.randomHex(6);
    }

    @Override
    public Optional<WeChatTransaction> query(String outTradeNo) throws PaymentProviderException {
        queries.incrementAndGet();
        if (queryFails) {
            throw new PaymentProviderException("HTTP 503 SYSTEM_ERROR (in-memory double)", true, null);
        }
        return Optional.ofNullable(orders.get(outTradeNo)).map(InMemoryWeChatPay::transaction);
    }

    @Override
    public void close(String outTradeNo) throws PaymentProviderException {
        closes.incrementAndGet();
        State s = orders.get(outTradeNo);
        if (s == null) {
            throw new PaymentProviderException("ORDER_NOT_EXIST (in-memory double)", false, null);
        }
        if (s.tradeState().equals(WeChatTransaction.SUCCESS)) {
            throw new PaymentProviderException("ORDER_PAID (in-memory double)", false, null);
        }
        orders.put(outTradeNo, new State(s.order(), "CLOSED", null, null));
    }

    /** The payer scans and pays: the order becomes SUCCESS; returns what the notification would carry. */
    WeChatTransaction pay(String outTradeNo) {
        State s = orders.get(outTradeNo);
        if (s == null || !s.tradeState().equals("NOTPAY")) {
            throw new IllegalStateException("not payable at WeChat Pay: " + outTradeNo);
        }
        State paid = new State(s.order(), WeChatTransaction.SUCCESS, "4200" + Secrets.randomDigits(24), Instant.now());
        orders.put(outTradeNo, paid);
        return transaction(paid);
    }

    /** The order as placed with us (amount, expiry), or null. */
    NativeOrder placed(String outTradeNo) {
        State s = orders.get(outTradeNo);
        return s == null ? null : s.order();
    }

    String tradeState(String outTradeNo) {
        return orders.get(outTradeNo).tradeState();
    }

    private static WeChatTransaction transaction(State s) {
        return new WeChatTransaction(
                s.order().outTradeNo(),
                s.transactionId(),
                s.tradeState(),
                s.order().amountCents(),
                MCHID,
                APPID,
                s.successTime());
    }
}
