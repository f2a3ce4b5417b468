package com.aiphoto.opsctl.cert;

import com.aiphoto.core.config.Settings;
import com.aiphoto.opsctl.cert.Served.Endpoint;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Options every cert command shares: where nginx serves (for the proof by handshake) and how long to wait. */
final class CertOptions {
    @Option(
            names = "--verify-host",
            paramLabel = "HOST:PORT",
            description = "Where nginx serves TLS, for the handshake that proves what is served"
                    + " (default: CERT_VERIFY_HOST, 127.0.0.1:443).")
    String verifyHost;

    Endpoint verifyAt(Settings s) {
        return Endpoint.parse(verifyHost != null ? verifyHost : s.get("CERT_VERIFY_HOST"));
    }

    static Path certDir(Settings s) {
        return Path.of(s.get("CERT_DIR"));
    }

    static Chains chains(Settings s) {
        return Chains.withDefaults(
                s.find("ACME_TRUST_STORE").filter(v -> !v.isBlank()).map(Path::of));
    }

    Installer installer(Settings s) {
        return new Installer(
                s.get("NGINX_TEST_CMD"), s.get("NGINX_RELOAD_CMD"), verifyAt(s), verifyTimeout(s), chains(s));
    }

    static Duration verifyTimeout(Settings s) {
        return s.duration("CERT_VERIFY_TIMEOUT");
    }

    static Optional<String> optional(Settings s, String key) {
        return s.find(key).filter(v -> !v.isBlank());
    }
}
