package com.aiphoto.opsctl.cli;

import com.aiphoto.core.config.Units;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** "60s", "5m", "2h", "7d", or a bare number of seconds. */
public final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        String v = value.strip();
        if (v.matches("\\d+")) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        return Units.duration(v)
                .orElseThrow(
                        () -> new TypeConversionException("'" + value + "' is not a duration (e.g. 60s, 5m, 26h, 7d)"));
    }
}
