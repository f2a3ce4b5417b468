package com.aiphoto.opsctl.db;

import com.aiphoto.opsctl.cli.DurationConverter;
import java.time.Duration;
import picocli.CommandLine.Option;

/** --wait for the commands that take the migration lock. */
final class WaitOption {
    @Option(
            names = "--wait",
            paramLabel = "DURATION",
            defaultValue = "60s",
            converter = DurationConverter.class,
            description = "How long to wait for another migrator's lock (default: ${DEFAULT-VALUE}).")
    Duration wait;
}
