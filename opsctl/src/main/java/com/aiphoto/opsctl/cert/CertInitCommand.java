package com.aiphoto.opsctl.cert;

import com.aiphoto.core.config.Settings;
import com.aiphoto.opsctl.cli.ExitCode;
import com.aiphoto.opsctl.cli.OpsCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code cert init NAME -d DOMAIN...}: what init-letsencrypt.sh did, as one command. Directories, a
 * short-lived self-signed placeholder installed (so nginx can start its TLS servers), then the real
 * certificate by HTTP-01 through the webroot, installed by the same proved transaction.
 */
@Command(
        name = "init",
        description = "Set up a certificate: placeholder, then issue by ACME HTTP-01 and install.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:issued, installed and served",
            "1:failed (the placeholder or the previous certificate stays served)",
            "2:usage error",
            "3:NAME already has a real certificate (use cert renew --force)"
        })
final class CertInitCommand extends OpsCommand {
    static final Duration PLACEHOLDER_LIFETIME = Duration.ofDays(2);

    @Parameters(index = "0", paramLabel = "NAME", description = "Certificate name: files go to CERT_DIR/NAME/.")
    String name;

    @Option(
            names = {"-d", "--domain"},
            required = true,
            paramLabel = "DOMAIN",
            description = "A name for the certificate (repeat; the first is the SNI name checked).")
    List<String> domains;

    @Option(
            names = "--key-type",
            paramLabel = "TYPE",
            defaultValue = "ec256",
            converter = KeyTypeConverter.class,
            description = "rsa2048, rsa4096, ec256 (default) or ec384.")
    KeyType keyType;

    @Option(names = "--dry-run", description = "Say what would be done; change nothing.")
    boolean dryRun;

    @Mixin
    CertOptions options;

    @Mixin
    AcmeOptions acmeOptions;

    @Override
    public Integer call() {
        Settings s = settings();
        CertFiles files = CertFiles.of(CertOptions.certDir(s), name);
        try {
            if (files.exists() && !Chains.selfSigned(files.chain().getFirst())) {
                String why = files.fullchain() + " is a real certificate already; use 'opsctl cert renew " + name
                        + " --force' to replace it";
                throw CertReport.failure(ExitCode.PRECONDITION, name, "cert init " + name + ": " + why, why, null);
            }
            if (dryRun) {
                return CertReport.print(out(), json(), Outcome.planned(name, Outcome.Result.WOULD_INIT, domains, null));
            }
            AcmeState state = acmeOptions.state(s);
            Files.createDirectories(files.dir());
            Files.createDirectories(Path.of(s.get("ACME_WEBROOT")).resolve(".well-known/acme-challenge"));
            AcmeState.Cert c = AcmeState.Cert.fresh(name, domains, keyType);
            state.save(c);
            Installer installer = options.installer(s);
            if (!files.exists()) {
                KeyPair key = keyType.generate();
                X509Certificate placeholder = SelfSigned.placeholder(key, domains, PLACEHOLDER_LIFETIME);
                installer.install(files, List.of(placeholder), key.getPrivate(), domains.getFirst());
                err().println("cert " + name + ": placeholder installed and served; ordering the certificate");
            }
            Renewal renewal = new Renewal(state, acmeOptions.client(s, state), installer, n -> files);
            return CertReport.print(out(), json(), renewal.renew(c, Optional.empty(), Instant.now()));
        } catch (CertException | IOException e) {
            throw CertReport.failure(
                    ExitCode.FAILED, name, "cert init " + name + ": " + e.getMessage(), e.getMessage(), e);
        }
    }
}
