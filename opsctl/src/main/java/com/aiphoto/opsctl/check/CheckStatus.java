package com.aiphoto.opsctl.check;

import java.util.SequencedMap;
import java.util.stream.Collectors;

/** Monitoring-plugin status of a check command; the ordinal order is also the severity order. */
public enum CheckStatus {
    OK(0),
    WARNING(1),
    CRITICAL(2),
    UNKNOWN(3);

    public final int exitCode;

    CheckStatus(int exitCode) {
        this.exitCode = exitCode;
    }

    public static CheckStatus of(int problems, int warnings) {
        return problems > 0 ? CRITICAL : warnings > 0 ? WARNING : OK;
    }

    /** {@code SERVICE STATUS: text | k=v ...}; '|' and line breaks in the text would break the format. */
    String nagiosLine(String service, String text, SequencedMap<String, ?> perfdata) {
        String clean = text.replace('|', '/').replaceAll("\\R", " ");
        String perf = perfdata.entrySet().stream()
                .map(e -> label(e.getKey()) + "=" + e.getValue())
                .collect(Collectors.joining(" "));
        return service + " " + name() + ": " + clean + (perf.isEmpty() ? "" : " | " + perf);
    }

    /** A perfdata label with spaces, '=' or quotes is single-quoted (a quote inside doubled), as plugins do. */
    static String label(String key) {
        return key.matches("[^\\s='|]+") ? key : "'" + key.replace("'", "''") + "'";
    }
}
