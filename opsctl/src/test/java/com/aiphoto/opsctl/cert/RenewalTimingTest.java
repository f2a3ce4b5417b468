package com.aiphoto.opsctl.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The renewal rule without ARI (a third of the lifetime or 30 days left, whichever comes first) and the back-off. */
class RenewalTimingTest {
    private static Instant due(Duration lifetime) {
        KeyPair k = KeyType.EC256.generate();
        Instant from = Instant.parse("2026-01-01T00:00:00Z");
        return Renewal.fallbackDue(
                SelfSigned.issue(k, "CN=a", k, "CN=a", List.of("a.test"), false, from, from.plus(lifetime)));
    }

    @Test
    void aThirdOfTheLifetimeOr30DaysWhicheverIsEarlier() {
        Instant from = Instant.parse("2026-01-01T00:00:00Z");
        assertEquals(from.plus(Duration.ofDays(60)), due(Duration.ofDays(90)));
        assertEquals(from.plus(Duration.ofDays(240)), due(Duration.ofDays(360)));
        assertEquals(from.minus(Duration.ofDays(23)), due(Duration.ofDays(7)), "a 7-day certificate is always due");
    }

    @Test
    void backOffDoublesFromAnHourToADay() {
        assertEquals(Duration.ofHours(1), AcmeState.Cert.backoff(1));
        assertEquals(Duration.ofHours(2), AcmeState.Cert.backoff(2));
        assertEquals(Duration.ofHours(16), AcmeState.Cert.backoff(5));
        assertEquals(Duration.ofDays(1), AcmeState.Cert.backoff(6));
        assertEquals(Duration.ofDays(1), AcmeState.Cert.backoff(40));
    }
}
