package com.aiphoto.opsctl.check;

import java.math.BigDecimal;

/**
 * One perfdata value with its unit of measure and thresholds, as monitoring plugins print it:
 * {@code value[UOM];[warn];[crit];[min];[max]} (trailing empty fields left out). A plain number or string in
 * {@link CheckResult#perfdata()} still prints as itself; this is for values a graph should draw limits on.
 *
 * @param unit "" (a count), "s", "ms", "us", "%", "B", "KB", "MB", "GB", "TB" or "c" (a counter)
 * @param warn the warning threshold or range ({@code 10}, {@code 10:} for "below 10 warns"), or null
 */
public record Perf(Number value, String unit, String warn, String crit, Number min, Number max) {
    public Perf {
        unit = unit == null ? "" : unit;
    }

    public static Perf of(Number value, String unit) {
        return new Perf(value, unit, null, null, null, null);
    }

    /** A value that is bad when high: WARNING over {@code warn}, CRITICAL over {@code crit}. */
    public static Perf upTo(Number value, String unit, Number warn, Number crit) {
        return new Perf(value, unit, plain(warn), plain(crit), null, null);
    }

    /** A value that is bad when low (free space, days left): WARNING under {@code warn}, CRITICAL under {@code crit}. */
    public static Perf atLeast(Number value, String unit, Number warn, Number crit) {
        return new Perf(
                value,
                unit,
                warn == null ? null : plain(warn) + ":",
                crit == null ? null : plain(crit) + ":",
                null,
                null);
    }

    public Perf withMin(Number min) {
        return new Perf(value, unit, warn, crit, min, max);
    }

    @Override
    public String toString() {
        String[] fields = {plain(value) + unit, nz(warn), nz(crit), plain(min), plain(max)};
        int last = fields.length - 1;
        while (last > 0 && fields[last].isEmpty()) {
            last--;
        }
        return String.join(";", java.util.Arrays.copyOf(fields, last + 1));
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    /** No exponent, no trailing ".0": perfdata parsers take plain decimals. */
    private static String plain(Number n) {
        if (n == null) {
            return "";
        }
        if (n instanceof Double || n instanceof Float) {
            return BigDecimal.valueOf(n.doubleValue()).stripTrailingZeros().toPlainString();
        }
        return n.toString();
    }
}
