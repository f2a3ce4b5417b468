package com.aiphoto.opsctl.health;

import com.aiphoto.core.config.Settings;
import com.aiphoto.opsctl.check.CheckCommand;
import com.aiphoto.opsctl.check.CheckResult;
import com.aiphoto.opsctl.check.CheckStatus;
import com.aiphoto.opsctl.cli.AtomicFile;
import com.aiphoto.opsctl.cli.DurationConverter;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.Format;
import com.aiphoto.opsctl.cli.OpsctlException;
import com.aiphoto.opsctl.health.Observation.State;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Every check of a running installation, each with its status and figure, run in parallel under one deadline:
 * the API's {@code /health}, readiness on the admin port, the database (connect time, pending migrations,
 * scheduler backlog), Redis, free disk, certificates, backups. {@code --wait} repeats the round until nothing
 * fails or the time is up, for deploy scripts.
 */
@Command(
        name = "health",
        description = {
            "Check command: /health, readiness, database connect and pending migrations, scheduler backlog, Redis,"
                    + " free disk for logs, data and backups, certificate days left, last (verified) backup age.",
            "Checks that cannot run here (nothing configured) are skipped, not failed."
        },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:OK, every check passes (or is skipped)",
            "1:WARNING, a check warns (pending migrations, Redis down, a certificate under 21 days, ...)",
            "2:CRITICAL, a check fails (the server or its database down, disk under DISK_MIN_FREE, ...)",
            "3:UNKNOWN, the configuration cannot be read or an option is wrong"
        })
public final class HealthCommand extends CheckCommand {
    @Option(
            names = "--url",
            paramLabel = "URL",
            description = "The API's base URL; /health is asked there (default: http://127.0.0.1:PORT).")
    String url;

    @Option(
            names = "--admin-url",
            paramLabel = "URL",
            description = "The admin port's base URL; /observe/health/ready is asked there"
                    + " (default: http://ADMIN_HOST:ADMIN_PORT).")
    String adminUrl;

    @Option(
            names = "--wait",
            paramLabel = "DURATION",
            converter = DurationConverter.class,
            description = "Repeat until no check fails or DURATION has passed (e.g. 60s); the last failure is printed.")
    Duration wait;

    @Option(
            names = "--timeout",
            paramLabel = "DURATION",
            defaultValue = "5s",
            converter = DurationConverter.class,
            description =
                    "Deadline of one round of checks; a check still running then fails (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(
            names = "--changes-only",
            paramLabel = "FILE",
            description = "Print the result only when its status differs from the one recorded in FILE, then record"
                    + " it (for timers: each change of state is logged once); the exit code is the same either way.")
    Path changesOnly;

    @Override
    protected String service() {
        return "HEALTH";
    }

    @Override
    protected boolean report(CheckResult result) {
        if (changesOnly == null) {
            return true;
        }
        String now = result.status().name();
        String before;
        try {
            before = Files.exists(changesOnly)
                    ? Files.readString(changesOnly, StandardCharsets.UTF_8).strip()
                    : "";
        } catch (IOException e) {
            before = ""; // unreadable: report, and try to record afresh
        }
        if (now.equals(before)) {
            return false;
        }
        try {
            AtomicFile.write(changesOnly, (now + "\n").getBytes(StandardCharsets.UTF_8), "rw-r--r--");
        } catch (IOException e) {
            err().println("opsctl: health: cannot record the state in " + changesOnly + ": " + e.getMessage());
        }
        return true;
    }

    /** No check could be made (the configuration cannot be read): still a health+json document, failing. */
    @Override
    protected CheckResult unknown(String why, Exception e) {
        return new CheckResult(
                CheckStatus.UNKNOWN,
                why,
                why,
                CheckResult.perf(),
                List.of(),
                new HealthReport.Document(State.FAIL, "ai-photo health (opsctl): " + why, Map.of()));
    }

    @Override
    protected CheckResult check() {
        Settings s = settings();
        List<Probe> probes = probes(s);
        if (wait == null) {
            return new HealthReport(inOrder(HealthRun.run(probes, timeout))).result();
        }
        HealthReport report = HealthRun.untilNotFailing(probes, timeout, wait, (left, problem) -> {
            if (!quiet()) {
                err().println("opsctl: health: waiting (" + Format.age(left) + " left): " + problem);
                err().flush();
            }
        });
        report = new HealthReport(inOrder(report.observations()));
        if (report.state() == State.FAIL) {
            err().println("opsctl: health: still failing after " + Format.age(wait) + ": " + report.summary());
        }
        return report.result();
    }

    /** Components together whatever probe measured them (the scheduler table is read on the database probe's connection). */
    private static final List<String> ORDER = List.of(
            ServerProbes.API,
            ServerProbes.READINESS,
            DatabaseProbes.CONNECT,
            DatabaseProbes.MIGRATIONS,
            DatabaseProbes.BACKLOG,
            RedisProbe.PING);

    private static List<Observation> inOrder(List<Observation> found) {
        return found.stream()
                .sorted(java.util.Comparator.comparingInt(
                        o -> ORDER.contains(o.key()) ? ORDER.indexOf(o.key()) : ORDER.size()))
                .toList();
    }

    private List<Probe> probes(Settings s) {
        Duration http = timeout.compareTo(Duration.ofSeconds(4)) > 0 ? Duration.ofSeconds(4) : timeout;
        return List.of(
                ServerProbes.api(endpoint(url, "http://127.0.0.1:" + s.integer("PORT"), "/health", "--url"), http),
                ServerProbes.readiness(
                        endpoint(
                                adminUrl,
                                "http://" + local(s.get("ADMIN_HOST")) + ":" + s.integer("ADMIN_PORT"),
                                "/observe/health/ready",
                                "--admin-url"),
                        http),
                DatabaseProbes.connect(s),
                DatabaseProbes.migrations(s, this::openDatabase),
                RedisProbe.probe(s, http),
                DiskProbe.probe(s),
                CertificateProbe.probe(s),
                BackupProbe.probe(s));
    }

    /** A wildcard bind address is asked on loopback. */
    private static String local(String host) {
        return host.equals("0.0.0.0") || host.equals("::") || host.isBlank()
                ? "127.0.0.1"
                : host.contains(":") ? "[" + host + "]" : host;
    }

    /** {@code base} (or {@code fallback}) with {@code path} appended unless it already ends with it. */
    private static URI endpoint(String base, String fallback, String path, String option) {
        String b = base == null ? fallback : base.strip();
        String u = b.endsWith(path) ? b : b.replaceAll("/+$", "") + path;
        try {
            URI uri = URI.create(u);
            if (uri.getHost() == null || !(u.startsWith("http://") || u.startsWith("https://"))) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new OpsctlException(ExitCode.USAGE, option + " " + b + ": " + e.getMessage());
        }
    }
}
