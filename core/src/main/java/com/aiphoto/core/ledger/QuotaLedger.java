package com.aiphoto.core.ledger;

import com.aiphoto.core.account.AccountChanges;
import com.aiphoto.core.db.DataAccessException;
import com.aiphoto.core.db.Jdbc;
import com.aiphoto.core.db.SqlErrors;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * The one writer of quota and membership ({@code users.quota_balance}, {@code users.member_expires_at}). Every
 * change holds the user's row lock ({@code SELECT ... FOR UPDATE}), writes its ledger row and the new balance in
 * one transaction, and never takes the balance below zero.
 *
 * <p>Each change is idempotent on (reason, ref): a repeat returns the first call's entry (marked
 * {@link LedgerEntry#repeated()}) and changes nothing. Calls for the same user are serialised by the row lock, so
 * the repeat normally sees the first row; when a caller's own transaction read the ledger before the first one
 * committed, the unique key refuses the second insert and the row is read again with a locking read. The
 * idempotency check is a plain read on purpose: a locking read of a missing (reason, ref) would take a gap lock,
 * and two users' changes landing in the same gap would deadlock.
 *
 * <p>Every method has a variant taking a {@link Jdbc.Handle}, which joins the caller's transaction (settling an
 * order, creating a task): the ledger row then commits or rolls back with the caller's work. Once a change has
 * committed, {@link AccountChanges} is told (the server's cached user rows show the balance).
 */
public final class QuotaLedger {
    private static final int MAX_REF = 64;
    private static final int MAX_NOTE = 255;
    private static final String COLUMNS =
            "id, user_id, reason, ref, delta, balance_after, member_expires_after, note, created_at";

    private final Jdbc jdbc;
    private final Clock clock;
    private final AccountChanges changes;

    public QuotaLedger(Jdbc jdbc, Clock clock, AccountChanges changes) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.changes = changes;
    }

    /** Adds {@code quota} and extends membership to max(now, current end) + {@code days}. */
    public LedgerEntry grant(long userId, int quota, int days, String ref) {
        return jdbc.inTransaction(h -> grant(h, userId, quota, days, ref));
    }

    public LedgerEntry grant(Jdbc.Handle h, long userId, int quota, int days, String ref) {
        requireNonNegative(quota, "quota");
        requireNonNegative(days, "days");
        return apply(h, userId, Reason.GRANT, ref, null, (account, now) -> {
            Instant from = account.memberExpiresAt() != null
                            && account.memberExpiresAt().isAfter(now)
                    ? account.memberExpiresAt()
                    : now;
            return new Change(quota, from.plus(Duration.ofDays(days)));
        });
    }

    /**
     * Takes {@code amount} from a current member.
     *
     * @throws LedgerException.MembershipRequired when the membership has expired or never existed
     * @throws LedgerException.InsufficientQuota when the balance is smaller than {@code amount}
     */
    public LedgerEntry deduct(long userId, int amount, String ref) {
        return jdbc.inTransaction(h -> deduct(h, userId, amount, ref));
    }

    public LedgerEntry deduct(Jdbc.Handle h, long userId, int amount, String ref) {
        requirePositive(amount, "amount");
        return apply(h, userId, Reason.DEDUCT, ref, null, (account, now) -> {
            if (account.memberExpiresAt() == null || !account.memberExpiresAt().isAfter(now)) {
                throw new LedgerException.MembershipRequired(userId);
            }
            if (account.balance() < amount) {
                throw new LedgerException.InsufficientQuota(userId, account.balance(), amount);
            }
            return new Change(-amount, null);
        });
    }

    /**
     * Gives back what the deduction {@code ref} took, once (the refund's ref is the deduction's). Refunds need no
     * membership: the quota was the user's.
     *
     * @throws LedgerException.NothingToRefund when this user has no deduction {@code ref}
     */
    public LedgerEntry refund(long userId, String ref) {
        return jdbc.inTransaction(h -> refund(h, userId, ref));
    }

    public LedgerEntry refund(Jdbc.Handle h, long userId, String ref) {
        return apply(h, userId, Reason.REFUND, ref, null, (account, now) -> {
            LedgerEntry deduction = find(h, Reason.DEDUCT, ref, false)
                    .filter(e -> e.userId() == userId)
                    .orElseThrow(() -> new LedgerException.NothingToRefund(userId, ref));
            return new Change(-deduction.delta(), null);
        });
    }

    /**
     * An operator's correction by {@code delta} (either sign, not zero) with a {@code note} saying why.
     *
     * @throws LedgerException.InsufficientQuota when a negative delta would take the balance below zero
     */
    public LedgerEntry adjust(long userId, int delta, String ref, String note) {
        return jdbc.inTransaction(h -> adjust(h, userId, delta, ref, note));
    }

    public LedgerEntry adjust(Jdbc.Handle h, long userId, int delta, String ref, String note) {
        if (delta == 0) {
            throw new IllegalArgumentException("delta must not be zero");
        }
        if (note == null || note.isBlank() || note.length() > MAX_NOTE) {
            throw new IllegalArgumentException("note must be 1.." + MAX_NOTE + " characters");
        }
        return apply(h, userId, Reason.ADJUST, ref, note, (account, now) -> {
            if (delta < 0 && account.balance() < -delta) {
                throw new LedgerException.InsufficientQuota(userId, account.balance(), -delta);
            }
            return new Change(delta, null);
        });
    }

    /** The user's entries, newest first. */
    public java.util.List<LedgerEntry> entries(long userId, int limit) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM quota_ledger WHERE user_id = ? ORDER BY id DESC LIMIT ?",
                QuotaLedger::map,
                userId,
                limit);
    }

    /** What one call changes: the delta, and for a grant the new membership end. */
    private record Change(int delta, Instant memberExpiresAt) {}

    private record Account(int balance, Instant memberExpiresAt) {}

    @FunctionalInterface
    private interface Rule {
        Change decide(Account account, Instant now);
    }

    private LedgerEntry apply(Jdbc.Handle h, long userId, Reason reason, String ref, String note, Rule rule) {
        requireRef(ref);
        Account account = h.queryOne(
                        "SELECT quota_balance, member_expires_at FROM users WHERE id = ? FOR UPDATE",
                        r -> new Account(r.getInt("quota_balance"), Jdbc.instant(r, "member_expires_at")),
                        userId)
                .orElseThrow(() -> new LedgerException.UnknownUser(userId));
        Optional<LedgerEntry> earlier = find(h, reason, ref, false);
        if (earlier.isPresent()) {
            return repeat(earlier.get(), userId);
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Change change = rule.decide(account, now);
        int balance = Math.addExact(account.balance(), change.delta());
        if (balance < 0) {
            throw new LedgerException.InsufficientQuota(userId, account.balance(), -change.delta());
        }
        long id;
        try {
            id = h.insert(
                    "INSERT INTO quota_ledger (user_id, delta, reason, ref, balance_after, member_expires_after, "
                            + "note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    userId,
                    change.delta(),
                    reason.id(),
                    ref,
                    balance,
                    change.memberExpiresAt(),
                    note,
                    now);
        } catch (DataAccessException e) {
            if (!SqlErrors.isDuplicateKey(e)) {
                throw e;
            }
            // the caller's transaction read the ledger before the first call committed: read the row it wrote
            return repeat(find(h, reason, ref, true).orElseThrow(() -> e), userId);
        }
        if (change.memberExpiresAt() != null) {
            h.update(
                    "UPDATE users SET quota_balance = ?, member_expires_at = ?, updated_at = ? WHERE id = ?",
                    balance,
                    change.memberExpiresAt(),
                    now,
                    userId);
        } else {
            h.update("UPDATE users SET quota_balance = ?, updated_at = ? WHERE id = ?", balance, now, userId);
        }
        h.afterCommit(() -> changes.changed(userId));
        return new LedgerEntry(
                id, userId, reason, ref, change.delta(), balance, change.memberExpiresAt(), note, now, false);
    }

    private static LedgerEntry repeat(LedgerEntry first, long userId) {
        if (first.userId() != userId) {
            // a ref names one thing (an order, a task): the same one cannot belong to two users
            throw new IllegalStateException(
                    first.reason().id() + " " + first.ref() + " belongs to user " + first.userId() + ", not " + userId);
        }
        return first.asRepeat();
    }

    private static Optional<LedgerEntry> find(Jdbc.Handle h, Reason reason, String ref, boolean locking) {
        return h.queryOne(
                "SELECT " + COLUMNS + " FROM quota_ledger WHERE reason = ? AND ref = ?"
                        + (locking ? " FOR UPDATE" : ""),
                QuotaLedger::map,
                reason.id(),
                ref);
    }

    private static LedgerEntry map(ResultSet r) throws SQLException {
        return new LedgerEntry(
                r.getLong("id"),
                r.getLong("user_id"),
                Reason.of(r.getString("reason")),
                r.getString("ref"),
                r.getInt("delta"),
                r.getInt("balance_after"),
                Jdbc.instant(r, "member_expires_after"),
                r.getString("note"),
                Jdbc.instant(r, "created_at"),
                false);
    }

    private static void requireRef(String ref) {
        if (ref == null || ref.isBlank() || ref.length() > MAX_REF) {
            throw new IllegalArgumentException("ref must be 1.." + MAX_REF + " characters");
        }
    }

    private static void requireNonNegative(int v, String name) {
        if (v < 0) {
            throw new IllegalArgumentException(name + " must not be negative");
        }
    }

    private static void requirePositive(int v, String name) {
        if (v <= 0) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
