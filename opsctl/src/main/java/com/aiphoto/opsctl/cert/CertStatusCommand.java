package com.aiphoto.opsctl.cert;

import com.aiphoto.core.config.Settings;
import com.aiphoto.opsctl.cert.Served.Endpoint;
import com.aiphoto.opsctl.check.CheckCommand;
import com.aiphoto.opsctl.check.CheckResult;
import com.aiphoto.opsctl.check.CheckStatus;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.OpsctlException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SequencedMap;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * Check command: per certificate under CERT_DIR the names, issuer, expiry and days left, whether the key on
 * disk matches, whether the chain on disk is complete, and whether nginx serves the very leaf on disk (a
 * handshake with SNI). WARNING under 21 days, CRITICAL under 7 days or on any mismatch.
 */
@Command(
        name = "status",
        description = "Check command: expiry, key, chain and the served certificate of each certificate.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:OK",
            "1:WARNING, a certificate expires within 21 days",
            "2:CRITICAL, within 7 days, expired, or a key, chain or served-certificate mismatch",
            "3:UNKNOWN, no certificate or CERT_DIR unreadable"
        })
final class CertStatusCommand extends CheckCommand {
    static final long WARN_DAYS = 21;
    static final long CRITICAL_DAYS = 7;

    @Parameters(index = "0", arity = "0..1", paramLabel = "NAME", description = "Only this certificate.")
    String name;

    @Mixin
    CertOptions options;

    /** One certificate's findings, also its --json form. */
    record Cert(
            String name,
            CheckStatus status,
            List<String> domains,
            String issuer,
            Instant notAfter,
            long daysLeft,
            boolean keyMatches,
            String chainProblem,
            boolean servedMatches,
            String servedProblem,
            Instant ariWindowStart,
            Instant ariWindowEnd,
            Instant renewAt,
            List<String> problems) {
        /** The renewal plan known from the last cert renew (ARI window and the time chosen in it). */
        Cert withRenewal(Optional<AcmeState.Cert> st) {
            return st.map(a -> new Cert(
                            name,
                            status,
                            domains,
                            issuer,
                            notAfter,
                            daysLeft,
                            keyMatches,
                            chainProblem,
                            servedMatches,
                            servedProblem,
                            a.ariWindowStart(),
                            a.ariWindowEnd(),
                            a.renewAt(),
                            problems))
                    .orElse(this);
        }
    }

    record Document(CheckStatus status, List<Cert> certificates) {}

    @Override
    protected String service() {
        return "CERT";
    }

    @Override
    protected CheckResult check() {
        Settings s = settings();
        Path certDir = CertOptions.certDir(s);
        List<String> names = name != null ? List.of(name) : names(certDir);
        if (names.isEmpty()) {
            throw new OpsctlException(ExitCode.PRECONDITION, "no certificate under " + certDir);
        }
        Chains chains = CertOptions.chains(s);
        Endpoint at = options.verifyAt(s);
        AcmeState acme = new AcmeState(Path.of(s.get("ACME_STATE_DIR")));
        List<Cert> certs = new ArrayList<>();
        for (String n : names) {
            Optional<AcmeState.Cert> st;
            try {
                st = acme.load(n);
            } catch (CertException e) {
                st = Optional.empty();
            }
            certs.add(inspect(CertFiles.of(certDir, n), chains, at).withRenewal(st));
        }
        CheckStatus worst =
                certs.stream().map(Cert::status).max(Enum::compareTo).orElse(CheckStatus.UNKNOWN);
        List<String> details = new ArrayList<>();
        Object[] perf = new Object[certs.size() * 2];
        for (int i = 0; i < certs.size(); i++) {
            Cert c = certs.get(i);
            details.add(c.name() + ": " + c.status() + ", " + c.daysLeft() + " days left (until " + c.notAfter()
                    + "), issuer " + c.issuer() + ", names " + String.join(",", c.domains())
                    + (c.ariWindowStart() == null
                            ? ""
                            : ", ARI window " + c.ariWindowStart() + " .. " + c.ariWindowEnd() + " (renewal at "
                                    + c.renewAt() + ")")
                    + (c.problems().isEmpty() ? "" : "; " + String.join("; ", c.problems())));
            perf[2 * i] = c.name() + "_days";
            perf[2 * i + 1] = c.daysLeft();
        }
        List<String> bad = certs.stream()
                .filter(c -> c.status() != CheckStatus.OK)
                .map(c -> c.name() + " "
                        + (c.problems().isEmpty()
                                ? c.daysLeft() + " days"
                                : c.problems().getFirst()))
                .toList();
        long minDays = certs.stream().mapToLong(Cert::daysLeft).min().orElse(0);
        String summary = bad.isEmpty()
                ? certs.size() + " certificate(s) served and valid, the nearest expiry in " + minDays + " days"
                : String.join("; ", bad);
        SequencedMap<String, Object> perfdata = CheckResult.perf(perf);
        return new CheckResult(worst, summary, summary, perfdata, details, new Document(worst, certs));
    }

