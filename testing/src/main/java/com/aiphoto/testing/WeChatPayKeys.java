package com.aiphoto.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Throw-away WeChat Pay key material, generated per test (none is committed): the merchant's RSA 2048 key pair
 * (its private key is what {@code WECHAT_CERT_PATH} names) and the platform's (WeChat Pay public-key mode: the
 * public key is what {@code WECHAT_PLATFORM_CERT_PATH} names), the two serials, mchid, appid and a random APIv3
 * key. PEM files are written 0600 into a directory of the test's.
 */
public final class WeChatPayKeys {
    public static final String MCHID = "1900000109";
    public static final String APPID = "wxd678efh567hg6787";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair merchant;
    private final KeyPair platform;
    private final String merchantSerial;
    private final String platformSerial;
    private final String apiV3Key;
    private final Path merchantKeyFile;
    private final Path platformKeyFile;
    private final Path dir;

    private WeChatPayKeys(Path dir) {
        this.dir = dir;
        this.merchant = rsa();
        this.platform = rsa();
        this.merchantSerial = HexFormat.of().withUpperCase().formatHex(randomBytes(20));
        this.platformSerial = "PUB_KEY_ID_" + HexFormat.of().formatHex(randomBytes(12));
        this.apiV3Key = randomKey();
        this.merchantKeyFile = write(
                "apiclient_key.pem", pem("PRIVATE KEY", merchant.getPrivate().getEncoded()));
        this.platformKeyFile =
                write("pub_key.pem", pem("PUBLIC KEY", platform.getPublic().getEncoded()));
        // the key's content is in no setting (WECHAT_CERT_PATH names its file): registered here, as is the APIv3 key
        TestSecrets.register("WECHAT_API_KEY", apiV3Key);
        TestSecrets.register(
                "merchant private key (WECHAT_CERT_PATH)",
                pem("PRIVATE KEY", merchant.getPrivate().getEncoded()));
    }

    /** New keys, their PEM files written under {@code dir} (created if missing). */
    public static WeChatPayKeys generate(Path dir) {
        return new WeChatPayKeys(dir);
    }

    /** A fresh RSA 2048 key pair (a wrong key for fault tests). */
    public static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 32 random letters and digits: the shape of an APIv3 key. */
    public static String randomKey() {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder b = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            b.append(alphabet.charAt(RANDOM.nextInt(alphabet.length())));
        }
        return b.toString();
    }

    public KeyPair merchant() {
        return merchant;
    }

    public KeyPair platform() {
        return platform;
    }

    public String merchantSerial() {
        return merchantSerial;
    }

    public String platformSerial() {
        return platformSerial;
    }

    public String apiV3Key() {
        return apiV3Key;
    }

    public Path merchantKeyFile() {
        return merchantKeyFile;
    }

    public Path platformKeyFile() {
        return platformKeyFile;
    }

    /**
     * The platform key as a self-signed X.509 certificate (the older platform-certificate mode), written 0600 next
     * to the other files; its serial (upper-case hex, as the SDK prints it) is {@link #certificateSerial}.
     */
    public Path platformCertificateFile() {
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(
                    new X500Name("CN=Tenpay.com Root CA"),
                    new BigInteger(1, HexFormat.of().parseHex(certificateSerial())),
                    Date.from(now.minus(1, ChronoUnit.DAYS)),
                    Date.from(now.plus(365, ChronoUnit.DAYS)),
                    new X500Name("CN=Tenpay.com Root CA"),
                    platform.getPublic());
            byte[] der = b.build(new JcaContentSignerBuilder("SHA256withRSA").build(platform.getPrivate()))
                    .getEncoded();
            return write("wechatpay_cert.pem", pem("CERTIFICATE", der));
        } catch (Exception e) {
            throw new IllegalStateException("could not make the test platform certificate", e);
        }
    }

    /** The serial of {@link #platformCertificateFile} (derived from the platform serial, so stable per instance). */
    public String certificateSerial() {
        byte[] b = platformSerial.getBytes(StandardCharsets.US_ASCII);
        byte[] serial = new byte[16];
        for (int i = 0; i < b.length; i++) {
            serial[i % 16] ^= b[i];
        }
        serial[0] = (byte) ((serial[0] & 0x3f) | 0x40); // positive and 16 bytes long
        return HexFormat.of().withUpperCase().formatHex(serial);
    }

    /** The server settings that point at these keys, with WeChat Pay at {@code baseUrl}. */
    public Map<String, String> settings(String baseUrl) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("WECHAT_APPID", APPID);
        m.put("WECHAT_MCHID", MCHID);
        m.put("WECHAT_API_KEY", apiV3Key);
        m.put("WECHAT_CERT_PATH", merchantKeyFile.toString());
        m.put("WECHAT_CERT_SERIAL", merchantSerial);
        m.put("WECHAT_PLATFORM_CERT_PATH", platformKeyFile.toString());
        m.put("WECHAT_PLATFORM_SERIAL", platformSerial);
        m.put("WECHAT_PAY_BASE_URL", baseUrl);
        return m;
    }

    static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private Path write(String name, String content) {
        try {
            Files.createDirectories(dir);
            Path f = dir.resolve(name);
            Files.deleteIfExists(f);
            Files.createFile(f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(f, content, StandardCharsets.US_ASCII);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}
