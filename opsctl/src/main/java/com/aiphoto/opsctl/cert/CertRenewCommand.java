package com.aiphoto.opsctl.cert;

import com.aiphoto.core.config.Settings;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.OpsCommand;
import com.aiphoto.opsctl.cli.OpsctlException;
import java.io.IOException;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cert renew [NAME] [--force] [--dry-run]}: for each certificate with ACME state, renew when due (see
 * {@link Renewal}), install and prove it. One line per certificate: stdout when fine, stderr when it failed;
 * with --json one document on stdout listing every certificate's {@link Outcome} (and the failures on stderr).
 * Safe from a timer: with nothing due it makes at most the renewal-info request per certificate (none while
 * a Retry-After holds), and a failing certificate waits out its back-off.
 */
@Command(
        name = "renew",
        description = "Renew due certificates (ARI first), install and prove them.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:every certificate renewed or not due",
            "1:a certificate is due and could not be renewed (or is backing off after failures)",
            "2:usage error",
            "3:no certificate to renew (cert init first)"
        })
final class CertRenewCommand extends OpsCommand {
    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Only this certificate.")
    String name;

    @Option(names = "--force", description = "Renew now whatever the timing says (the duplicate limit still holds).")
    boolean force;

    @Option(names = "--dry-run", description = "Decide and report; order and install nothing.")
    boolean dryRun;

    @Mixin
    CertOptions options;

    @Mixin
    AcmeOptions acmeOptions;

    @Override
    public Integer call() {
        Settings s = settings();
        Path certDir = CertOptions.certDir(s);
        AcmeState state = acmeOptions.state(s);
        List<String> names;
        AcmeClient acme;
        try {
            names = Renewal.names(state, name);
            // before the account key is made: a mistyped name must not create state (or talk to the CA)
            if (names.isEmpty()) {
                throw new OpsctlException(
                        ExitCode.PRECONDITION,
                        "cert renew: no certificate" + (name == null ? "" : " " + name) + " in " + state.dir()
                                + " (cert init first)");
            }
            acme = acmeOptions.client(s, state);
        } catch (IOException e) {
            throw new OpsctlException(ExitCode.FAILED, "cert renew: " + e.getMessage(), e);
        }
        Renewal renewal = new Renewal(state, acme, options.installer(s), n -> CertFiles.of(certDir, n));
        List<Outcome> outcomes = new ArrayList<>();
        for (String n : names) {
            try {
                outcomes.add(renewOne(renewal, state, CertFiles.of(certDir, n), n));
            } catch (CertException | IOException e) {
                outcomes.add(Outcome.failed(n, e.getMessage()));
            }
        }
        return CertReport.print(out(), err(), json(), outcomes, "renewal failed");
    }

    private Outcome renewOne(Renewal renewal, AcmeState state, CertFiles files, String n) throws IOException {
        AcmeState.Cert c =
                state.load(n).orElseThrow(() -> new CertException("no ACME state for " + n + " (cert init first)"));
        Instant now = Instant.now();
        Optional<X509Certificate> leaf =
                files.exists() ? Optional.of(files.chain().getFirst()) : Optional.empty();
        Renewal.Decision d = leaf.isEmpty()
                ? new Renewal.Decision(true, "no certificate installed", null)
                : renewal.decide(c, leaf.get(), now, force);
        if (!d.due()) {
            return Outcome.of(n, Outcome.Result.NOT_DUE, leaf.get(), d.at(), d.why());
        }
        AcmeState.Cert current = state.load(n).orElse(c);
        if (!force && current.backoffUntil() != null && now.isBefore(current.backoffUntil())) {
            throw new CertException("due (" + d.why() + ") but backing off after " + current.failures()
                    + " failure(s) until " + current.backoffUntil() + "; last: " + current.lastError());
        }
        if (dryRun) {
            return leaf.map(l -> Outcome.of(n, Outcome.Result.WOULD_RENEW, l, d.at(), d.why()))
                    .orElseGet(() -> Outcome.planned(n, Outcome.Result.WOULD_RENEW, current.domains(), d.why()));
        }
        Optional<X509Certificate> replaces = leaf.filter(l -> !Chains.selfSigned(l));
        return renewal.renew(current, replaces, now);
    }
}
