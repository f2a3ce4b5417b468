package com.aiphoto.opsctl.check;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.SequencedMap;

/**
 * What a check command found, in the form every output needs: the status, a one-line summary (the monitoring
 * line's text), perfdata, the detail lines a human sees above the summary, and the typed document --json
 * prints. {@code humanSummary} is the human last line's text when it says more than the monitoring one.
 */
public record CheckResult(
        CheckStatus status,
        String summary,
        String humanSummary,
        SequencedMap<String, Object> perfdata,
        List<String> details,
        Object document) {
    public CheckResult {
        perfdata = new LinkedHashMap<>(perfdata);
        details = List.copyOf(details);
    }

    /** Perfdata in the order given: {@code "k1", v1, "k2", v2, ...}; null values are left out. */
    public static SequencedMap<String, Object> perf(Object... keysAndValues) {
        SequencedMap<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i + 1] != null) {
                m.put((String) keysAndValues[i], keysAndValues[i + 1]);
            }
        }
        return m;
    }
}
