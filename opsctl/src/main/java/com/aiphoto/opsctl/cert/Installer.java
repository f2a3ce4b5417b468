package com.aiphoto.opsctl.cert;

import com.aiphoto.opsctl.cert.Served.Endpoint;
import com.aiphoto.opsctl.cli.Shell;
import java.io.IOException;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The install transaction: write the new files atomically, {@code NGINX_TEST_CMD}, {@code NGINX_RELOAD_CMD},
 * then a TLS handshake (with SNI) that must show the new leaf with a chain that verifies. nginx reloads
 * asynchronously, so the handshake is retried until {@code verifyTimeout}. Any failure puts the previous
 * files back, reloads again and proves the previous leaf is served; the exception then says what failed and
 * whether the old certificate is back.
 */
final class Installer {
    /** Consecutive handshakes that must show the expected leaf. */
    static final int STABLE = 3;

    private final String testCmd;
    private final String reloadCmd;
    private final Endpoint verifyAt;
    private final Duration verifyTimeout;
    private final Chains chains;

    Installer(String testCmd, String reloadCmd, Endpoint verifyAt, Duration verifyTimeout, Chains chains) {
        this.testCmd = testCmd;
        this.reloadCmd = reloadCmd;
        this.verifyAt = verifyAt;
        this.verifyTimeout = verifyTimeout;
        this.chains = chains;
    }

    /**
     * Installs chain + key as {@code files}; {@code sni} is the name the handshake asks for. A self-signed
     * chain (the placeholder) is accepted as served without a trust check.
     */
    void install(CertFiles files, List<X509Certificate> chain, PrivateKey key, String sni) throws IOException {
        Optional<CertFiles.Snapshot> previous = files.snapshot();
        files.write(chain, key);
        Optional<String> failure = activate(chain.getFirst(), sni);
        if (failure.isEmpty()) {
            return;
        }
        String what = failure.get();
        if (previous.isEmpty()) {
            // nothing to go back to: leave no half-installed files for nginx to trip over at its next start
            java.nio.file.Files.deleteIfExists(files.fullchain());
            java.nio.file.Files.deleteIfExists(files.privkey());
            Shell.run(reloadCmd);
            throw new CertException(what + "; no previous certificate to restore, files removed");
        }
        files.write(previous.get());
        X509Certificate old = Pem.certificates(
                        new String(previous.get().fullchain(), java.nio.charset.StandardCharsets.US_ASCII))
                .getFirst();
        Shell.Result reload = Shell.run(reloadCmd);
        Optional<String> back = served(old, sni, true);
        if (back.isEmpty()) {
            throw new CertException(what + "; previous certificate restored and served");
        }
        throw new CertException(what + "; previous certificate restored on disk, but "
                + (reload.ok() ? back.get() : "reload failed too: " + reload.lastLine()));
    }

    /**
     * Why nginx -t failed: it prints the reason ("[emerg] unknown directive ... in file:line") before its closing
     * "configuration file ... test failed" line, which alone says nothing; else the last line.
     */
    private static String reason(Shell.Result r) {
        return r.output()
                .lines()
                .map(String::strip)
                .filter(l -> l.contains("[emerg]") || l.contains("[alert]") || l.contains("[crit]"))
                .findFirst()
                .orElse(r.lastLine());
    }

    /** nginx -t, reload, prove; empty on success, else what failed. */
    private Optional<String> activate(X509Certificate leaf, String sni) {
        Shell.Result test = Shell.run(testCmd);
        if (!test.ok()) {
            return Optional.of("nginx configuration test failed (exit " + test.code() + "): " + reason(test));
        }
        Shell.Result reload = Shell.run(reloadCmd);
        if (!reload.ok()) {
            return Optional.of("nginx reload failed (exit " + reload.code() + "): " + reload.lastLine());
        }
        return served(leaf, sni, false);
    }

    /**
     * Polls the handshake until {@code leaf} is served with a good chain on {@link #STABLE} handshakes in a row
     * (while nginx reloads, old workers still answer some connections with the old certificate for a moment);
     * empty then, else the last problem.
     */
    Optional<String> served(X509Certificate leaf, String sni, boolean restoring) {
        long deadline = System.nanoTime() + verifyTimeout.toNanos();
        String problem = null;
        int good = 0;
        while (good < STABLE) {
            problem = check(leaf, sni).orElse(null);
            good = problem == null ? good + 1 : 0;
            if (good >= STABLE || System.nanoTime() > deadline) {
                break;
            }
            try {
                Thread.sleep(good > 0 ? 50 : 100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (good > 0 && good < STABLE && problem == null) {
            problem = "the new certificate was served only intermittently within " + verifyTimeout;
        }
        return Optional.ofNullable(problem).map(p -> (restoring ? "the old certificate is not served: " : "") + p);
    }

    private Optional<String> check(X509Certificate leaf, String sni) {
        List<X509Certificate> got;
        try {
            got = Served.chain(verifyAt, sni, Duration.ofSeconds(5));
        } catch (IOException e) {
            return Optional.of("TLS handshake with " + verifyAt + " (SNI " + sni + ") failed: " + e.getMessage());
        }
        if (!got.getFirst().equals(leaf)) {
            return Optional.of(verifyAt + " still serves another certificate (serial "
                    + got.getFirst().getSerialNumber().toString(16) + ", expected "
                    + leaf.getSerialNumber().toString(16) + ")");
        }
        if (got.size() == 1 && Chains.selfSigned(leaf)) {
            return Optional.empty();
        }
        return chains.problem(got).map(p -> verifyAt + " serves the new leaf but its " + p);
    }
}
