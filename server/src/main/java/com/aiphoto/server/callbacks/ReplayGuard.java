package com.aiphoto.server.callbacks;

import java.time.Instant;

/**
 * Remembers the signatures of accepted callbacks for as long as they could be presented again (until their
 * timestamp leaves the skew window), for every instance: in Redis when it is configured, else in the
 * {@code callback_replays} table.
 */
interface ReplayGuard {
    /** True the first time {@code signature} (lowercase hex) is seen, which it then is until {@code until}. */
    boolean firstSeen(String signature, Instant until);

    /** Forgets {@code signature}: its callback was not processed (our failure), so the worker may send it again. */
    void forget(String signature);
}