    private static List<String> names(Path certDir) {
        if (!Files.isDirectory(certDir)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(certDir)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("fullchain.pem")))
                    .map(d -> d.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new OpsctlException(CheckStatus.UNKNOWN.exitCode, "cannot read " + certDir + ": " + e.getMessage());
        }
    }

    private static Cert inspect(CertFiles files, Chains chains, Endpoint at) {
        List<String> problems = new ArrayList<>();
        List<X509Certificate> chain;
        try {
            chain = files.chain();
            if (chain.isEmpty()) {
                throw new CertException("no certificate in " + files.fullchain());
            }
        } catch (CertException e) {
            return new Cert(
                    files.name(),
                    CheckStatus.CRITICAL,
                    List.of(),
                    "",
                    null,
                    0,
                    false,
                    null,
                    false,
                    null,
                    null,
                    null,
                    null,
                    List.of(e.getMessage()));
        }
        X509Certificate leaf = chain.getFirst();
        Instant now = Instant.now();
        long days = Checks.daysLeft(leaf, now);
        boolean keyMatches;
        try {
            keyMatches = Pem.keyMatches(files.key(), leaf);
        } catch (CertException e) {
            keyMatches = false;
        }
        if (!keyMatches) {
            problems.add("the private key does not match the certificate");
        }
        Chains.validity(leaf, now).ifPresent(problems::add);
        boolean placeholder = chain.size() == 1 && Chains.selfSigned(leaf);
        Optional<String> chainProblem = placeholder ? Optional.of("self-signed placeholder") : chains.problem(chain);
        chainProblem.ifPresent(problems::add);
        List<String> domains = Chains.names(leaf);
        String sni = domains.isEmpty() ? "localhost" : domains.getFirst();
        String servedProblem = null;
        try {
            List<X509Certificate> served = Served.chain(at, sni, Duration.ofSeconds(5));
            if (!served.getFirst().equals(leaf)) {
                servedProblem = at + " serves another certificate (serial "
                        + served.getFirst().getSerialNumber().toString(16) + ") than the one on disk (serial "
                        + leaf.getSerialNumber().toString(16) + ")";
            } else if (!served.equals(chain)) {
                servedProblem = at + " serves a chain other than the one on disk";
            }
        } catch (IOException e) {
            servedProblem = "TLS handshake with " + at + " failed: " + e.getMessage();
        }
        if (servedProblem != null) {
            problems.add(servedProblem);
        }
        CheckStatus status = !problems.isEmpty() || days < CRITICAL_DAYS
                ? CheckStatus.CRITICAL
                : days < WARN_DAYS ? CheckStatus.WARNING : CheckStatus.OK;
        return new Cert(
                files.name(),
                status,
                domains,
                leaf.getIssuerX500Principal().getName(),
                leaf.getNotAfter().toInstant(),
                days,
                keyMatches,
                chainProblem.orElse(null),
                servedProblem == null,
                servedProblem,
                null,
                null,
                null,
                problems);
    }
}
