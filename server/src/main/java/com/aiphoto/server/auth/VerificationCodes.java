package com.aiphoto.server.auth;

import static net.logstash.logback.argument.StructuredArguments.keyValue;

import com.aiphoto.core.crypto.Secrets;
import com.aiphoto.server.platform.ApiException;
import com.aiphoto.server.platform.ClientIp;
import com.aiphoto.server.platform.ErrorCode;
import com.aiphoto.server.platform.kv.KeyValueStore;
import com.aiphoto.server.platform.kv.RateLimiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SMS login codes: 6 CSPRNG digits, stored only as an HMAC (a bare hash of a 6-digit code is reversed in
 * milliseconds), valid 5 minutes, single use, dead after 5 wrong tries. Send limits: one per phone per 60 s,
 * 10 per phone per day, 20 per client IP (IPv6: per /64) per hour, and a budget for all sends per hour and per
 * day that bounds the SMS bill; in Redis they hold across every instance.
 */
final class VerificationCodes {
    static final Duration TTL = Duration.ofMinutes(5);
    static final int MAX_ATTEMPTS = 5;
    private static final Logger LOG = LoggerFactory.getLogger(VerificationCodes.class);
    private static final long ALERT_EVERY_NANOS = Duration.ofMinutes(1).toNanos();

    /** Sends allowed per hour and per day across all phones and addresses. */
    record Budget(int hourly, int daily) {}

    private final KeyValueStore store;
    private final RateLimiter limiter;
    private final SmsSender sms;
    private final byte[] hmacKey;
    private final Budget budget;
    private final AtomicLong lastAlert = new AtomicLong(System.nanoTime() - ALERT_EVERY_NANOS);

    VerificationCodes(KeyValueStore store, RateLimiter limiter, SmsSender sms, byte[] hmacKey, Budget budget) {
        this.store = store;
        this.limiter = limiter;
        this.sms = sms;
        this.hmacKey = hmacKey.clone();
        this.budget = budget;
    }

    /**
     * Only what is sent counts: a refused request gives back the slots it took before the refusal, and a send the
     * provider fails gives back all but the address's (which still bounds retries against a failing provider).
     */
    void send(String phone, String clientIp) {
        String ipKey = "sms:ip-hour:" + ClientIp.limitKey(clientIp);
        List<String> taken = new ArrayList<>();
        try {
            limit(taken, "sms:phone-60s:" + phone, 1, Duration.ofSeconds(60), ErrorCode.CODE_TOO_OFTEN_PHONE);
            limit(taken, "sms:phone-day:" + phone, 10, Duration.ofDays(1), ErrorCode.CODE_TOO_OFTEN_PHONE);
            limit(taken, ipKey, 20, Duration.ofHours(1), ErrorCode.CODE_TOO_OFTEN_IP);
            spend(taken, "sms:all-hour", budget.hourly(), Duration.ofHours(1));
            spend(taken, "sms:all-day", budget.daily(), Duration.ofDays(1));
        } catch (RuntimeException e) {
            taken.forEach(limiter::release);
            throw e;
        }
        String code = Secrets.randomDigits(6);
        try {
            store.put(codeKey(phone), digest(phone, code), TTL);
            store.delete(attemptsKey(phone));
            sms.sendCode(phone, code, (int) TTL.toMinutes());
        } catch (RuntimeException e) {
            store.delete(codeKey(phone));
            taken.stream().filter(k -> !k.equals(ipKey)).forEach(limiter::release);
            throw e;
        }
    }

    /** Consumes the code, or throws 400/2001 (wrong or expired) or 429/2002 (too many wrong tries). */
    void verify(String phone, String code) {
        long attempts = store.increment(attemptsKey(phone), TTL);
        if (attempts > MAX_ATTEMPTS) {
            store.delete(codeKey(phone));
            throw new ApiException(ErrorCode.TOO_MANY_CODE_ATTEMPTS);
        }
        String expected = digest(phone, code);
        Optional<String> stored = store.get(codeKey(phone));
        if (stored.isEmpty() || !Secrets.constantTimeEquals(stored.get(), expected)) {
            if (attempts >= MAX_ATTEMPTS) {
                store.delete(codeKey(phone)); // the fifth wrong try kills the code
            }
            throw new ApiException(ErrorCode.WRONG_CODE);
        }
        // single use: of concurrent requests with the right code only one takes it
        Optional<String> taken = store.getAndDelete(codeKey(phone));
        if (taken.isEmpty() || !Secrets.constantTimeEquals(taken.get(), expected)) {
            throw new ApiException(ErrorCode.WRONG_CODE);
        }
        store.delete(attemptsKey(phone));
    }

    /** Like {@link #limit}, but a spent budget is an operator's problem: it is logged at ERROR (once a minute). */
    private void spend(List<String> taken, String key, int limit, Duration window) {
        try {
            limit(taken, key, limit, window, ErrorCode.RATE_LIMITED);
        } catch (ApiException e) {
            long last = lastAlert.get();
            if (System.nanoTime() - last >= ALERT_EVERY_NANOS && lastAlert.compareAndSet(last, System.nanoTime())) {
                LOG.error(
                        "SMS budget exhausted: {} sends per {} used; login codes are refused until the window "
                                + "ends (raise SMS_HOURLY_BUDGET / SMS_DAILY_BUDGET if this is real traffic)",
                        limit,
                        window,
                        keyValue("event", "sms_budget_exhausted"));
            }
            throw e;
        }
    }

    /** Takes a slot on {@code key} (then listed in {@code taken}), or throws 429 with Retry-After. */
    private void limit(List<String> taken, String key, int limit, Duration window, ErrorCode error) {
        RateLimiter.Decision d = limiter.tryAcquire(key, limit, window);
        if (d.allowed()) {
            taken.add(key);
        } else {
            long seconds = d.retryAfterSeconds();
            throw new ApiException(
                    error,
                    error.defaultMessage() + "; retry in " + seconds + " s",
                    Map.of("Retry-After", Long.toString(seconds)),
                    null);
        }
    }

    private String digest(String phone, String code) {
        return Secrets.hmacSha256Hex(hmacKey, phone + ":" + code);
    }

    private static String codeKey(String phone) {
        return "code:" + phone;
    }

    private static String attemptsKey(String phone) {
        return "code-attempts:" + phone;
    }
}
