package com.aiphoto.opsctl.cert;

import com.aiphoto.core.config.Settings;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --staging for the commands that talk to the CA, and the client built from the settings. */
final class AcmeOptions {
    @Option(names = "--staging", description = "Use Let's Encrypt's staging CA instead of ACME_DIRECTORY_URL.")
    boolean staging;

    AcmeState state(Settings s) {
        return new AcmeState(Path.of(s.get("ACME_STATE_DIR")));
    }

    AcmeClient client(Settings s, AcmeState state) throws IOException {
        return new AcmeClient(
                staging ? AcmeClient.LETS_ENCRYPT_STAGING : s.get("ACME_DIRECTORY_URL"),
                CertOptions.chains(s),
                state.accountKey(),
                CertOptions.optional(s, "ACME_EMAIL"),
                Path.of(s.get("ACME_WEBROOT")));
    }
}
