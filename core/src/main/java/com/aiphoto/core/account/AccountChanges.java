package com.aiphoto.core.account;

/**
 * Told, after the write has committed, that something an authenticated request reads about a user changed (role,
 * quota balance, membership, password). The server caches user rows for a moment and evicts on this signal, in
 * process and across instances; opsctl publishes it on the same Redis channel. Every writer of {@code users} (and
 * of the ledger, which writes the balance) calls it; it never throws.
 */
@FunctionalInterface
public interface AccountChanges {
    /** For writers with no cache to tell (tests with no server, tools that run without one). */
    AccountChanges NONE = userId -> {};

    /**
     * The wake-up topic the server and opsctl share: the Redis channel is {@code <REDIS_PREFIX>:wake:account}, the
     * message the user id in decimal, or {@link #EVERYONE}.
     */
    String TOPIC = "account";

    /** The message that evicts every cached user (a bulk change). */
    String EVERYONE = "*";

    void changed(long userId);
}
