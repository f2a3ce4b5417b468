package com.aiphoto.server.admin;

import com.aiphoto.core.account.Role;
import com.aiphoto.core.db.Jdbc;
import com.aiphoto.server.auth.User;
import com.aiphoto.server.auth.UserView;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What admins read: the overview's figures (SQL aggregates: no row is loaded to count it) and the paged lists of
 * users, tasks, orders and audit rows, newest first with the id as tie-breaker (a stable order, so paging neither
 * repeats nor skips a row that did not change).
 */
final class AdminQueries {
    static final List<String> TASK_STATUSES = List.of("pending", "processing", "succeeded", "failed");

    record Overview(Users users, Tasks tasks, Orders orders) {}

    record Users(long total, long members, long newToday) {}

    record Tasks(Map<String, Long> byStatus, long today) {}

    /** {@code paid}: orders paid (and not refunded); {@code revenue} their amounts in cents; {@code today}: since 00:00. */
    record Orders(long paid, long revenue, long today, long revenueToday) {}

    record TaskRow(
            String id,
            long userId,
            String type,
            String status,
            int quotaCost,
            int attempts,
            String errorMessage,
            Instant createdAt,
            Instant updatedAt,
            Instant completedAt) {}

    record OrderRow(
            String orderId,
            long userId,
            String planId,
            String status,
            long amount,
            String transactionId,
            Instant createdAt,
            Instant paidAt) {}

    record AuditRow(
            long id,
            String actor,
            Long actorUserId,
            String action,
            String resourceType,
            String resourceId,
            JsonNode details,
            String clientIp,
            String userAgent,
            String requestId,
            Instant createdAt) {}

    /** A page of rows and the number of rows matching the filters. */
    record Page<T>(List<T> rows, long total, Query.Page page) {}

    /** WHERE clauses and their parameters, in order. */
    static final class Where {
        private final List<String> clauses = new ArrayList<>();
        private final List<Object> params = new ArrayList<>();

        Where and(String clause, Object... values) {
            clauses.add(clause);
            params.addAll(List.of(values));
            return this;
        }

        String sql() {
            return clauses.isEmpty() ? "" : " WHERE " + String.join(" AND ", clauses);
        }

        Object[] params(Object... more) {
            List<Object> all = new ArrayList<>(params);
            all.addAll(List.of(more));
            return all.toArray();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Jdbc jdbc;
    private final Clock clock;
    private final ZoneId zone;

    AdminQueries(Jdbc jdbc, Clock clock, ZoneId zone) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.zone = zone;
    }

    /** The start of today in the admin time zone. */
    Instant startOfToday() {
        return LocalDate.now(clock.withZone(zone)).atStartOfDay(zone).toInstant();
    }

    Overview overview() {
        Instant now = clock.instant();
        Instant today = startOfToday();
        Users users = jdbc.queryOne(
                        "SELECT COUNT(*) AS total,"
                                + " COALESCE(SUM(CASE WHEN member_expires_at > ? THEN 1 ELSE 0 END), 0) AS members,"
                                + " COALESCE(SUM(CASE WHEN created_at >= ? THEN 1 ELSE 0 END), 0) AS new_today"
                                + " FROM users",
                        r -> new Users(r.getLong("total"), r.getLong("members"), r.getLong("new_today")),
                        now,
                        today)
                .orElseThrow();
        Map<String, Long> byStatus = new LinkedHashMap<>();
        TASK_STATUSES.forEach(s -> byStatus.put(s, 0L));
        jdbc.query("SELECT status, COUNT(*) AS n FROM tasks GROUP BY status", r -> {
            byStatus.put(r.getString("status"), r.getLong("n"));
            return null;
        });
        long tasksToday = jdbc.queryOne("SELECT COUNT(*) FROM tasks WHERE created_at >= ?", r -> r.getLong(1), today)
                .orElseThrow();
        Orders orders = jdbc.queryOne(
                        "SELECT COUNT(*) AS paid, COALESCE(SUM(amount_cents), 0) AS revenue,"
                                + " COALESCE(SUM(CASE WHEN paid_at >= ? THEN 1 ELSE 0 END), 0) AS today,"
                                + " COALESCE(SUM(CASE WHEN paid_at >= ? THEN amount_cents ELSE 0 END), 0) AS revenue_today"
                                + " FROM orders WHERE status = 'paid'",
                        r -> new Orders(
                                r.getLong("paid"),
                                r.getLong("revenue"),
                                r.getLong("today"),
                                r.getLong("revenue_today")),
                        today,
                        today)
                .orElseThrow();
        return new Overview(users, new Tasks(byStatus, tasksToday), orders);
    }

