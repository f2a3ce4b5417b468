package com.aiphoto.opsctl.logs;

import com.aiphoto.core.config.Units;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.OpsCommand;
import com.aiphoto.opsctl.cli.OpsctlException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads the server's JSON logs in LOG_DIR (combined.log, error.log, access.log and their rolled, compressed
 * parts) in time order and prints them readably, or follows them across rotations. An ERROR line is in both
 * combined.log and error.log; it is printed once.
 */
@Command(
        name = "logs",
        description = {
            "Read the server's logs (combined, error and access, rolled files included) in time order.",
            "One readable line each (-v: with the thread, the other fields and the whole stack trace); --json"
                    + " prints the JSON lines as they are.",
            "TIME is an age (1h, 30m, 2d: that long ago) or ISO: 2026-05-01T10:00:00Z, 2026-05-01T10:00"
                    + " (local time) or 2026-05-01."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:lines printed (with --follow: stopped)",
            "1:no line matched, or a log file could not be read (the error names it)",
            "2:usage error",
            "3:no log directory (LOG_DIR or --dir)"
        })
public final class LogsCommand extends OpsCommand {
    private static final Duration POLL = Duration.ofMillis(200);

    @Option(
            names = "--level",
            paramLabel = "LEVEL",
            description = "Lowest level shown: trace, debug, info, warn, error (default: all).")
    String level;

    @Option(
            names = "--since",
            paramLabel = "TIME",
            converter = TimeConverter.class,
            description = "Only lines at or after TIME.")
    Instant since;

    @Option(
            names = "--until",
            paramLabel = "TIME",
            converter = TimeConverter.class,
            description = "Only lines before TIME.")
    Instant until;

    @Option(
            names = "--request-id",
            paramLabel = "ID",
            description = "Only the lines of one request (its access line included).")
    String requestId;

    @Option(
            names = "--grep",
            paramLabel = "TEXT",
            description = "Only lines whose message, logger or stack trace contains TEXT (case-sensitive).")
    String grep;

    @Option(
            names = {"-f", "--follow"},
            description = "Keep printing new lines as they are written, across rotations, until interrupted;"
                    + " starts at the end unless --since is given.")
    boolean follow;

    @Option(names = "--dir", paramLabel = "DIR", description = "Log directory (default: LOG_DIR).")
    Path dir;

    @Override
    public Integer call() {
        if (follow && until != null) {
            throw new ParameterException(spec.commandLine(), "--follow and --until cannot be combined");
        }
        int minLevel = -1;
        if (level != null) {
            minLevel = LogEntry.level(level);
            if (minLevel < 0) {
                throw new ParameterException(
                        spec.commandLine(), "--level must be one of trace, debug, info, warn, error; got " + level);
            }
        }
        Path logs = dir != null ? dir : Path.of(settings().get("LOG_DIR"));
        if (!Files.isDirectory(logs)) {
            throw new OpsctlException(
                    ExitCode.PRECONDITION,
                    "no log directory " + logs.toAbsolutePath() + (dir != null ? "" : " (LOG_DIR)"));
        }
        LogFilter filter = new LogFilter(minLevel, since, until, requestId, grep);
        LogPrinter printer = new LogPrinter(out(), json(), verbose());
        ErrorDedup dedup = new ErrorDedup();
        try {
            if (!follow) {
                long n = LogMerge.history(logs, filter, dedup, printer, null, err());
                return n > 0 ? ExitCode.OK : ExitCode.FAILED;
            }
            Map<LogSource, LogMerge.Resume> resume;
            if (since != null) {
                resume = new EnumMap<>(LogSource.class);
                LogMerge.history(logs, filter, dedup, printer, resume, err());
            } else {
                resume = LogMerge.atEnd(logs);
            }
            try {
                follow(logs, resume, filter, dedup, printer);
            } catch (ClosedByInterruptException e) {
                // stopped while reading (an embedding caller interrupted the thread): as at the end of a poll
                printer.flush();
            }
            return ExitCode.OK;
        } catch (UncheckedIOException e) {
            throw unreadable(logs, e.getCause());
        } catch (IOException e) {
            throw unreadable(logs, e);
        }
    }

    private static OpsctlException unreadable(Path logs, IOException e) {
        return new OpsctlException(ExitCode.FAILED, "cannot read the logs in " + logs + ": " + e, e);
    }

    /** Polls the three active files until interrupted; each round's new lines are printed in time order. */
    private static void follow(
            Path logs, Map<LogSource, LogMerge.Resume> resume, LogFilter filter, ErrorDedup dedup, LogPrinter printer)
            throws IOException {
        Map<LogSource, TailFile> tails = new EnumMap<>(LogSource.class);
        Map<LogSource, Instant> lastTime = new EnumMap<>(LogSource.class);
        try {
            for (LogSource s : LogSource.values()) {
                LogMerge.Resume r = resume.get(s);
                tails.put(
                        s,
                        new TailFile(
                                s.active(logs),
                                () -> s.rolled(logs),
                                r == null ? null : r.opened(),
                                r == null ? 0 : r.offset()));
                lastTime.put(s, Instant.EPOCH);
            }
            while (!Thread.currentThread().isInterrupted()) {
                List<LogEntry> batch = new ArrayList<>();
                for (LogSource s : LogSource.values()) {
                    for (String line : tails.get(s).poll()) {
                        if (!line.isBlank()) {
                            LogEntry e = LogEntry.parse(line, s, lastTime.get(s));
                            lastTime.put(s, e.time());
                            batch.add(e);
                        }
                    }
                }
                batch.sort(LogMerge.ORDER); // stable: each file's own order is kept for equal times
                for (LogEntry e : batch) {
                    if (filter.test(e) && !dedup.duplicate(e)) {
                        printer.print(e);
                    }
                }
                printer.flush();
                try {
                    Thread.sleep(POLL);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        } finally {
            for (TailFile t : tails.values()) {
                t.close();
            }
        }
    }

    /** "1h" (that long ago) or an ISO instant, local date-time or date. */
    static final class TimeConverter implements ITypeConverter<Instant> {
        @Override
        public Instant convert(String value) {
            String v = value.strip();
            var ago = Units.duration(v);
            if (ago.isPresent()) {
                return Instant.now().minus(ago.get());
            }
            String iso = v.length() > 10 && v.charAt(10) == ' ' ? v.substring(0, 10) + "T" + v.substring(11) : v;
            try {
                return OffsetDateTime.parse(iso).toInstant();
            } catch (DateTimeParseException e) {
                // no offset: local time below
            }
            try {
                return iso.toUpperCase(Locale.ROOT).endsWith("Z")
                        ? Instant.parse(iso)
                        : LocalDateTime.parse(iso)
                                .atZone(ZoneId.systemDefault())
                                .toInstant();
            } catch (DateTimeParseException e) {
                // a date alone below
            }
            try {
                return LocalDate.parse(iso).atStartOfDay(ZoneId.systemDefault()).toInstant();
            } catch (DateTimeParseException e) {
                throw new TypeConversionException(
                        "'" + value + "' is not a time (e.g. 1h, 30m, 2026-05-01T10:00:00Z, 2026-05-01)");
            }
        }
    }
}
