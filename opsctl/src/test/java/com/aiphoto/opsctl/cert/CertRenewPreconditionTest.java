package com.aiphoto.opsctl.cert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.aiphoto.opsctl.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cert renew} with nothing to renew refuses (exit 3) and leaves no trace: no state dir, no account key. */
class CertRenewPreconditionTest {
    @TempDir
    Path dir;

    private Map<String, String> env() {
        return Map.of(
                "CERT_DIR", dir.resolve("certs").toString(),
                "ACME_STATE_DIR", dir.resolve("acme").toString(),
                "ACME_WEBROOT", dir.resolve("webroot").toString(),
                // nothing may be contacted: a closed port, so an attempt would fail loudly rather than hang
                "ACME_DIRECTORY_URL", "https://127.0.0.1:9/dir");
    }

    @Test
    void aNamedCertificateWithoutStateIsRefusedBeforeAnythingIsWritten() {
        Cli.Result r = Cli.run(env(), "cert", "renew", "site");
        assertEquals(3, r.code(), r.all());
        assertEquals(
                List.of("opsctl: cert renew: no certificate site in " + dir.resolve("acme") + " (cert init first)"),
                r.errLines());
        assertFalse(Files.exists(dir.resolve("acme")), "state dir created");
        assertFalse(Files.exists(dir.resolve("webroot")), "webroot created");
    }

    @Test
    void anUnknownNameBesideAKnownOneIsRefusedAndTheAccountKeyIsNotMade() throws Exception {
        AcmeState state = new AcmeState(dir.resolve("acme"));
        state.save(AcmeState.Cert.fresh("site", List.of("a.test"), KeyType.EC256));
        Cli.Result r = Cli.run(env(), "cert", "renew", "sitte");
        assertEquals(3, r.code(), r.all());
        assertTrue(r.err().contains("no certificate sitte in "), r.err());
        assertFalse(Files.exists(dir.resolve("acme/account.key")), "account key made for a mistyped name");
        assertEquals(List.of("site"), state.names());
        // the whole run, without a name, is refused likewise when there is no state at all
        Cli.Result none = Cli.run(
                Map.of("ACME_STATE_DIR", dir.resolve("none").toString(), "CERT_DIR", dir.toString()), "cert", "renew");
        assertEquals(3, none.code(), none.all());
        assertFalse(Files.exists(dir.resolve("none")));
    }
}
