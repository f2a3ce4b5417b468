package com.aiphoto.opsctl.config;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

import com.aiphoto.core.config.ConfigCheck;
import com.aiphoto.core.config.ConfigException;
import com.aiphoto.core.config.Settings;
import com.aiphoto.opsctl.check.CheckStatus;
import com.aiphoto.opsctl.check.NagiosOption;
import com.aiphoto.opsctl.cli.Json;
import com.aiphoto.opsctl.cli.OpsCommand;
import com.aiphoto.opsctl.cli.Redactor;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Validates the configuration the server would load: {@link ConfigCheck} plus what only makes sense on the
 * host opsctl runs on (file permissions, referenced files). A check command: monitoring-plugin exit codes.
 */
@Command(name = "check", description = "Validate the configuration the server would load; lists every problem.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:OK", "1:WARNING, warnings only", "2:CRITICAL, problems the server would refuse",
                "3:UNKNOWN, the configuration could not be read"})
final class ConfigCheckCommand extends OpsCommand {
    /** Settings naming files that must exist when set. */
    private static final List<String> REFERENCED_FILES =
            List.of("WECHAT_CERT_PATH", "WECHAT_PLATFORM_CERT_PATH", "ACME_TRUST_STORE");
    /** Of those, the private keys, which must also be private to their owner. */
    private static final List<String> KEY_FILES = List.of("WECHAT_CERT_PATH");

    @Mixin
    NagiosOption nagiosOption;

    /** What the check found; envFile and appEnv are null when unknown. */
    record Result(CheckStatus status, List<String> problems, List<String> warnings, Path envFile, String appEnv) {
        static Result of(List<String> problems, List<String> warnings, Path envFile, String appEnv) {
            return new Result(CheckStatus.of(problems.size(), warnings.size()), problems, warnings, envFile, appEnv);
        }
    }

    @Override
    public Integer call() {
        boolean json = json();
        boolean nagios = nagiosOption.on(spec, json());
        Result result;
        try {
            Settings settings = settings();
            result = redact(check(settings), Redactor.of(settings));
        } catch (ConfigException e) {
            if (!json && !nagios) {
                throw e; // the error handler reports it; machine output must still be one document
            }
            result = new Result(CheckStatus.UNKNOWN, e.problems(), List.of(), null, null);
        }
        PrintWriter out = out();
        if (json) {
            out.println(Json.write(toMap(result)));
        } else if (nagios) {
            SequencedMap<String, Integer> perfdata = new LinkedHashMap<>();
            perfdata.put("problems", result.problems().size());
            perfdata.put("warnings", result.warnings().size());
            out.println(result.status().nagiosLine("CONFIG", summary(result, true), perfdata));
        } else {
            printHuman(out, result, quiet());
        }
        return result.status().exitCode;
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
        return Result.of(problems, warnings, envFile, settings.find("APP_ENV").orElse(null));
    }

    private static void privateFile(String what, Path file, List<String> out) {
        try {
            FileModes.tooOpen(file).ifPresent(mode -> out.add(
                    what + " is readable by group or others (mode " + mode + "); run: chmod 600 " + file));
        } catch (IOException e) {
            out.add("cannot read the permissions of " + what + ": " + e.getMessage());
        }
    }

    private static Result redact(Result r, Redactor redactor) {
        return new Result(r.status(), r.problems().stream().map(redactor::redact).toList(),
                r.warnings().stream().map(redactor::redact).toList(), r.envFile(), r.appEnv());
    }

    private static Map<String, Object> toMap(Result r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", r.status().name());
        m.put("problems", r.problems());
        m.put("warnings", r.warnings());
        m.put("envFile", r.envFile() == null ? null : r.envFile().toString());
        m.put("appEnv", r.appEnv());
        return m;
    }

    private static void printHuman(PrintWriter out, Result r, boolean quiet) {
        if (!quiet) {
            r.problems().forEach(p -> out.println("problem: " + p));
            r.warnings().forEach(w -> out.println("warning: " + w));
        }
        out.println("config " + r.status().name() + ": " + summary(r, false)
                + " (APP_ENV=" + r.appEnv() + ", env file: " + (r.envFile() == null ? "none" : r.envFile()) + ")");
    }

    /** "2 problems, 1 warning", with the first finding appended for one-line (monitoring) output. */
    private static String summary(Result r, boolean withFirst) {
        String counts = count(r.problems().size(), "problem") + ", " + count(r.warnings().size(), "warning");
        List<String> all = new ArrayList<>(r.problems());
        all.addAll(r.warnings());
        return withFirst && !all.isEmpty() ? counts + "; " + all.getFirst() : counts;
    }

    private static String count(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
