package com.aiphoto.packaging;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import com.aiphoto.testing.SecretLogScan;
import java.nio.file.Path;

/**
 * After the whole suite ("no secret value from the test configuration appears in any log file"): packaging is the
 * reactor's last module, so its failsafe run comes after every other module's tests. Searches each module's
 * target/ for the secrets the tests registered (TestSecrets); fails naming the file and the secret's name.
 */
class NoSecretInLogsIT {
    @org.junit.jupiter.api.Test
    void noRegisteredSecretInAnyLogTheSuiteKept() {
        Path repo =
                Path.of(System.getProperty("repo.dir", "..")).toAbsolutePath().normalize();
        // files of this build only (maven.build.timestamp: the session's start, in UTC, ISO form)
        String started = System.getProperty("build.started", "");
        SecretLogScan.Result r = SecretLogScan.scan(
                repo, started.isBlank() ? java.time.Instant.EPOCH : java.time.Instant.parse(started));
        assumeFalse(r.secrets().isEmpty(), "no module registered secrets (their tests did not run in this build)");
        // names and counts only: this output is itself a log the next run scans
        System.out.println("secret scan: " + r.secrets().size() + " values of "
                + r.secrets().stream()
                        .map(SecretLogScan.Secret::name)
                        .distinct()
                        .count() + " names in "
                + r.files().size() + " files; too short to scan: " + r.tooShort());
        assertTrue(r.leaks().isEmpty(), "secrets in logs:\n" + r.report());
    }
}
