package com.aiphoto.server.payments;

import com.aiphoto.server.auth.Authenticator;
import com.aiphoto.server.auth.User;
import com.aiphoto.server.platform.Responses;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Instant;

/**
 * Under {@code /api/payment}: the old client's order creation (the same handler as
 * {@code POST /api/membership/purchase}) and an order's state for its owner. WeChat Pay's notification route
 * lives beside these (its own handler).
 */
final class PaymentService implements HttpService {
    record OrderView(String orderId, String planId, String status, long amount, Instant createdAt, Instant paidAt) {
        static OrderView of(Order o) {
            return new OrderView(o.id(), o.planId(), o.status().id(), o.amountCents(), o.createdAt(), o.paidAt());
        }
    }

    private final Authenticator auth;
    private final MembershipService membership;
    private final Purchases purchases;

    PaymentService(Authenticator auth, MembershipService membership, Purchases purchases) {
        this.auth = auth;
        this.membership = membership;
        this.purchases = purchases;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/wechat/create", auth.user(membership::purchase)).get("/order/{orderId}", auth.user(this::order));
    }

    private void order(User user, ServerRequest req, ServerResponse res) {
        String id = req.path().pathParameters().get("orderId");
        Responses.ok(res, OrderView.of(purchases.owned(user.id(), id)));
    }
}
