package com.aiphoto.opsctl.cert;

import com.aiphoto.core.config.Settings;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.OpsCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cert install NAME --cert F --key F [--chain F]}: a certificate issued elsewhere (e.g. Tencent Cloud's
 * {@code *_bundle.crt} + {@code .key}) checked (key matches, chain complete and ordered, names cover the
 * domains, within its validity) and then installed as a transaction ({@link Installer}).
 */
@Command(
        name = "install",
        description = "Install a certificate issued elsewhere, as a transaction proved by a TLS handshake.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:installed and served",
            "1:refused or failed; the previous certificate is restored (the message says whether it is served)",
            "2:usage error"
        })
final class CertInstallCommand extends OpsCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Certificate name: files go to CERT_DIR/NAME/.")
    String name;

    @Option(names = "--cert", required = true, paramLabel = "FILE", description = "Leaf certificate (or a bundle).")
    Path certFile;

    @Option(names = "--key", required = true, paramLabel = "FILE", description = "Private key (PEM).")
    Path keyFile;

    @Option(names = "--chain", paramLabel = "FILE", description = "Intermediate certificates, if not in --cert.")
    Path chainFile;

    @Option(
            names = {"-d", "--domain"},
            paramLabel = "DOMAIN",
            description = "A name the certificate must cover (default: those of the installed certificate).")
    List<String> domains = new ArrayList<>();

    @Option(names = "--dry-run", description = "Check the files only; install nothing.")
    boolean dryRun;

    @Mixin
    CertOptions options;

    @Override
    public Integer call() {
        Settings s = settings();
        CertFiles files = CertFiles.of(CertOptions.certDir(s), name);
        try {
            List<X509Certificate> chain = new ArrayList<>(Pem.certificates(certFile));
            if (chainFile != null) {
                for (X509Certificate c : Pem.certificates(chainFile)) {
                    if (!chain.contains(c)) {
                        chain.add(c);
                    }
                }
            }
            if (chain.isEmpty()) {
                throw new CertException("no certificate in " + certFile);
            }
            PrivateKey key = Pem.privateKey(keyFile);
            List<String> required = !domains.isEmpty()
                    ? domains
                    : files.exists() ? Chains.names(files.chain().getFirst()) : List.of();
            Checks.refuseUnusable(chain, key, required, CertOptions.chains(s), Instant.now());
            X509Certificate leaf = chain.getFirst();
            String sni = required.isEmpty() ? Chains.names(leaf).getFirst() : required.getFirst();
            if (dryRun) {
                return CertReport.print(
                        out(), json(), Outcome.of(name, Outcome.Result.WOULD_INSTALL, leaf, null, null));
            }
            options.installer(s).install(files, chain, key, sni);
            return CertReport.print(out(), json(), Outcome.of(name, Outcome.Result.INSTALLED, leaf, null, null));
        } catch (CertException | IOException e) {
            throw CertReport.failure(
                    ExitCode.FAILED, name, "cert install " + name + ": " + e.getMessage(), e.getMessage(), e);
        }
    }
}
