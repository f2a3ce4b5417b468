package com.aiphoto.opsctl.cert;

import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.Json;
import com.aiphoto.opsctl.cli.OpsctlException;
import java.io.PrintWriter;
import java.util.List;

/**
 * The one renderer of {@link Outcome}s for cert init, renew and install: a summary line per certificate
 * (stdout; a failure is one line on stderr), or with --json one {@link Document} on stdout, success or failure.
 */
final class CertReport {
    private CertReport() {}

    /** --json of cert init, renew and install: {@code ok} is false when any certificate failed. */
    record Document(boolean ok, List<Outcome> certificates) {
        static Document of(List<Outcome> outcomes) {
            return new Document(outcomes.stream().allMatch(Outcome::ok), List.copyOf(outcomes));
        }
    }

    /** The summary line of a certificate that did not fail. */
    static String line(Outcome o) {
        String head = "cert " + o.name() + ": ";
        return switch (o.result()) {
            case NOT_DUE -> head + "not due, " + o.detail();
            case WOULD_RENEW -> head + "due (" + o.detail() + "); would renew";
            case WOULD_INIT -> head + o.result().words + " " + String.join(",", o.domains());
            case FAILED -> head + o.error();
            case RENEWED, INSTALLED, WOULD_INSTALL ->
                head + o.result().words + ", serial " + o.serial() + ", names " + String.join(",", o.domains())
                        + ", expires " + o.notAfter() + " (" + o.daysLeft() + " days)"
                        + (o.detail() == null ? "" : " (" + o.detail() + ")");
        };
    }

    /**
     * Prints the outcomes of a run that went through every certificate and returns its exit code: 0, or 1 when
     * one failed. A failure's line goes to stderr as {@code opsctl: cert NAME: <failedWhat>: <error>}, also
     * under --json (whose document is then the only thing on stdout).
     */
    static int print(PrintWriter out, PrintWriter err, boolean json, List<Outcome> outcomes, String failedWhat) {
        for (Outcome o : outcomes) {
            if (!o.ok()) {
                err.println("opsctl: cert " + o.name() + ": " + failedWhat + ": " + o.error());
            } else if (!json) {
                out.println(line(o));
            }
        }
        if (json) {
            out.println(Json.write(Document.of(outcomes)));
        }
        return outcomes.stream().allMatch(Outcome::ok) ? ExitCode.OK : ExitCode.FAILED;
    }

    /** Prints one successful outcome (line or document); exit 0. */
    static int print(PrintWriter out, boolean json, Outcome o) {
        out.println(json ? Json.write(Document.of(List.of(o))) : line(o));
        return ExitCode.OK;
    }

    /**
     * A failure of a single-certificate command: the error handler prints {@code message} as the one stderr line
     * and, under --json, the document with this certificate failed.
     */
    static OpsctlException failure(int exitCode, String name, String message, String error, Throwable cause) {
        return new OpsctlException(exitCode, message, cause, new Document(false, List.of(Outcome.failed(name, error))));
    }
}
