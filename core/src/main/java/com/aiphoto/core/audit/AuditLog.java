package com.aiphoto.core.audit;

import com.aiphoto.core.config.ConfigCheck;
import com.aiphoto.core.config.Redactor;
import com.aiphoto.core.db.Jdbc;
import com.aiphoto.core.db.Migrations;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes the audit log: one row per administrative change, in the caller's transaction (the variant taking a
 * {@link Jdbc.Handle}), so the change and its record commit or roll back together. Details are JSON and never
 * hold a secret: a field whose name looks secret ({@link ConfigCheck#isSecretKey}, camelCase too) is replaced by
 * {@value #REDACTED}, and any configured secret value found inside a string is masked. Rows are only inserted.
 */
public final class AuditLog {
    public static final String REDACTED = "[redacted]";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What happened: who did what to which resource, with details and the request it came in with. */
    public record Entry(
            String actor,
            Long actorUserId,
            String action,
            String resourceType,
            String resourceId,
            Map<String, ?> details,
            String clientIp,
            String userAgent,
            String requestId) {
        /** A change made from the command line on this machine. */
        public static Entry byOpsctl(String action, String resourceType, String resourceId, Map<String, ?> details) {
            return new Entry(opsctlActor(), null, action, resourceType, resourceId, details, null, null, null);
        }

        /** A change made by an admin over the API. */
        public static Entry byAdmin(
                long adminId,
                String action,
                String resourceType,
                String resourceId,
                Map<String, ?> details,
                String clientIp,
                String userAgent,
                String requestId) {
            return new Entry(
                    "admin:" + adminId,
                    adminId,
                    action,
                    resourceType,
                    resourceId,
                    details,
                    clientIp,
                    userAgent,
                    requestId);
        }
    }

    /** A stored row; details as the redacted JSON text. */
    public record Row(
            long id,
            String actor,
            Long actorUserId,
            String action,
            String resourceType,
            String resourceId,
            String details,
            String clientIp,
            String userAgent,
            String requestId,
            Instant createdAt) {}

    private final Jdbc jdbc;
    private final Clock clock;
    private final Redactor secrets;

    /** {@code secrets}: the configured secret values, masked wherever they appear in details. */
    public AuditLog(Jdbc jdbc, Clock clock, Redactor secrets) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.secrets = secrets;
    }

    /** {@code opsctl@<host>}. */
    public static String opsctlActor() {
        return "opsctl@" + Migrations.hostname();
    }

    /** Records {@code e} in its own transaction; the row's id. */
    public long record(Entry e) {
        return jdbc.inTransaction(h -> record(h, e));
    }

    /** Records {@code e} in the caller's transaction; the row's id. */
    public long record(Jdbc.Handle h, Entry e) {
        return h.insert(
                "INSERT INTO audit_logs (actor, actor_user_id, action, resource_type, resource_id, details,"
                        + " client_ip, user_agent, request_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                cut(secrets.redact(e.actor()), 191),
                e.actorUserId(),
                cut(e.action(), 64),
                cut(e.resourceType(), 64),
                e.resourceId() == null ? null : cut(secrets.redact(e.resourceId()), 191),
                details(e.details()),
                cut(e.clientIp(), 45),
                e.userAgent() == null ? null : cut(secrets.redact(e.userAgent()), 512),
                cut(e.requestId(), 64),
                Instant.now(clock));
    }

    /** The newest rows first. */
    public List<Row> latest(int limit) {
        return jdbc.query(
                "SELECT id, actor, actor_user_id, action, resource_type, resource_id, details, client_ip,"
                        + " user_agent, request_id, created_at FROM audit_logs ORDER BY id DESC LIMIT ?",
                r -> new Row(
                        r.getLong("id"),
                        r.getString("actor"),
                        r.getObject("actor_user_id") == null ? null : r.getLong("actor_user_id"),
                        r.getString("action"),
                        r.getString("resource_type"),
                        r.getString("resource_id"),
                        r.getString("details"),
                        r.getString("client_ip"),
                        r.getString("user_agent"),
                        r.getString("request_id"),
                        Jdbc.instant(r, "created_at")),
                limit);
    }

    /** The details as redacted JSON; null for none. */
    String details(Map<String, ?> details) {
        if (details == null) {
            return null;
        }
        try {
            return JSON.writeValueAsString(redact(JSON.valueToTree(details)));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            // never the details themselves: they are what might hold a secret
            throw new IllegalArgumentException("audit details are not serializable as JSON", e);
        }
    }

    private JsonNode redact(JsonNode node) {
        if (node instanceof ObjectNode o) {
            ObjectNode out = JSON.createObjectNode();
            for (Map.Entry<String, JsonNode> f : o.properties()) {
                out.set(
                        f.getKey(),
                        secretName(f.getKey()) && !f.getValue().isNull()
                                ? TextNode.valueOf(REDACTED)
                                : redact(f.getValue()));
            }
            return out;
        }
        if (node instanceof ArrayNode a) {
            List<JsonNode> items = new ArrayList<>();
            a.forEach(n -> items.add(redact(n)));
            return JSON.createArrayNode().addAll(items);
        }
        if (node.isTextual()) {
            return TextNode.valueOf(secrets.redact(node.asText()));
        }
        return node;
    }

    /** isSecretKey on the name as an environment variable: apiKey, api-key and API_KEY alike. */
    static boolean secretName(String field) {
        return ConfigCheck.isSecretKey(
                field.replaceAll("([a-z0-9])([A-Z])", "$1_$2").replace('-', '_'));
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
