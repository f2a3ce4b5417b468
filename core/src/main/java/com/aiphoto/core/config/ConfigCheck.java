package com.aiphoto.core.config;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Validates a {@link Settings} the way the server would use it, collecting every problem rather than stopping at
 * the first. In production, missing, placeholder and weak values of required keys are problems; elsewhere the
 * server falls back to embedded services and such values are warnings.
 */
public final class ConfigCheck {
    public static final int MIN_SECRET_BYTES = 32;
    /** DB_PASSWORD and REDIS_PASSWORD in production. */
    public static final int MIN_PASSWORD_LENGTH = 12;

    private static final Pattern PLACEHOLDER =
            Pattern.compile("(?i)^(your[_-].*|.*change[_-]?me.*|<.*>|xxx+|todo|placeholder|secret|password)$");

    /** What {@link #check} found. */
    public record Report(List<String> problems, List<String> warnings) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private ConfigCheck() {}

    /** Throws a {@link ConfigException} naming every problem, if there is any. */
    public static Report require(Settings s) {
        Report r = check(s);
        if (!r.ok()) {
            throw new ConfigException(r.problems());
        }
        return r;
    }

    public static Report check(Settings s) {
        List<String> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        boolean prod = s.isProduction();
        List<String> strict = prod ? problems : warnings;

        // the declared types of application.yaml (ConfigCatalog): integers and ports in range, durations, sizes,
        // URLs and choices well-formed
        for (ConfigCatalog.Variable v : ConfigCatalog.standard().variables()) {
            s.find(v.name()).ifPresent(value -> typed(v, value, problems));
        }
        Optional<Long> min = s.find("DB_POOL_MIN").flatMap(ConfigCheck::longValue);
        Optional<Long> max = s.find("DB_POOL_MAX").flatMap(ConfigCheck::longValue);
        if (min.isPresent() && max.isPresent() && min.get() > max.get()) {
            problems.add("DB_POOL_MIN (" + min.get() + ") must not exceed DB_POOL_MAX (" + max.get() + ")");
        }
        s.find("REFRESH_GRACE_PERIOD")
                .flatMap(Units::duration)
                .filter(d -> d.compareTo(Duration.ofMinutes(5)) > 0)
                .ifPresent(d -> problems.add("REFRESH_GRACE_PERIOD must be at most 5m (a stolen token is honoured "
                        + "that long after its rotation), got '" + s.get("REFRESH_GRACE_PERIOD") + "'"));
        s.find("AUTH_USER_CACHE_TTL")
                .flatMap(Units::duration)
                .filter(d -> d.compareTo(Duration.ofSeconds(10)) > 0)
                .ifPresent(d -> problems.add("AUTH_USER_CACHE_TTL must be at most 10s (a demotion or deletion whose "
                        + "signal is lost counts only after it), got '" + s.get("AUTH_USER_CACHE_TTL") + "'"));
        Optional<Duration> query = s.find("DB_QUERY_TIMEOUT").flatMap(Units::duration);
        Optional<Duration> socket = s.find("DB_SOCKET_TIMEOUT").flatMap(Units::duration);
        if (query.isPresent() && socket.isPresent() && socket.get().compareTo(query.get()) <= 0) {
            warnings.add("DB_SOCKET_TIMEOUT (" + s.get("DB_SOCKET_TIMEOUT") + ") should exceed DB_QUERY_TIMEOUT ("
                    + s.get("DB_QUERY_TIMEOUT") + "): a slow statement then ends as a dropped connection, not a "
                    + "clean timeout");
        }
        s.find("CORS_ORIGINS").stream()
                .flatMap(v -> List.of(v.split(",")).stream())
                .map(String::strip)
                .filter(o -> !o.isEmpty() && !isOrigin(o))
                .forEach(o -> problems.add("CORS_ORIGINS must list origins such as https://app.example.com "
                        + "(scheme, host and optional port; no path, no *), got '" + o + "'"));
        s.find("TRUSTED_PROXIES").ifPresent(v -> {
            try {
                Cidr.parseList(v);
            } catch (IllegalArgumentException e) {
                problems.add("TRUSTED_PROXIES: " + e.getMessage());
            }
        });

        // required in production; outside it their absence selects the embedded replacements
        if (prod) {
            if (!s.has("DB_HOST")) {
                problems.add("DB_HOST is required in production (the embedded H2 database is for development only)");
            } else {
                required(s, "DB_USER", problems);
                required(s, "DB_PASSWORD", problems);
            }
            if (!s.has("REDIS_HOST")) {
                problems.add("REDIS_HOST is required in production (in-process limits only work for one instance)");
            }
            // login codes go out by SMS in production; elsewhere they are written to the log
            for (String k : SMS_KEYS) {
                if (!s.has(k)) {
                    problems.add(k + " is required in production (Tencent Cloud SMS sends the login codes)");
                }
            }
        }
        if (prod) {
            password(s, "DB_PASSWORD", problems);
            password(s, "REDIS_PASSWORD", problems);
        }
        // an access token cannot be revoked before it expires: minutes to a day; refresh tokens up to a year
        s.find("JWT_EXPIRES_IN")
                .flatMap(Units::duration)
                .filter(d -> d.compareTo(Duration.ofMinutes(1)) < 0 || d.compareTo(Duration.ofDays(1)) > 0)
                .ifPresent(d -> strict.add("JWT_EXPIRES_IN must be between 1m and 24h, got " + d.toSeconds() + "s"));
        secret(s, "JWT_SECRET", prod, strict);
        secret(s, "INTERNAL_CALLBACK_SECRET", prod, strict);
        encryptionKey(s, prod, strict);

        for (String key : s.keys()) {
            String v = s.find(key).orElse("");
            // only our own variables: an unrelated environment variable must not stop the server
            if (isOwnKey(key)
                    && s.source(key).orElse(Settings.Source.DEFAULT) != Settings.Source.DEFAULT
                    && isPlaceholder(v)
                    && !alreadyReported(key, problems, warnings)) {
                strict.add(key + " is a placeholder value; set a real one");
            }
        }
        return new Report(List.copyOf(problems), List.copyOf(warnings));
    }

