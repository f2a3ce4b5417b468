package com.aiphoto.core.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.db.Jdbc;
import com.aiphoto.core.db.Migrations;
import com.aiphoto.testing.Concurrently;
import com.zaxxer.hikari.HikariDataSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.threeten.extra.MutableClock;

/** The ledger's rules and its concurrency guarantees, on whichever database a subclass migrates. */
abstract class QuotaLedgerContract {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00.000Z");
    private static final AtomicInteger PHONES = new AtomicInteger();

    private static HikariDataSource ds;
    private static AutoCloseable db;
    private static Jdbc jdbc;

    final MutableClock clock = MutableClock.of(T0, java.time.ZoneOffset.UTC);
    /** The users each ledger() told about, in order: what a cache would evict. */
    final List<Long> told = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** A subclass's {@code @BeforeAll}: the pool over its scratch database, migrated here. */
    static void use(HikariDataSource pool, AutoCloseable scratch) {
        ds = pool;
        db = scratch;
        new Migrations(ds, Migrations.DEFAULT_LOCATION).migrate();
        jdbc = new Jdbc(ds, Duration.ofSeconds(5));
    }

    @AfterAll
    static void drop() throws Exception {
        ds.close();
        db.close();
    }

    static Jdbc jdbc() {
        return jdbc;
    }

    QuotaLedger ledger() {
        return new QuotaLedger(jdbc(), clock, told::add);
    }

    long newUser(int balance, Instant memberUntil) {
        return jdbc().insert(
                        "INSERT INTO users (phone, role, quota_balance, member_expires_at, created_at, updated_at) "
                                + "VALUES (?, 'user', ?, ?, ?, ?)",
                        "139" + String.format(java.util.Locale.ROOT, "%08d", PHONES.incrementAndGet()),
                        balance,
                        memberUntil,
                        T0,
                        T0);
    }

    int balance(long user) {
        return jdbc().queryOne("SELECT quota_balance FROM users WHERE id = ?", r -> r.getInt(1), user)
                .orElseThrow();
    }

    Instant memberEnd(long user) {
        return jdbc().query(
                        "SELECT member_expires_at FROM users WHERE id = ?",
                        r -> Jdbc.instant(r, "member_expires_at"),
                        user)
                .getFirst();
    }

    /** Sum of the user's ledger deltas and the number of rows of one reason. */
    int ledgerSum(long user) {
        return jdbc().queryOne(
                        "SELECT COALESCE(SUM(delta), 0) FROM quota_ledger WHERE user_id = ?", r -> r.getInt(1), user)
                .orElseThrow();
    }

    int rows(long user, Reason reason) {
        return jdbc().queryOne(
                        "SELECT COUNT(*) FROM quota_ledger WHERE user_id = ? AND reason = ?",
                        r -> r.getInt(1),
                        user,
                        reason.id())
                .orElseThrow();
    }

    @Test
    void changesAreToldOnceCommittedAndNeverForARollback() {
        long u = newUser(5, T0.plus(Duration.ofDays(1)));
        ledger().deduct(u, 1, "task:told");
        assertEquals(List.of(u), told, "a committed change is told");
        told.clear();
        RuntimeException rollback = new IllegalStateException("the caller's work failed");
        assertThrows(
                IllegalStateException.class,
                () -> jdbc().inTransaction(h -> {
                    ledger().grant(h, u, 10, 30, "order:rolled-back");
                    assertEquals(List.of(), told, "not before the caller's transaction commits");
                    throw rollback;
                }));
        assertEquals(List.of(), told, "a rolled-back change is not told");
        assertEquals(4, balance(u));
        jdbc().inTransaction(h -> ledger().grant(h, u, 10, 30, "order:joined"));
        assertEquals(List.of(u), told, "told after the caller's transaction commits");
    }

