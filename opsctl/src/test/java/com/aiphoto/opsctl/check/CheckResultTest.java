package com.aiphoto.opsctl.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CheckResultTest {
    @Test
    void perfdataKeepsOrderAndLeavesOutNulls() {
        assertEquals(
                List.of("age", "backups"),
                List.copyOf(CheckResult.perf("age", "60s", "verified_age", null, "backups", 2)
                        .keySet()));
    }

    @Test
    void nagiosLineCannotBeBrokenByTheText() {
        assertEquals(
                "DB CRITICAL: a / b c | bad=1",
                CheckStatus.CRITICAL.nagiosLine("DB", "a | b\nc", CheckResult.perf("bad", 1)));
        assertEquals("DB OK: fine", CheckStatus.OK.nagiosLine("DB", "fine", CheckResult.perf()));
    }

    @Test
    void statusFollowsTheWorstFinding() {
        assertEquals(CheckStatus.CRITICAL, CheckStatus.of(1, 5));
        assertEquals(CheckStatus.WARNING, CheckStatus.of(0, 1));
        assertEquals(CheckStatus.OK, CheckStatus.of(0, 0));
    }

    @Test
    void perfdataCarriesUnitsAndThresholdsInThePluginFormat() {
        assertEquals("12ms;1000;3000", Perf.upTo(12, "ms", 1000, 3000).toString());
        assertEquals("5;21:;7:", Perf.atLeast(5, "", 21, 7).toString(), "low is bad: a range 'N:'");
        assertEquals("1024B;;;0", Perf.of(1024, "B").withMin(0).toString(), "empty fields kept before a set one");
        assertEquals("0.25s", Perf.of(0.25, "s").toString());
        assertEquals("3", Perf.of(3, null).toString());
        assertEquals(
                "HEALTH OK: fine | api=12ms;1000;3000 'free disk'=1B 'it''s'=1",
                CheckStatus.OK.nagiosLine(
                        "HEALTH",
                        "fine",
                        CheckResult.perf("api", Perf.upTo(12, "ms", 1000, 3000), "free disk", "1B", "it's", 1)));
    }
}
