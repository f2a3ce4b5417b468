package com.aiphoto.server.payments;

import com.aiphoto.server.auth.Authenticator;
import com.aiphoto.server.auth.User;
import com.aiphoto.server.platform.Json;
import com.aiphoto.server.platform.Responses;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Under {@code /api/membership}: the plan table, the caller's membership, and buying a plan. {@link #purchase} is
 * also the old client's {@code POST /api/payment/wechat/create} (see {@link PaymentService}).
 */
final class MembershipService implements HttpService {
    /**
     * {@code planId}, or {@code orderId} to get an open order's QR code again. An {@code amount} sent by old
     * clients is ignored (unknown fields are): the price is the plan's, and the answer says what it is.
     */
    record PurchaseRequest(String planId, String orderId) {}

    record PurchaseView(String orderId, long amount, String codeUrl, Instant expiresAt) {
        static PurchaseView of(Order o) {
            return new PurchaseView(o.id(), o.amountCents(), o.codeUrl(), o.expiresAt());
        }
    }

    record StatusView(
            @JsonProperty("isMember") boolean isMember, int quotaRemaining, Instant memberExpiresAt, long expireDays) {}

    private final Json json;
    private final Clock clock;
    private final Authenticator auth;
    private final Plans plans;
    private final Purchases purchases;

    MembershipService(Json json, Clock clock, Authenticator auth, Plans plans, Purchases purchases) {
        this.json = json;
        this.clock = clock;
        this.auth = auth;
        this.plans = plans;
        this.purchases = purchases;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/plans", this::plans)
                .get("/status", auth.user(this::status))
                .post("/purchase", auth.user(this::purchase));
    }

    private void plans(ServerRequest req, ServerResponse res) {
        Responses.ok(res, plans.all());
    }

    private void status(User user, ServerRequest req, ServerResponse res) {
        Instant now = clock.instant();
        boolean member = user.isMember(now);
        long days = 0;
        if (member) {
            // whole days left, rounded up: a membership ending in 3 hours still shows 1 day
            Duration left = Duration.between(now, user.memberExpiresAt());
            days = (left.toMillis() + Duration.ofDays(1).toMillis() - 1)
                    / Duration.ofDays(1).toMillis();
        }
        Responses.ok(res, new StatusView(member, user.quotaBalance(), user.memberExpiresAt(), days));
    }

    void purchase(User user, ServerRequest req, ServerResponse res) {
        PurchaseRequest body = json.read(req, PurchaseRequest.class);
        Responses.ok(res, PurchaseView.of(purchases.purchase(user.id(), body.planId(), body.orderId())));
    }
}