    @Test
    void grantAddsQuotaAndExtendsFromNowOrFromTheCurrentEnd() {
        long u = newUser(0, null);
        LedgerEntry first = ledger().grant(u, 100, 30, "order:a");
        assertEquals(100, first.balanceAfter());
        assertEquals(T0.plus(Duration.ofDays(30)), first.memberExpiresAt());
        assertFalse(first.repeated());
        // a member buying again extends from the current end, not from now
        clock.add(Duration.ofDays(10));
        LedgerEntry second = ledger().grant(u, 300, 90, "order:b");
        assertEquals(400, second.balanceAfter());
        assertEquals(T0.plus(Duration.ofDays(120)), second.memberExpiresAt());
        assertEquals(T0.plus(Duration.ofDays(120)), memberEnd(u));
        // an expired member starts from now
        clock.add(Duration.ofDays(200));
        LedgerEntry third = ledger().grant(u, 1, 1, "order:c");
        assertEquals(clock.instant().plus(Duration.ofDays(1)), third.memberExpiresAt());
        assertEquals(401, balance(u));
        assertEquals(401, ledgerSum(u));
    }

    @Test
    void aRepeatReturnsTheFirstResultAndChangesNothing() {
        long u = newUser(0, null);
        LedgerEntry first = ledger().grant(u, 100, 30, "order:r");
        clock.add(Duration.ofDays(1));
        LedgerEntry again = ledger().grant(u, 100, 30, "order:r");
        assertTrue(again.repeated());
        assertEquals(first.id(), again.id());
        assertEquals(first.memberExpiresAt(), again.memberExpiresAt());
        assertEquals(100, balance(u));
        assertEquals(1, rows(u, Reason.GRANT));
        // the same ref under another reason is another change
        LedgerEntry d = ledger().deduct(u, 1, "order:r");
        assertEquals(99, d.balanceAfter());
        assertTrue(ledger().deduct(u, 1, "order:r").repeated());
        assertEquals(99, balance(u));
    }

    @Test
    void aRefUsedByOneUserCannotChangeAnother() {
        long a = newUser(0, null);
        long b = newUser(0, null);
        ledger().grant(a, 10, 1, "order:shared");
        assertThrows(IllegalStateException.class, () -> ledger().grant(b, 10, 1, "order:shared"));
        assertEquals(0, balance(b));
    }

    @Test
    void anExpiredOrNonMemberCannotDeduct() {
        long never = newUser(10, null);
        assertThrows(LedgerException.MembershipRequired.class, () -> ledger().deduct(never, 1, "task:1"));
        long expired = newUser(10, T0.minusMillis(1));
        assertThrows(LedgerException.MembershipRequired.class, () -> ledger().deduct(expired, 1, "task:2"));
        long endsNow = newUser(10, T0);
        assertThrows(LedgerException.MembershipRequired.class, () -> ledger().deduct(endsNow, 1, "task:3"));
        assertEquals(10, balance(never));
        assertEquals(10, balance(expired));
        assertEquals(0, rows(expired, Reason.DEDUCT));
        long member = newUser(10, T0.plusSeconds(1));
        assertEquals(9, ledger().deduct(member, 1, "task:4").balanceAfter());
    }

    @Test
    void deductNeverGoesBelowZero() {
        long u = newUser(2, T0.plus(Duration.ofDays(1)));
        assertThrows(LedgerException.InsufficientQuota.class, () -> ledger().deduct(u, 3, "task:big"));
        assertEquals(0, ledger().deduct(u, 2, "task:all").balanceAfter());
        assertThrows(LedgerException.InsufficientQuota.class, () -> ledger().deduct(u, 1, "task:more"));
        assertEquals(0, balance(u));
        assertEquals(1, rows(u, Reason.DEDUCT));
    }

    @Test
    void refundGivesBackTheDeductionOnce() {
        long u = newUser(5, T0.plus(Duration.ofDays(1)));
        ledger().deduct(u, 3, "task:9");
        assertEquals(2, balance(u));
        LedgerEntry refund = ledger().refund(u, "task:9");
        assertEquals(3, refund.delta());
        assertEquals(5, refund.balanceAfter());
        assertTrue(ledger().refund(u, "task:9").repeated());
        assertEquals(5, balance(u));
        // membership lapsed meanwhile: the refund still applies (it was the user's quota)
        ledger().deduct(u, 1, "task:10");
        ledger().deduct(u, 1, "task:11");
        clock.add(Duration.ofDays(2));
        assertEquals(4, ledger().refund(u, "task:10").balanceAfter());
        assertThrows(LedgerException.NothingToRefund.class, () -> ledger().refund(u, "task:none"));
        // another user cannot refund this user's deduction, nor reuse a refund's ref
        long other = newUser(0, null);
        assertThrows(LedgerException.NothingToRefund.class, () -> ledger().refund(other, "task:11"));
        assertThrows(IllegalStateException.class, () -> ledger().refund(other, "task:9"));
        assertEquals(0, balance(other));
        assertEquals(4, balance(u));
        assertEquals(ledgerSum(u), balance(u) - 5);
    }

