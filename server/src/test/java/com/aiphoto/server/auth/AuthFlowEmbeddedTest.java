package com.aiphoto.server.auth;

import java.util.Map;

/** The auth flows on the embedded default: H2 and in-process limits. */
class AuthFlowEmbeddedTest extends AuthFlowContract {
    @Override
    Map<String, String> backend() {
        return Map.of();
    }
}
