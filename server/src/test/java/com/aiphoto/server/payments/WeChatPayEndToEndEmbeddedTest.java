package com.aiphoto.server.payments;

import java.util.Map;

/** The payment flows end to end on the embedded default: H2, in-process limits, the same scheduler. */
class WeChatPayEndToEndEmbeddedTest extends WeChatPayEndToEndContract {
    @Override
    Map<String, String> backend() {
        return Map.of();
    }
}
