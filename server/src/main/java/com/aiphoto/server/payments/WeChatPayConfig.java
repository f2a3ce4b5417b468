package com.aiphoto.server.payments;

import com.aiphoto.core.config.Settings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * WeChat Pay v3 as configured, read and checked once at start-up. Offline only: the platform's public key
 * (public-key mode, {@code WECHAT_PLATFORM_SERIAL} is its id) or its X.509 certificate (certificate mode, the
 * serial is the certificate's) comes from {@code WECHAT_PLATFORM_CERT_PATH}; nothing is downloaded.
 *
 * @param platformKey the platform's public key (from the key file or the certificate)
 * @param platformCertificatePem the certificate's PEM in certificate mode, else null
 */
record WeChatPayConfig(
        String mchid,
        String appid,
        String apiV3Key,
        PrivateKey merchantKey,
        String merchantSerial,
        PublicKey platformKey,
        String platformCertificatePem,
        String platformSerial,
        URI baseUrl,
        String notifyUrl) {
    /** The path WeChat Pay posts notifications to, under {@code API_DOMAIN}. */
    static final String NOTIFY_PATH = "/api/payment/wechat/notify";

    /** The keys of the payment side; {@code WECHAT_APPID} also serves the mini-program login, so it is not among them. */
    static final List<String> PAY_KEYS = List.of(
            "WECHAT_MCHID",
            "WECHAT_API_KEY",
            "WECHAT_CERT_PATH",
            "WECHAT_CERT_SERIAL",
            "WECHAT_PLATFORM_CERT_PATH",
            "WECHAT_PLATFORM_SERIAL");

    boolean certificateMode() {
        return platformCertificatePem != null;
    }

    @Override
    public String toString() {
        // records print every component: never the APIv3 key or the private key
        return "WeChatPayConfig[mchid=" + mchid + ", appid=" + appid + ", baseUrl=" + baseUrl + "]";
    }

    /**
     * The configuration, or empty outside production when no WeChat Pay key is set (payments are then off). In
     * production every key is required; anywhere, a partial or broken configuration stops the start with a
     * one-line message naming the key (never its value).
     */
    static Optional<WeChatPayConfig> from(Settings s) {
        boolean prod = s.isProduction();
        if (!prod && PAY_KEYS.stream().noneMatch(s::has)) {
            return Optional.empty();
        }
        List<String> missing = java.util.stream.Stream.concat(
                        java.util.stream.Stream.of("WECHAT_APPID"), PAY_KEYS.stream())
                .filter(k -> !s.has(k))
                // certificate mode reads the serial from the certificate
                .filter(k -> !k.equals("WECHAT_PLATFORM_SERIAL") || !platformFileIsCertificate(s))
                .toList();
        if (!missing.isEmpty()) {
            throw new IllegalStateException("WeChat Pay: " + String.join(", ", missing)
                    + (missing.size() == 1 ? " is" : " are") + " required "
                    + (prod ? "in production" : "once any WeChat Pay key is set (set all of them or none)"));
        }
        String apiV3Key = s.get("WECHAT_API_KEY").strip();
        if (apiV3Key.getBytes(StandardCharsets.UTF_8).length != 32) {
            throw new IllegalStateException("WeChat Pay: WECHAT_API_KEY must be the 32-character APIv3 key");
        }
        PrivateKey merchantKey = privateKey(Path.of(s.get("WECHAT_CERT_PATH")));
        String platformPem = read("WECHAT_PLATFORM_CERT_PATH", Path.of(s.get("WECHAT_PLATFORM_CERT_PATH")));
        PublicKey platformKey;
        String certificatePem = null;
        String platformSerial =
                s.find("WECHAT_PLATFORM_SERIAL").map(String::strip).orElse(null);
        if (platformPem.contains("-----BEGIN CERTIFICATE-----")) {
            X509Certificate cert = certificate(platformPem);
            String serial = cert.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
            if (platformSerial != null && !platformSerial.equalsIgnoreCase(serial)) {
                throw new IllegalStateException("WeChat Pay: WECHAT_PLATFORM_SERIAL does not match the serial of the "
                        + "certificate in WECHAT_PLATFORM_CERT_PATH (" + serial + ")");
            }
            platformKey = cert.getPublicKey();
            certificatePem = platformPem;
            platformSerial = serial;
        } else if (platformPem.contains("-----BEGIN PUBLIC KEY-----")) {
            platformKey = publicKey(platformPem);
        } else {
            throw new IllegalStateException("WeChat Pay: WECHAT_PLATFORM_CERT_PATH must hold the platform public key "
                    + "(PEM \"PUBLIC KEY\") or certificate (PEM \"CERTIFICATE\")");
        }
        String domain = s.get("API_DOMAIN").replaceAll("/+$", "");
        return Optional.of(new WeChatPayConfig(
                s.get("WECHAT_MCHID").strip(),
                s.get("WECHAT_APPID").strip(),
                apiV3Key,
                merchantKey,
                s.get("WECHAT_CERT_SERIAL").strip(),
                platformKey,
                certificatePem,
                platformSerial,
                baseUrl(s.get("WECHAT_PAY_BASE_URL")),
                domain + NOTIFY_PATH));
    }

    private static boolean platformFileIsCertificate(Settings s) {
        return s.find("WECHAT_PLATFORM_CERT_PATH")
                .map(p -> {
                    try {
                        return Files.readString(Path.of(p), StandardCharsets.US_ASCII)
                                .contains("-----BEGIN CERTIFICATE-----");
                    } catch (IOException | RuntimeException e) {
                        return false; // reported when the file is read for real
                    }
                })
                .orElse(false);
    }

    private static URI baseUrl(String v) {
        try {
            URI u = new URI(v.strip());
            if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
                    || u.getHost() == null
                    || !(u.getRawPath() == null
                            || u.getRawPath().isEmpty()
                            || u.getRawPath().equals("/"))
                    || u.getRawQuery() != null) {
                throw new URISyntaxException(v, "not scheme://host[:port]");
            }
            return u;
        } catch (URISyntaxException e) {
            // the request signature covers the path: a base URL may change scheme, host and port only
            throw new IllegalStateException(
                    "WeChat Pay: WECHAT_PAY_BASE_URL must be scheme://host[:port] without a path, got '" + v + "'");
        }
    }

    private static String read(String key, Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("WeChat Pay: " + key + " (" + file + ") cannot be read: "
                    + e.getClass().getSimpleName());
        }
    }

    private static PrivateKey privateKey(Path file) {
        String pem = read("WECHAT_CERT_PATH", file);
        if (pem.contains("-----BEGIN RSA PRIVATE KEY-----")) {
            throw new IllegalStateException("WeChat Pay: WECHAT_CERT_PATH (" + file + ") holds a PKCS#1 key; convert "
                    + "it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out apiclient_key.pem");
        }
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der(pem, "PRIVATE KEY")));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("WeChat Pay: WECHAT_CERT_PATH (" + file
                    + ") does not hold the merchant's RSA private key (PEM \"PRIVATE KEY\", apiclient_key.pem)");
        }
    }

    private static PublicKey publicKey(String pem) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der(pem, "PUBLIC KEY")));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException(
                    "WeChat Pay: WECHAT_PLATFORM_CERT_PATH does not hold a readable RSA public key");
        }
    }

    private static X509Certificate certificate(String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException(
                    "WeChat Pay: WECHAT_PLATFORM_CERT_PATH does not hold a readable X.509 certificate");
        }
    }

    /** The DER bytes between {@code -----BEGIN type-----} and its END line. */
    private static byte[] der(String pem, String type) {
        String begin = "-----BEGIN " + type + "-----";
        String end = "-----END " + type + "-----";
        int from = pem.indexOf(begin);
        int to = pem.indexOf(end);
        if (from < 0 || to < from) {
            throw new IllegalArgumentException("no " + type + " block");
        }
        return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
    }
}
