package com.aiphoto.server;

import com.aiphoto.core.ledger.QuotaLedger;
import com.aiphoto.server.auth.AuthModule;
import com.aiphoto.server.platform.ApiException;
import com.aiphoto.server.platform.ErrorCode;
import com.aiphoto.server.platform.Responses;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/** Test-only routes that exercise the platform: JSON reading, failures, the database, slow requests. */
public final class FixtureRoutes implements HttpService {
    enum Color {
        RED,
        GREEN
    }

    record Echo(String name, int count, Color color, List<String> tags) {}

    private final Platform platform;
    private final AuthModule auth;

    public FixtureRoutes(Platform platform) {
        this.platform = platform;
        this.auth = AuthModule.create(platform);
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post(
                        "/test/deduct",
                        (req, res) -> Responses.ok(
                                res,
                                new QuotaLedger(
                                                platform.database().jdbc(),
                                                platform.clock(),
                                                platform.kv().accountChanges())
                                        .deduct(
                                                Long.parseLong(req.query().get("user")),
                                                Integer.parseInt(req.query().get("amount")),
                                                req.query().get("ref"))
                                        .balanceAfter()))
                .post(
                        "/test/echo",
                        (req, res) -> Responses.ok(res, platform.json().read(req, Echo.class)))
                .get("/test/boom", (req, res) -> {
                    LoggerFactory.getLogger(FixtureRoutes.class).info("about to fail");
                    throw new IllegalStateException("fixture detail SELECT * FROM secret_table");
                })
                .get("/test/api-error", (req, res) -> {
                    throw new ApiException(ErrorCode.FORBIDDEN, "not yours");
                })
                .get(
                        "/test/db",
                        (req, res) -> Responses.ok(
                                res,
                                Map.of(
                                        "one",
                                        platform.database()
                                                .client()
                                                .execute()
                                                .createQuery("SELECT 1 AS one")
                                                .execute()
                                                .findFirst()
                                                .orElseThrow()
                                                .column("one")
                                                .getInt())))
                .get(
                        "/test/admin",
                        auth.authenticator().admin((user, req, res) -> Responses.ok(res, Map.of("admin", user.id()))))
                .get("/test/slow", (req, res) -> {
                    Thread.sleep(Long.parseLong(req.query().get("ms")));
                    Responses.ok(res, Map.of("slept", true));
                });
    }
}
