package com.aiphoto.server;

import com.aiphoto.server.auth.AuthModule;
import com.aiphoto.server.health.HealthService;
import com.aiphoto.server.platform.ErrorMapping;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.HttpRules;

/** Every path of the public API is registered here, in one place; tests build their routing through it too. */
public final class ApiRouting {
    private ApiRouting() {
    }

    public static void routing(HttpRouting.Builder routing, Platform p) {
        AuthModule auth = AuthModule.create(p);
        routing.addFilter(p.requestFilter())
                .addFilter(auth.authenticator());
        new ErrorMapping(p.routes()).register(routing);
        HttpRules rules = p.routes().rules(routing);
        rules.register(new HealthService(p.settings().appEnv().id(), p.clock()))
                .register(auth.service());
    }
}