    /** What Tencent Cloud SMS needs; all set means codes are sent, none set (outside production) means logged. */
    public static final List<String> SMS_KEYS =
            List.of("TENCENT_SECRET_ID", "TENCENT_SECRET_KEY", "SMS_SDK_APP_ID", "SMS_SIGN_NAME", "SMS_TEMPLATE_ID");

    /** True for the application's own variables (those application.yaml declares). */
    static boolean isOwnKey(String key) {
        return ConfigCatalog.standard().declares(key);
    }

    /** Secret-looking keys, whose values are never printed. */
    public static boolean isSecretKey(String key) {
        String k = key.toUpperCase(Locale.ROOT);
        return k.contains("SECRET")
                || k.contains("PASSWORD")
                || k.endsWith("_KEY")
                || k.contains("TOKEN")
                || k.equals("WECHAT_API_KEY");
    }

    public static boolean isPlaceholder(String value) {
        return PLACEHOLDER.matcher(value.strip()).matches();
    }

    /** Decodes a 32-byte key given as base64 or hex, or empty when it is neither. */
    public static Optional<byte[]> decodeKey32(String value) {
        String v = value.strip();
        if (v.matches("[0-9a-fA-F]{64}")) {
            return Optional.of(HexFormat.of().parseHex(v));
        }
        try {
            byte[] b = Base64.getDecoder().decode(v);
            return b.length == 32 ? Optional.of(b) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static boolean alreadyReported(String key, List<String> problems, List<String> warnings) {
        return problems.stream().anyMatch(p -> p.startsWith(key + " "))
                || warnings.stream().anyMatch(p -> p.startsWith(key + " "));
    }

    private static void secret(Settings s, String key, boolean prod, List<String> out) {
        Optional<String> v = s.find(key);
        if (v.isEmpty()) {
            if (prod) {
                out.add(key + " is required in production (" + MIN_SECRET_BYTES + "+ random bytes; "
                        + "opsctl secrets generate makes one)");
            }
            return;
        }
        String value = v.get();
        if (isPlaceholder(value)) {
            out.add(key + " is a placeholder value; set a real one");
        } else if (value.getBytes(StandardCharsets.UTF_8).length < MIN_SECRET_BYTES) {
            out.add(key + " is too short: at least " + MIN_SECRET_BYTES + " bytes");
        } else if (PUBLISHED.contains(value.strip().toLowerCase(Locale.ROOT))) {
            out.add(key + " is a published example value; generate a real one");
        } else if (value.chars().distinct().count() < 10 || patterned(value)) {
            out.add(key + " is too weak: it repeats a few characters or follows a pattern; use random bytes");
        }
    }

    /**
     * Values from widely copied samples (jwt.io's key, common .env.example files): long and varied enough to pass
     * every other check, but public.
     */
    private static final Set<String> PUBLISHED = Set.of(
            "your-256-bit-secret",
            "your-384-bit-secret",
            "your-512-bit-secret",
            "super-secret-jwt-token-with-at-least-32-characters-long",
            "your-super-secret-jwt-token-with-at-least-32-characters-long",
            "keyboard cat",
            "changeit",
            "secretkey",
            "supersecret",
            "mysecretkey",
            "thisisasecretkey",
            "s3cr3t",
            "your-secret-key",
            "your_jwt_secret_key_here",
            "please-change-this-secret",
            "a-string-secret-at-least-256-bits-long");

    /**
     * A repetition of a short block (abcdefghij repeated) or a walk (0123456789..., abcdef...): more than half the
     * steps between neighbours are 0 or +-1. Random text has about one such step in 20.
     */
    static boolean patterned(String v) {
        int n = v.length();
        for (int period = 1; period <= n / 2; period++) {
            int p = period;
            if (java.util.stream.IntStream.range(p, n).allMatch(i -> v.charAt(i) == v.charAt(i - p))) {
                return true;
            }
        }
        int walk = 0;
        for (int i = 1; i < n; i++) {
            walk += Math.abs(v.charAt(i) - v.charAt(i - 1)) <= 1 ? 1 : 0;
        }
        return n > 1 && walk * 2 > n - 1;
    }

    private static void password(Settings s, String key, List<String> problems) {
        s.find(key)
                .filter(v -> v.length() < MIN_PASSWORD_LENGTH || patterned(v))
                .ifPresent(v -> problems.add(key + " is too weak for production: at least " + MIN_PASSWORD_LENGTH
                        + " characters without an obvious pattern"));
    }

    private static void encryptionKey(Settings s, boolean prod, List<String> out) {
        encryptionKey(s, "CREDENTIALS_ENCRYPTION_KEY", prod, out);
        // the other key of a rotation in progress: optional, but when set it must be a real key
        encryptionKey(s, "CREDENTIALS_PREVIOUS_ENCRYPTION_KEY", false, out);
    }

    private static void encryptionKey(Settings s, String name, boolean required, List<String> out) {
        Optional<String> v = s.find(name);
        if (v.isEmpty()) {
            if (required) {
                out.add(name + " is required in production (32 bytes, base64 or hex)");
            }
        } else if (isPlaceholder(v.get())) {
            out.add(name + " is a placeholder value; set a real one");
        } else if (decodeKey32(v.get()).isEmpty()) {
            out.add(name + " must decode to exactly 32 bytes (base64 or 64 hex digits)");
        } else {
            byte[] key = decodeKey32(v.get()).get();
            // 32 random bytes have about 30 distinct values; an all-zero or hand-made key has few
            if (java.util.stream.IntStream.range(0, key.length)
                            .map(i -> key[i])
                            .distinct()
                            .count()
                    < 16) {
                out.add(name + " is too weak (zeros or a repeated pattern); use 32 random bytes");
            }
        }
    }

    private static void required(Settings s, String key, List<String> problems) {
        if (!s.has(key)) {
            problems.add(key + " is required in production");
        }
    }

    /** The problem, if any, of one value against its declared type. */
    private static void typed(ConfigCatalog.Variable v, String value, List<String> problems) {
        String k = v.name();
        switch (v.kind()) {
            case INTEGER, PORT -> {
                Optional<Long> n = longValue(value);
                if (n.isEmpty()) {
                    problems.add(k + " must be an integer, got '" + value + "'");
                } else if (n.get() < v.min() || n.get() > v.max()) {
                    problems.add(k + " must be between " + v.min() + " and " + v.max() + ", got " + n.get());
                }
            }
            case DURATION -> {
                if (Units.duration(value).isEmpty()) {
                    problems.add(k + " must be a duration such as 30s, 5m, 2h or 7d, got '" + value + "'");
                }
            }
            case SIZE -> {
                if (Units.bytes(value).isEmpty()) {
                    problems.add(k + " must be a size such as 512KB, 1MiB or 1GB, got '" + value + "'");
                }
            }
            case URL -> {
                if (!isHttpUrl(value)) {
                    problems.add(k + " must be an http(s) URL, got '" + value + "'");
                }
            }
            case CHOICE -> {
                if (v.choices().stream().noneMatch(c -> c.equalsIgnoreCase(value.strip()))) {
                    problems.add(k + " must be " + String.join(" or ", v.choices()) + ", got '" + value + "'");
                }
            }
            default -> {
                // strings, paths, commands, JSON and e-mail are free text here; lists have their own checks
            }
        }
    }

    private static Optional<Long> longValue(String v) {
        try {
            return Optional.of(Long.parseLong(v.strip()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean isOrigin(String v) {
        try {
            URI u = new URI(v);
            return isHttpUrl(v)
                    && u.getRawPath().isEmpty()
                    && u.getRawQuery() == null
                    && u.getRawFragment() == null
                    && u.getRawUserInfo() == null;
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean isHttpUrl(String v) {
        try {
            URI u = new URI(v);
            return ("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null;
        } catch (Exception e) {
            return false;
        }
    }
}
