package com.aiphoto.server.payments;

import com.aiphoto.core.config.Settings;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
        Path keyFile = Path.of(s.get("WECHAT_CERT_PATH"));
        PrivateKey merchantKey = privateKey("WECHAT_CERT_PATH (" + keyFile + ")", read("WECHAT_CERT_PATH", keyFile));
        Platform platform = platform(
                "WECHAT_PLATFORM_CERT_PATH",
                "WECHAT_PLATFORM_SERIAL",
                read("WECHAT_PLATFORM_CERT_PATH", Path.of(s.get("WECHAT_PLATFORM_CERT_PATH"))),
                s.find("WECHAT_PLATFORM_SERIAL").map(String::strip).orElse(null));
        return Optional.of(new WeChatPayConfig(
                s.get("WECHAT_MCHID").strip(),
                s.get("WECHAT_APPID").strip(),
                apiV3Key,
                merchantKey,
                s.get("WECHAT_CERT_SERIAL").strip(),
                platform.key(),
                platform.certificatePem(),
                platform.serial(),
                baseUrl("WECHAT_PAY_BASE_URL", s.get("WECHAT_PAY_BASE_URL")),
                notifyUrl(s)));
    }

    /** The fields of the stored {@code wechatpay} credentials (one JSON object), each replacing a setting. */
    static final List<String> STORED_FIELDS =
            List.of("mchid", "merchantSerial", "privateKey", "apiV3Key", "platformSerial", "platformKey");

    /**
     * The merchant of the stored {@code wechatpay} credentials: a JSON object with {@link #STORED_FIELDS} (PEM texts
     * for the keys; {@code platformKey} a public key or a certificate), a field left out taken from {@code env}
     * (required when there is no {@code env}); {@code endpointUrl} replaces {@code WECHAT_PAY_BASE_URL}. The app id
     * and notify URL stay the environment's. Refused with an {@link IllegalStateException} naming the field, never a
     * value (a JSON parser's message would quote the text, so it is not passed on).
     */
    static WeChatPayConfig stored(Settings s, Optional<WeChatPayConfig> env, String endpointUrl, String credentials) {
        JsonNode json;
        try {
            json = new ObjectMapper().readTree(credentials);
        } catch (IOException e) {
            json = null;
        }
        if (json == null || !json.isObject()) {
            throw new IllegalStateException("WeChat Pay: the stored wechatpay credentials are not a JSON object with "
                    + String.join(", ", STORED_FIELDS));
        }
        JsonNode j = json;
        java.util.function.Function<String, Optional<String>> field = name -> {
            JsonNode v = j.path(name);
            if (!v.isMissingNode() && !v.isNull() && !v.isTextual()) {
                throw new IllegalStateException("WeChat Pay: stored field " + name + " must be a string");
            }
            return Optional.ofNullable(v.textValue()).map(String::strip).filter(x -> !x.isEmpty());
        };
        java.util.function.Function<String, IllegalStateException> missing = name -> new IllegalStateException(
                "WeChat Pay: stored field " + name + " is required (no WeChat Pay settings in the environment)");
        String apiV3Key = field.apply("apiV3Key")
                .or(() -> env.map(WeChatPayConfig::apiV3Key))
                .orElseThrow(() -> missing.apply("apiV3Key"));
        if (apiV3Key.getBytes(StandardCharsets.UTF_8).length != 32) {
            throw new IllegalStateException("WeChat Pay: stored field apiV3Key must be the 32-character APIv3 key");
        }
        Optional<String> privateKeyPem = field.apply("privateKey");
        PrivateKey merchantKey = privateKeyPem.isPresent()
                ? privateKey("stored field privateKey", privateKeyPem.get())
                : env.map(WeChatPayConfig::merchantKey).orElseThrow(() -> missing.apply("privateKey"));
        Optional<String> platformPem = field.apply("platformKey");
        Optional<String> platformSerial = field.apply("platformSerial");
        Platform platform;
        if (platformPem.isPresent()) {
            platform = platform(
                    "stored field platformKey",
                    "stored field platformSerial",
                    platformPem.get(),
                    platformSerial.orElse(null));
        } else {
            WeChatPayConfig e = env.orElseThrow(() -> missing.apply("platformKey"));
            platform = new Platform(
                    e.platformKey(),
                    e.platformCertificatePem(),
                    e.certificateMode() ? e.platformSerial() : platformSerial.orElse(e.platformSerial()));
        }
        if (platform.serial() == null) {
            throw missing.apply("platformSerial");
        }
        String appid = env.map(WeChatPayConfig::appid)
                .or(() -> s.find("WECHAT_APPID").map(String::strip))
                .orElseThrow(() -> new IllegalStateException("WeChat Pay: WECHAT_APPID is required"));
        URI base = endpointUrl != null
                ? baseUrl("the stored wechatpay endpointUrl", endpointUrl)
                : env.map(WeChatPayConfig::baseUrl)
                        .orElseGet(() -> baseUrl("WECHAT_PAY_BASE_URL", s.get("WECHAT_PAY_BASE_URL")));
        return new WeChatPayConfig(
                field.apply("mchid")
                        .or(() -> env.map(WeChatPayConfig::mchid))
                        .orElseThrow(() -> missing.apply("mchid")),
                appid,
                apiV3Key,
                merchantKey,
                field.apply("merchantSerial")
                        .or(() -> env.map(WeChatPayConfig::merchantSerial))
                        .orElseThrow(() -> missing.apply("merchantSerial")),
                platform.key(),
                platform.certificatePem(),
                platform.serial(),
                base,
                notifyUrl(s));
    }

    /** The platform's key: from a public key, or from a certificate (whose serial it then is). */
    private record Platform(PublicKey key, String certificatePem, String serial) {}

    private static Platform platform(String what, String serialWhat, String pem, String serial) {
        if (pem.contains("-----BEGIN CERTIFICATE-----")) {
            X509Certificate cert = certificate(what, pem);
            String certSerial = cert.getSerialNumber().toString(16).toUpperCase(Locale.ROOT);
            if (serial != null && !serial.equalsIgnoreCase(certSerial)) {
                throw new IllegalStateException("WeChat Pay: " + serialWhat + " does not match the serial of the "
                        + "certificate in " + what + " (" + certSerial + ")");
            }
            return new Platform(cert.getPublicKey(), pem, certSerial);
        }
        if (pem.contains("-----BEGIN PUBLIC KEY-----")) {
            return new Platform(publicKey(what, pem), null, serial);
        }
        throw new IllegalStateException("WeChat Pay: " + what + " must hold the platform public key "
                + "(PEM \"PUBLIC KEY\") or certificate (PEM \"CERTIFICATE\")");
    }

    private static String notifyUrl(Settings s) {
        return s.get("API_DOMAIN").replaceAll("/+$", "") + NOTIFY_PATH;
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

    private static URI baseUrl(String what, String v) {
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
                    "WeChat Pay: " + what + " must be scheme://host[:port] without a path, got '" + v + "'");
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

    private static PrivateKey privateKey(String what, String pem) {
        if (pem.contains("-----BEGIN RSA PRIVATE KEY-----")) {
            throw new IllegalStateException("WeChat Pay: " + what + " holds a PKCS#1 key; convert "
                    + "it with: openssl pkcs8 -topk8 -nocrypt -in KEY -out apiclient_key.pem");
        }
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der(pem, "PRIVATE KEY")));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("WeChat Pay: " + what
                    + " does not hold the merchant's RSA private key (PEM \"PRIVATE KEY\", apiclient_key.pem)");
        }
    }

    private static PublicKey publicKey(String what, String pem) {
        try {
            return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(der(pem, "PUBLIC KEY")));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("WeChat Pay: " + what + " does not hold a readable RSA public key");
        }
    }

    private static X509Certificate certificate(String what, String pem) {
        try {
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalStateException("WeChat Pay: " + what + " does not hold a readable X.509 certificate");
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
