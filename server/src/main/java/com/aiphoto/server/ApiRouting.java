package com.aiphoto.server;

import com.aiphoto.server.auth.AuthModule;
import com.aiphoto.server.health.HealthService;
import com.aiphoto.server.payments.PaymentsModule;
import com.aiphoto.server.platform.ErrorMapping;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;

/**
 * The table of contents of the public API: each service is registered under its prefix here and declares
 * paths relative to it. Old Node clients depend on these paths; {@code routes.golden} in the tests lists every
 * one, so a change to the public surface is always a visible diff. Tests build their routing through here too.
 */
public final class ApiRouting {
    private ApiRouting() {}

    public static void routing(HttpRouting.Builder routing, Platform p) {
        AuthModule auth = AuthModule.create(p);
        PaymentsModule payments = PaymentsModule.create(p);
        routing.addFilter(p.requestFilter()).addFilter(auth.authenticator());
        new ErrorMapping(p.routes()).register(routing);
        HttpRules rules = p.routes().rules(routing);
        rules.register("/health", new HealthService(p.settings().appEnv().id(), p.clock()))
                .register("/api/auth", auth.service())
                .register("/api/payment/wechat", payments.notifyService());
    }
}
