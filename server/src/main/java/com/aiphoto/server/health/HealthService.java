package com.aiphoto.server.health;

import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * {@code GET /health} (registered there by ApiRouting): the old service's liveness answer, kept for scripts and nginx. It touches no dependency;
 * readiness with the real checks is {@code /observe/health/ready} on the admin port.
 */
public final class HealthService implements HttpService {
    private final String env;
    private final Clock clock;

    public HealthService(String env, Clock clock) {
        this.env = env;
        this.clock = clock;
    }

    record Health(String status, Instant timestamp, String env) {}

    @Override
    public void routing(HttpRules rules) {
        rules.get("/", this::health);
    }

    private void health(ServerRequest req, ServerResponse res) {
        res.send(new Health("ok", Instant.now(clock).truncatedTo(ChronoUnit.MILLIS), env));
    }
}
