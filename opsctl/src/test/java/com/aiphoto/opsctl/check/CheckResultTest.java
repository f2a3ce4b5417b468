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
}
