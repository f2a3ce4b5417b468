package com.aiphoto.opsctl.check;

import com.aiphoto.core.config.ConfigException;
import com.aiphoto.core.db.MigrationException;
import com.aiphoto.opsctl.cli.Json;
import com.aiphoto.opsctl.cli.OpsCommand;
import com.aiphoto.opsctl.cli.OpsctlException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Base of the check commands (config check, db status, backup status; later health, cert status): a command
 * computes a {@link CheckResult}, and this class renders it as the human summary, the --json document or the
 * --nagios line, and exits with the monitoring-plugin code of its status. When the check cannot be made
 * (no configuration, no database), machine output is still one UNKNOWN document or line; a human gets the
 * error on stderr with exit 3.
 */
@Command(exitCodeOnInvalidInput = 3) // CheckStatus.UNKNOWN: a usage error is no check result
public abstract class CheckCommand extends OpsCommand {
    @Mixin
    NagiosOption nagiosOption;

    /** The monitoring service name, e.g. "DB"; its lower-case form starts the human summary line. */
    protected abstract String service();

    /** Runs the check. A ConfigException, MigrationException or OpsctlException means UNKNOWN. */
    protected abstract CheckResult check();

    /**
     * The result when the check could not be made, for machine output; {@code why} is the one-line reason.
     * By default the reason, no perfdata, and {@code {"status":"UNKNOWN","error":why}}.
     */
    protected CheckResult unknown(String why, Exception e) {
        return new CheckResult(
                CheckStatus.UNKNOWN, why, why, CheckResult.perf(), List.of(), new Unknown(CheckStatus.UNKNOWN, why));
    }

    /** Whether to print this result (the exit code is returned either way); a command may print only changes. */
    protected boolean report(CheckResult result) {
        return true;
    }

    /** The default UNKNOWN document. */
    record Unknown(CheckStatus status, String error) {}

    @Override
    public final Integer call() {
        boolean json = json();
        boolean nagios = nagiosOption.on(spec, json);
        CheckResult result;
        try {
            result = check();
        } catch (OpsctlException | MigrationException | ConfigException e) {
            if (!json && !nagios) {
                // the error handler prints it; a failure to connect or a bad option is UNKNOWN (3)
                throw e instanceof OpsctlException o && o.exitCode() != CheckStatus.UNKNOWN.exitCode
                        ? new OpsctlException(CheckStatus.UNKNOWN.exitCode, o.getMessage(), o)
                        : e;
            }
            String why = e instanceof ConfigException c ? String.join("; ", c.problems()) : e.getMessage();
            result = unknown(why, e);
        }
        PrintWriter out = out();
        if (!report(result)) {
            return result.status().exitCode;
        }
        if (json) {
            out.println(Json.write(result.document()));
        } else if (nagios) {
            out.println(result.status().nagiosLine(service(), result.summary(), result.perfdata()));
        } else {
            if (!quiet()) {
                result.details().forEach(out::println);
            }
            out.println(
                    service().toLowerCase(Locale.ROOT) + " " + result.status().name() + ": " + result.humanSummary());
        }
        return result.status().exitCode;
    }
}