    @Test
    void adjustNeedsANoteAndKeepsTheBalanceNonNegative() {
        long u = newUser(0, null);
        LedgerEntry plus = ledger().adjust(u, 7, "adjust:1", "support ticket 12");
        assertEquals(7, plus.balanceAfter());
        assertEquals("support ticket 12", plus.note());
        assertNull(plus.memberExpiresAt());
        assertThrows(LedgerException.InsufficientQuota.class, () -> ledger().adjust(u, -8, "adjust:2", "too much"));
        assertEquals(0, ledger().adjust(u, -7, "adjust:3", "back").balanceAfter());
        assertThrows(IllegalArgumentException.class, () -> ledger().adjust(u, 1, "adjust:4", " "));
        assertThrows(IllegalArgumentException.class, () -> ledger().adjust(u, 0, "adjust:5", "zero"));
        assertThrows(LedgerException.UnknownUser.class, () -> ledger().adjust(-1, 1, "adjust:6", "nobody"));
        assertEquals(
                List.of(Reason.ADJUST, Reason.ADJUST),
                ledger().entries(u, 10).stream().map(LedgerEntry::reason).toList());
    }

    @Test
    void aJoinedTransactionThatRollsBackLeavesNoTrace() {
        long u = newUser(0, null);
        assertThrows(
                IllegalStateException.class,
                () -> jdbc().inTransaction(h -> {
                    ledger().grant(h, u, 100, 30, "order:rolled-back");
                    throw new IllegalStateException("the caller's work failed");
                }));
        assertEquals(0, balance(u));
        assertNull(memberEnd(u));
        assertEquals(0, rows(u, Reason.GRANT));
        assertFalse(ledger().grant(u, 100, 30, "order:rolled-back").repeated());
    }

    @Test
    void twoHundredConcurrentDeductsOnFiftyQuota() throws Exception {
        long u = newUser(0, null);
        ledger().grant(u, 50, 30, "order:fifty");
        AtomicInteger n = new AtomicInteger();
        List<Concurrently.Outcome<LedgerEntry>> outcomes =
                Concurrently.attempt(200, () -> ledger().deduct(u, 1, "task:c" + n.incrementAndGet()));
        long ok = outcomes.stream().filter(o -> !o.failed()).count();
        long refused = outcomes.stream()
                .filter(o -> o.error() instanceof LedgerException.InsufficientQuota)
                .count();
        assertEquals(
                50,
                ok,
                () -> "other failures: "
                        + outcomes.stream()
                                .filter(o -> o.failed() && !(o.error() instanceof LedgerException.InsufficientQuota))
                                .map(o -> o.error().toString())
                                .distinct()
                                .toList());
        assertEquals(150, refused);
        assertEquals(0, balance(u));
        assertEquals(50, rows(u, Reason.DEDUCT));
        assertEquals(0, ledgerSum(u));
        // every successful deduct saw a distinct balance: the row lock serialised them
        assertEquals(
                50,
                outcomes.stream()
                        .filter(o -> !o.failed())
                        .map(o -> o.value().balanceAfter())
                        .distinct()
                        .count());
    }

    @Test
    void twentyConcurrentIdenticalGrantsGrantOnce() throws Exception {
        long u = newUser(0, null);
        List<LedgerEntry> results = Concurrently.run(20, () -> ledger().grant(u, 100, 30, "order:same"));
        assertEquals(1, results.stream().filter(e -> !e.repeated()).count());
        assertEquals(1, results.stream().map(LedgerEntry::id).distinct().count());
        assertEquals(100, balance(u));
        assertEquals(1, rows(u, Reason.GRANT));
        assertEquals(T0.plus(Duration.ofDays(30)), memberEnd(u));
    }
}
