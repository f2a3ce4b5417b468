package com.aiphoto.server.admin;

import com.aiphoto.core.account.Role;
import com.aiphoto.server.auth.Authenticator;
import com.aiphoto.server.auth.User;
import com.aiphoto.server.platform.ApiException;
import com.aiphoto.server.platform.ClientIp;
import com.aiphoto.server.platform.Json;
import com.aiphoto.server.platform.RequestFilter;
import com.aiphoto.server.platform.RequestIds;
import com.aiphoto.server.platform.Responses;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /api/admin}: every route goes through {@link Authenticator#admin}, which reads the caller's role from the
 * database on each request (a demoted admin is refused at once) and answers 401/1001 or 403/4003 otherwise.
 */
final class AdminService implements HttpService {
    static final Set<String> TASK_TYPES = Set.of("basic_clean", "model_pose12");
    static final Set<String> ORDER_STATUSES = Set.of("pending", "paid", "closed", "refunded");

    record QuotaRequest(Integer delta, String reason) {}

    record RoleRequest(String role) {}

    record ProviderRequest(String endpointUrl, String credentials) {}

    private final Authenticator auth;
    private final Json json;
    private final ClientIp clientIp;
    private final AdminQueries queries;
    private final AccountAdmin accounts;
    private final ProviderCredentials providers;

    AdminService(
            Authenticator auth,
            Json json,
            ClientIp clientIp,
            AdminQueries queries,
            AccountAdmin accounts,
            ProviderCredentials providers) {
        this.auth = auth;
        this.json = json;
        this.clientIp = clientIp;
        this.queries = queries;
        this.accounts = accounts;
        this.providers = providers;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.get("/overview", auth.admin((u, req, res) -> Responses.ok(res, queries.overview())))
                .get("/users", auth.admin(this::users))
                .post("/users/{id}/quota", auth.admin(this::quota))
                .post("/users/{id}/role", auth.admin(this::role))
                .get("/tasks", auth.admin((u, req, res) -> tasks(req, res, false)))
                .get("/failed-tasks", auth.admin((u, req, res) -> tasks(req, res, true)))
                .get("/orders", auth.admin(this::orders))
                .get(
                        "/providers",
                        auth.admin((u, req, res) -> Responses.ok(res, Map.of("providers", providers.views()))))
                .put("/providers/{ref}", auth.admin(this::putProvider))
                .get("/audit-logs", auth.admin(this::auditLogs));
    }

    private void users(User admin, ServerRequest req, ServerResponse res) {
        Query q = new Query(req);
        AdminQueries.Where where = new AdminQueries.Where();
        q.string("phone").ifPresent(phone -> {
            if (!phone.matches("\\d{1,11}")) {
                throw ApiException.invalid("phone", "must be 1..11 digits (a prefix of the number)");
            }
            where.and("phone LIKE ?", phone + "%");
        });
        q.bool("isMember").ifPresent(member -> {
            if (member) {
                where.and("member_expires_at > ?", java.time.Instant.now());
            } else {
                where.and("(member_expires_at IS NULL OR member_expires_at <= ?)", java.time.Instant.now());
            }
        });
        q.oneOf("role", Set.of("user", "admin")).ifPresent(r -> where.and("role = ?", r));
        send(res, "users", queries.users(where, q.page()));
    }

    private void tasks(ServerRequest req, ServerResponse res, boolean failedOnly) {
        Query q = new Query(req);
        AdminQueries.Where where = new AdminQueries.Where();
        if (failedOnly) {
            where.and("status = 'failed'");
        } else {
            q.oneOf("status", Set.copyOf(AdminQueries.TASK_STATUSES)).ifPresent(s -> where.and("status = ?", s));
        }
        q.oneOf("type", TASK_TYPES).ifPresent(t -> where.and("type = ?", t));
        q.id("userId").ifPresent(id -> where.and("user_id = ?", id));
        send(res, "tasks", queries.tasks(where, q.page()));
    }

    private void orders(User admin, ServerRequest req, ServerResponse res) {
        Query q = new Query(req);
        AdminQueries.Where where = new AdminQueries.Where();
        q.oneOf("status", ORDER_STATUSES).ifPresent(s -> where.and("status = ?", s));
        q.id("userId").ifPresent(id -> where.and("user_id = ?", id));
        send(res, "orders", queries.orders(where, q.page()));
    }

    private void auditLogs(User admin, ServerRequest req, ServerResponse res) {
        Query q = new Query(req);
        AdminQueries.Where where = new AdminQueries.Where();
        q.string("action").ifPresent(a -> where.and("action = ?", a));
        q.string("resourceType").ifPresent(t -> where.and("resource_type = ?", t));
        q.string("resourceId").ifPresent(i -> where.and("resource_id = ?", i));
        q.id("actorUserId").ifPresent(id -> where.and("actor_user_id = ?", id));
        send(res, "logs", queries.auditLogs(where, q.page()));
    }

    private void quota(User admin, ServerRequest req, ServerResponse res) {
        long id = Query.parseId("id", req.path().pathParameters().get("id"));
        QuotaRequest body = json.read(req, QuotaRequest.class);
        if (body.delta() == null) {
            throw ApiException.invalid("delta", "required");
        }
        Optional<String> key = req.headers().first(HeaderNames.create("Idempotency-Key"));
        if (key.isPresent() && (key.get().isBlank() || key.get().length() > 128)) {
            throw ApiException.invalid("Idempotency-Key", "must be 1..128 characters");
        }
        Responses.ok(res, accounts.adjustQuota(actor(admin, req), id, body.delta(), body.reason(), key));
    }

    private void role(User admin, ServerRequest req, ServerResponse res) {
        long id = Query.parseId("id", req.path().pathParameters().get("id"));
        RoleRequest body = json.read(req, RoleRequest.class);
        if (body.role() == null || !Set.of("user", "admin").contains(body.role())) {
            throw ApiException.invalid("role", "must be user or admin");
        }
        accounts.setRole(actor(admin, req), id, Role.parse(body.role()));
        Responses.ok(res, Map.of());
    }

    private void putProvider(User admin, ServerRequest req, ServerResponse res) {
        String ref = req.path().pathParameters().get("ref");
        ProviderRequest body = json.read(req, ProviderRequest.class);
        Responses.ok(
                res,
                providers.put(actor(admin, req), ref, body.endpointUrl(), Optional.ofNullable(body.credentials())));
    }

    private AccountAdmin.Actor actor(User admin, ServerRequest req) {
        String requestId = req.context()
                .get(RequestFilter.RequestInfo.class)
                .map(RequestFilter.RequestInfo::requestId)
                .orElseGet(() -> RequestIds.current().orElse(null));
        return new AccountAdmin.Actor(
                admin.id(),
                clientIp.of(req),
                req.headers().first(HeaderNames.USER_AGENT).orElse(null),
                requestId);
    }

    private static void send(ServerResponse res, String name, AdminQueries.Page<?> page) {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(name, page.rows());
        data.put("total", page.total());
        data.put("limit", page.page().limit());
        data.put("offset", page.page().offset());
        Responses.ok(res, data);
    }
}
