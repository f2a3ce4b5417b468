package com.aiphoto.opsctl.health;

import com.aiphoto.core.config.Settings;
import com.aiphoto.opsctl.check.Perf;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Days left on each certificate nginx serves: {@code CERT_DIR/<name>/fullchain.pem} (the cert commands' layout)
 * and any other certificate file ({@code .pem}, {@code .crt}, {@code .cer}) up to one directory deep, read with
 * the JDK; the leaf is the first certificate of a file. WARNING under 21 days, CRITICAL under 7 (as cert status).
 * Skipped when CERT_DIR holds no certificate (development, or TLS ends elsewhere).
 */
final class CertificateProbe {
    static final String KEY = "certificate:daysLeft";
    static final int WARN_DAYS = 21;
    static final int CRIT_DAYS = 7;

    private CertificateProbe() {}

    static Probe probe(Settings s) {
        return new Probe("certificates", List.of(KEY), () -> {
            Path dir = Path.of(s.get("CERT_DIR"));
            if (!Files.isDirectory(dir)) {
                return List.of(Observation.skipped(KEY, "no CERT_DIR " + dir));
            }
            List<Path> files;
            try (Stream<Path> walk = Files.walk(dir, 2)) {
                files = walk.filter(Files::isRegularFile)
                        .filter(CertificateProbe::looksLikeCertificate)
                        .filter(f -> servedByNginx(dir, f))
                        .sorted()
                        .toList();
            } catch (IOException | java.io.UncheckedIOException e) {
                return List.of(Observation.skipped(KEY, "cannot read CERT_DIR " + dir + ": " + e.getMessage()));
            }
            Instant now = Instant.now();
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            List<Observation> out = new ArrayList<>();
            for (Path f : files) {
                String id = name(dir, f);
                Collection<? extends java.security.cert.Certificate> chain;
                try (InputStream in = Files.newInputStream(f)) {
                    chain = x509.generateCertificates(in);
                } catch (IOException | CertificateException e) {
                    if (f.getFileName().toString().equals("fullchain.pem")) {
                        out.add(Observation.failed(KEY, f + " is not a readable certificate: " + e.getMessage())
                                .withComponentId(id));
                    }
                    continue;
                }
                if (chain.isEmpty() || !(chain.iterator().next() instanceof X509Certificate leaf)) {
                    continue;
                }
                Instant notAfter = leaf.getNotAfter().toInstant();
                long days = Duration.between(now, notAfter).toDays();
                String subject = leaf.getSubjectX500Principal().getName();
                out.add(Observation.of(
                                KEY,
                                Observation.atLeast(notAfter.isBefore(now) ? -1 : days, WARN_DAYS, CRIT_DAYS),
                                Perf.atLeast(days, "", WARN_DAYS, CRIT_DAYS),
                                "d",
                                (notAfter.isBefore(now) ? "EXPIRED " : days + " days left, ") + "not after " + notAfter
                                        + " (" + subject + ", " + f + ")")
                        .withComponentId(id));
            }
            return out.isEmpty() ? List.of(Observation.skipped(KEY, "no certificates in " + dir)) : out;
        });
    }

    private static boolean looksLikeCertificate(Path f) {
        String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
        return (n.endsWith(".pem") || n.endsWith(".crt") || n.endsWith(".cer")) && !n.contains("key");
    }

    /** In a directory with a fullchain.pem only that one: its cert.pem and chain.pem (certbot's) are parts of it. */
    private static boolean servedByNginx(Path dir, Path f) {
        Path parent = f.getParent();
        return parent.equals(dir)
                || f.getFileName().toString().equals("fullchain.pem")
                || !Files.exists(parent.resolve("fullchain.pem"));
    }

    /** {@code <name>} for {@code <name>/fullchain.pem}, else the file's path under CERT_DIR. */
    private static String name(Path dir, Path f) {
        Path rel = dir.relativize(f);
        return rel.getNameCount() == 2 && rel.getFileName().toString().equals("fullchain.pem")
                ? rel.getName(0).toString()
                : rel.toString();
    }
}
