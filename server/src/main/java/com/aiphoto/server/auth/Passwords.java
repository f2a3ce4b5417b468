package com.aiphoto.server.auth;

import com.aiphoto.core.crypto.Secrets;
import com.aiphoto.server.platform.ApiException;
import com.aiphoto.server.platform.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * bcrypt password hashes. bcrypt reads at most 72 bytes, so longer passwords are refused rather than cut. At most
 * {@code maxConcurrent} hashes run at once (each holds a core for ~0.1 s at cost 11): a flood of logins then
 * queues briefly and is refused with 429/4029 instead of starving every other request of CPU.
 */
final class Passwords {
    static final int MIN_LENGTH = 8;
    static final int MAX_LENGTH = 72;

    private final int cost;
    private final Semaphore permits;
    private final Duration maxWait;
    /**
     * Compared against when the account has no password, so "no such user" costs the same time as a wrong one.
     * Made on first use: a bcrypt hash at start-up would slow every start for nothing.
     */
    private volatile String dummyHash;

    public Passwords(int cost) {
        this(cost, Runtime.getRuntime().availableProcessors(), Duration.ofSeconds(2));
    }

    /** @param maxWait how long a hash waits for one of the {@code maxConcurrent} slots before 429/4029 */
    Passwords(int cost, int maxConcurrent, Duration maxWait) {
        this.cost = cost;
        this.permits = new Semaphore(maxConcurrent);
        this.maxWait = maxWait;
    }

    private String dummyHash() {
        String h = dummyHash;
        if (h == null) {
            h = generate(Secrets.randomToken(16)); // already inside bounded(): not hash()
            dummyHash = h;
        }
        return h;
    }

    /** 400/2000 unless 8..72 characters, well-formed UTF-16 and at most 72 bytes in UTF-8. */
    public static void validate(String password, String field) {
        if (password == null || password.length() < MIN_LENGTH || password.length() > MAX_LENGTH || !usable(password)) {
            throw new ApiException(
                    ErrorCode.AUTH_VALIDATION, field + " must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters");
        }
    }

    public String hash(String password) {
        return bounded(() -> generate(password));
    }

    private String generate(String password) {
        return OpenBSDBCrypt.generate("2b", password.toCharArray(), Secrets.randomBytes(16), cost);
    }

    /** Constant work whether or not {@code hash} is null. */
    public boolean matches(String password, String hash) {
        if (password == null || password.isEmpty() || !usable(password)) {
            bounded(() -> OpenBSDBCrypt.checkPassword(dummyHash(), "x".toCharArray()));
            return false;
        }
        boolean ok =
                bounded(() -> OpenBSDBCrypt.checkPassword(hash == null ? dummyHash() : hash, password.toCharArray()));
        return ok && hash != null;
    }

    private <T> T bounded(Supplier<T> work) {
        boolean acquired;
        try {
            acquired = permits.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            acquired = false;
        }
        if (!acquired) {
            throw new ApiException(
                    ErrorCode.RATE_LIMITED,
                    "too many logins at once; retry in a moment",
                    Map.of("Retry-After", "1"),
                    null);
        }
        try {
            return work.get();
        } finally {
            permits.release();
        }
    }

    /**
     * bcrypt can take it: no lone surrogate (BouncyCastle's UTF-8 encoder throws on one, and getBytes would
     * silently turn it into '?') and at most 72 bytes.
     */
    private static boolean usable(String password) {
        return StandardCharsets.UTF_8.newEncoder().canEncode(password)
                && password.getBytes(StandardCharsets.UTF_8).length <= MAX_LENGTH;
    }
}
