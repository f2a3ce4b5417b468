package com.aiphoto.server.payments;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.core.config.ConfigException;
import com.aiphoto.core.config.Settings;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plan table: api.md's defaults, a PLANS override, and overrides refused before they could sell a wrong price. */
class PlansTest {
    @Test
    void defaultsAreTheSpecs() {
        Plans plans = Plans.from(Settings.of(Map.of()));
        assertEquals(
                List.of("monthly", "quarterly", "yearly"),
                plans.all().stream().map(Plan::id).toList());
        Plan q = plans.byId("quarterly").orElseThrow();
        assertEquals(24900, q.amountCents());
        assertEquals(300, q.quota());
        assertEquals(90, q.durationDays());
        Plan y = plans.byId("yearly").orElseThrow();
        assertEquals(89900, y.amountCents());
        assertEquals(1200, y.quota());
        assertTrue(plans.byId("lifetime").isEmpty());
        assertTrue(plans.byId(null).isEmpty());
    }

    @Test
    void plansOverridesTheTable() {
        Plans plans = Plans.from(Settings.of(Map.of(
                "PLANS", "[{\"id\":\"trial\",\"name\":\"Trial\",\"amount\":100,\"quota\":5,\"durationDays\":3}]")));
        assertEquals(List.of(new Plan("trial", "Trial", 100, 5, 3)), plans.all());
        assertTrue(plans.byId("monthly").isEmpty());
    }

    @Test
    void badOverridesAreRefused() {
        for (String bad : List.of(
                "{}",
                "[]",
                "not json",
                "[{\"id\":\"a\",\"name\":\"A\",\"amount\":0,\"quota\":1,\"durationDays\":1}]",
                "[{\"id\":\"a\",\"name\":\"A\",\"amount\":1.5,\"quota\":1,\"durationDays\":1}]",
                "[{\"id\":\"a\",\"name\":\"A\",\"amount\":100,\"quota\":1}]",
                "[{\"id\":\"A b\",\"name\":\"A\",\"amount\":100,\"quota\":1,\"durationDays\":1}]",
                "[{\"id\":\"a\",\"name\":\"A\",\"amount\":100,\"quota\":1,\"durationDays\":1,\"price\":1}]",
                "[{\"id\":\"a\",\"name\":\"A\",\"amount\":100,\"quota\":1,\"durationDays\":1},"
                        + "{\"id\":\"a\",\"name\":\"B\",\"amount\":200,\"quota\":1,\"durationDays\":1}]")) {
            assertThrows(ConfigException.class, () -> Plans.parse(bad), bad);
        }
    }
}
