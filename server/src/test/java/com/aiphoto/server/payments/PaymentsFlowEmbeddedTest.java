package com.aiphoto.server.payments;

import java.util.Map;

/** Membership and orders on the embedded default: H2 and in-process limits, the same scheduler. */
class PaymentsFlowEmbeddedTest extends PaymentsFlowContract {
    @Override
    Map<String, String> backend() {
        return Map.of();
    }
}
