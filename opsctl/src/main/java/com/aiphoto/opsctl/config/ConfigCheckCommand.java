package com.aiphoto.opsctl.config;

import com.aiphoto.core.config.ConfigCheck;
import com.aiphoto.core.config.ConfigException;
import com.aiphoto.core.config.Redactor;
import com.aiphoto.core.config.Settings;
import com.aiphoto.core.db.DatabaseServer;
import com.aiphoto.core.db.DatabaseSettings;
import com.aiphoto.opsctl.check.CheckCommand;
import com.aiphoto.opsctl.check.CheckResult;
import com.aiphoto.opsctl.check.CheckStatus;
import com.aiphoto.opsctl.cli.FileModes;
import com.aiphoto.opsctl.cli.Format;
import com.aiphoto.opsctl.cli.OpsDatabase;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;

/**
 * Validates the configuration the server would load: {@link ConfigCheck} plus what only makes sense on the
 * host opsctl runs on (file permissions, referenced files). A check command: monitoring-plugin exit codes.
 */
@Command(
        name = "check",
        description = "Validate the configuration the server would load; lists every problem.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:OK",
            "1:WARNING, warnings only",
            "2:CRITICAL, problems the server would refuse",
            "3:UNKNOWN, the configuration could not be read"
        })
final class ConfigCheckCommand extends CheckCommand {
    /** Settings naming files that must exist when set. */
    private static final List<String> REFERENCED_FILES =
            List.of("WECHAT_CERT_PATH", "WECHAT_PLATFORM_CERT_PATH", "ACME_TRUST_STORE");
    /** Of those, the private keys, which must also be private to their owner. */
    private static final List<String> KEY_FILES = List.of("WECHAT_CERT_PATH");

    /**
     * What the check found (also the --json document); envFile and appEnv are null when unknown, database when no
     * database is configured or it did not answer.
     */
    record Result(
            CheckStatus status,
            List<String> problems,
            List<String> warnings,
            Path envFile,
            String appEnv,
            String database) {
        static Result of(List<String> problems, List<String> warnings, Path envFile, String appEnv, String database) {
            return new Result(
                    CheckStatus.of(problems.size(), warnings.size()), problems, warnings, envFile, appEnv, database);
        }
    }

    /** The env file's mode is one of the problems this check lists, not a reason not to run. */
    @Override
    protected boolean reportsEnvFileMode() {
        return true;
    }

    @Override
    protected String service() {
        return "CONFIG";
    }

    @Override
    protected CheckResult check() {
        Settings settings = settings();
        return render(redact(check(settings), Redactor.of(settings)));
    }

    /** The configuration could not be read: its problems, as UNKNOWN. */
    @Override
    protected CheckResult unknown(String why, Exception e) {
        List<String> problems = e instanceof ConfigException c ? c.problems() : List.of(why);
        return render(new Result(CheckStatus.UNKNOWN, problems, List.of(), null, null, null));
    }

    private static CheckResult render(Result r) {
        List<String> details = new ArrayList<>();
        r.problems().forEach(p -> details.add("problem: " + p));
        r.warnings().forEach(w -> details.add("warning: " + w));
        if (r.database() != null) {
            details.add("database: " + r.database());
        }
        return new CheckResult(
                r.status(),
                summary(r, true),
                summary(r, false) + " (APP_ENV=" + r.appEnv() + ", env file: "
                        + (r.envFile() == null ? "none" : r.envFile()) + ")",
                CheckResult.perf(
                        "problems",
                        r.problems().size(),
                        "warnings",
                        r.warnings().size()),
                details,
                r);
    }

    static Result check(Settings settings) {
        ConfigCheck.Report report = ConfigCheck.check(settings);
        List<String> problems = new ArrayList<>(report.problems());
        List<String> warnings = new ArrayList<>(report.warnings());
        // a readable secret file is a warning on a workstation and a problem in production, like weak secrets
        List<String> strict = settings.isProduction() ? problems : warnings;
        Path envFile = settings.envFile().orElse(null);
        if (envFile != null) {
            privateFile("env file " + envFile, envFile, strict);
        }
        for (String key : REFERENCED_FILES) {
            settings.find(key).map(Path::of).ifPresent(file -> {
                if (!Files.isRegularFile(file)) {
                    problems.add(key + " names a file that does not exist: " + file);
                } else if (KEY_FILES.contains(key)) {
                    privateFile(key + " (" + file + ")", file, strict);
                }
            });
        }
        String database = problems.isEmpty() ? database(settings, warnings) : null;
        return Result.of(problems, warnings, envFile, settings.find("APP_ENV").orElse(null), database);
    }

    /**
     * When a database is configured, asks it what it is, and warns when DB_DRIVER does not suit it (mysql-connector-j
     * truncates MariaDB's fractional seconds). Whether it answers at all is {@code health}'s business, not a
     * configuration problem: then only the detail line says so.
     */
    private static String database(Settings settings, List<String> warnings) {
        if (settings.find("DB_HOST").isEmpty()) {
            return null;
        }
        DatabaseSettings db = DatabaseSettings.from(settings);
        // one plain connection: a pool would add its own retries to an unreachable host's wait
        try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password())) {
            DatabaseServer server = DatabaseServer.inspect(c, db.driver());
            server.driverMismatch().ifPresent(warnings::add);
            return server.product() + " " + server.version() + " through "
                    + db.driver().name().toLowerCase(Locale.ROOT) + " driver";
        } catch (SQLException | RuntimeException e) {
            return "not reached (" + OpsDatabase.rootCause(e) + "); DB_DRIVER not checked against the server";
        }
    }

    private static void privateFile(String what, Path file, List<String> out) {
        try {
            FileModes.tooOpen(file)
                    .ifPresent(mode -> out.add(
                            what + " is readable by group or others (mode " + mode + "); run: chmod 600 " + file));
        } catch (IOException e) {
            out.add("cannot read the permissions of " + what + ": " + e.getMessage());
        }
    }

    private static Result redact(Result r, Redactor redactor) {
        return new Result(
                r.status(),
                r.problems().stream().map(redactor::redact).toList(),
                r.warnings().stream().map(redactor::redact).toList(),
                r.envFile(),
                r.appEnv(),
                r.database() == null ? null : redactor.redact(r.database()));
    }

    /** "2 problems, 1 warning", with the first finding appended for one-line (monitoring) output. */
    private static String summary(Result r, boolean withFirst) {
        String counts = Format.plural(r.problems().size(), "problem") + ", "
                + Format.plural(r.warnings().size(), "warning");
        List<String> all = new ArrayList<>(r.problems());
        all.addAll(r.warnings());
        return withFirst && !all.isEmpty() ? counts + "; " + all.getFirst() : counts;
    }
}