    /** Accounts as the API's {@code user} object, phone masked (admins are not the owner); no password hash read. */
    Page<UserView> users(Where where, Query.Page page) {
        Instant now = clock.instant();
        List<UserView> rows = jdbc.query(
                "SELECT id, phone, nickname, role, member_expires_at, quota_balance,"
                        + " CASE WHEN password_hash IS NULL THEN NULL ELSE '*' END AS has_password, created_at"
                        + " FROM users" + where.sql() + " ORDER BY id DESC LIMIT ? OFFSET ?",
                r -> UserView.of(
                        new User(
                                r.getLong("id"),
                                r.getString("phone"),
                                null,
                                null,
                                r.getString("has_password"),
                                r.getString("nickname"),
                                Role.parse(r.getString("role")),
                                Jdbc.instant(r, "member_expires_at"),
                                r.getInt("quota_balance"),
                                Jdbc.instant(r, "created_at")),
                        false,
                        now),
                where.params(page.limit(), page.offset()));
        return new Page<>(rows, count("users", where), page);
    }

    Page<TaskRow> tasks(Where where, Query.Page page) {
        List<TaskRow> rows = jdbc.query(
                "SELECT id, user_id, type, status, quota_cost, attempts, error_message, created_at, updated_at,"
                        + " completed_at FROM tasks" + where.sql()
                        + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                r -> new TaskRow(
                        r.getString("id"),
                        r.getLong("user_id"),
                        r.getString("type"),
                        r.getString("status"),
                        r.getInt("quota_cost"),
                        r.getInt("attempts"),
                        r.getString("error_message"),
                        Jdbc.instant(r, "created_at"),
                        Jdbc.instant(r, "updated_at"),
                        Jdbc.instant(r, "completed_at")),
                where.params(page.limit(), page.offset()));
        return new Page<>(rows, count("tasks", where), page);
    }

    Page<OrderRow> orders(Where where, Query.Page page) {
        List<OrderRow> rows = jdbc.query(
                "SELECT id, user_id, plan_id, status, amount_cents, transaction_id, created_at, paid_at FROM orders"
                        + where.sql() + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                r -> new OrderRow(
                        r.getString("id"),
                        r.getLong("user_id"),
                        r.getString("plan_id"),
                        r.getString("status"),
                        r.getLong("amount_cents"),
                        r.getString("transaction_id"),
                        Jdbc.instant(r, "created_at"),
                        Jdbc.instant(r, "paid_at")),
                where.params(page.limit(), page.offset()));
        return new Page<>(rows, count("orders", where), page);
    }

    Page<AuditRow> auditLogs(Where where, Query.Page page) {
        List<AuditRow> rows = jdbc.query(
                "SELECT id, actor, actor_user_id, action, resource_type, resource_id, details, client_ip, user_agent,"
                        + " request_id, created_at FROM audit_logs" + where.sql()
                        + " ORDER BY id DESC LIMIT ? OFFSET ?",
                r -> new AuditRow(
                        r.getLong("id"),
                        r.getString("actor"),
                        r.getObject("actor_user_id") == null ? null : r.getLong("actor_user_id"),
                        r.getString("action"),
                        r.getString("resource_type"),
                        r.getString("resource_id"),
                        details(r.getString("details")),
                        r.getString("client_ip"),
                        r.getString("user_agent"),
                        r.getString("request_id"),
                        Jdbc.instant(r, "created_at")),
                where.params(page.limit(), page.offset()));
        return new Page<>(rows, count("audit_logs", where), page);
    }

    private long count(String table, Where where) {
        return jdbc.queryOne("SELECT COUNT(*) FROM " + table + where.sql(), r -> r.getLong(1), where.params())
                .orElseThrow();
    }

    /** The stored JSON (written redacted by AuditLog); null for none. */
    private static JsonNode details(String json) {
        if (json == null) {
            return null;
        }
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            return JSON.getNodeFactory().textNode(json);
        }
    }
}
