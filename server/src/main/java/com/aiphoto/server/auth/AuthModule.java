package com.aiphoto.server.auth;

import com.aiphoto.core.config.ConfigCheck;
import com.aiphoto.core.config.Settings;
import com.aiphoto.core.crypto.Secrets;
import com.aiphoto.server.Platform;
import com.aiphoto.server.platform.kv.AccountChangeSignal;
import io.helidon.dbclient.DbClient;
import io.helidon.webserver.http.HttpService;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the auth feature from the platform: the authenticator other features guard their routes with, and routes. */
public record AuthModule(Authenticator authenticator, HttpService service) {
    private static final Logger LOG = LoggerFactory.getLogger(AuthModule.class);

    public static AuthModule create(Platform p) {
        Settings s = p.settings();
        byte[] secret = s.find("JWT_SECRET").map(AccessTokens::secretBytes).orElseGet(() -> {
            // ConfigCheck refuses this in production; elsewhere tokens just do not survive a restart
            LOG.warn("JWT_SECRET not set: signing tokens with a random key (tokens end with this process)");
            return Secrets.randomBytes(32);
        });
        DbClient db = p.database().client();
        AccountChangeSignal changes = p.kv().accountChanges();
        Users users = new Users(db, p.database().jdbc(), changes);
        UserCache cache = new UserCache(s.duration("AUTH_USER_CACHE_TTL"), System::nanoTime);
        changes.listen(cache);
        AccessTokens access = new AccessTokens(secret, s.duration("JWT_EXPIRES_IN"), p.clock());
        RefreshTokens refresh = new RefreshTokens(
                p.database().jdbc(),
                Duration.ofDays(s.integer("REFRESH_TOKEN_DAYS")),
                s.duration("REFRESH_GRACE_PERIOD"),
                Secrets.hmacSha256(secret, "refresh-successor".getBytes(StandardCharsets.UTF_8)),
                p.clock());
        Authenticator authenticator = new Authenticator(access, users, cache);
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        VerificationCodes codes = new VerificationCodes(
                p.kv().keyValueStore(),
                p.kv().rateLimiter(),
                smsSender(s, http, p),
                Secrets.hmacSha256(secret, "verification-codes".getBytes(StandardCharsets.UTF_8)),
                new VerificationCodes.Budget(s.integer("SMS_HOURLY_BUDGET"), s.integer("SMS_DAILY_BUDGET")));
        WeChatLogin wechat = new WeChatLogin(
                URI.create(s.get("WECHAT_API_BASE_URL")),
                s.find("WECHAT_APPID").orElse(null),
                s.find("WECHAT_APP_SECRET").orElse(null),
                http,
                p.json().mapper());
        AuthService service = new AuthService(
                p.json(),
                p.clock(),
                p.clientIp(),
                users,
                new Passwords(
                        s.integer("BCRYPT_COST"), s.integer("BCRYPT_MAX_CONCURRENT"), s.duration("BCRYPT_MAX_WAIT")),
                codes,
                wechat,
                access,
                refresh,
                authenticator,
                p.kv().rateLimiter(),
                s.integer("AUTH_IP_PER_MINUTE"));
        return new AuthModule(authenticator, service);
    }

    private static SmsSender smsSender(Settings s, HttpClient http, Platform p) {
        Optional<String> missing =
                ConfigCheck.SMS_KEYS.stream().filter(k -> !s.has(k)).findFirst();
        if (missing.isEmpty()) {
            return new TencentSmsSender(
                    new TencentSmsSender.Config(
                            URI.create(s.get("SMS_ENDPOINT")),
                            s.get("SMS_REGION"),
                            s.get("TENCENT_SECRET_ID"),
                            s.get("TENCENT_SECRET_KEY"),
                            s.get("SMS_SDK_APP_ID"),
                            s.get("SMS_SIGN_NAME"),
                            s.get("SMS_TEMPLATE_ID")),
                    http,
                    p.json().mapper(),
                    p.clock());
        }
        if (s.isProduction()) {
            // ConfigCheck stops Main before this; a production server must never log codes
            throw new IllegalStateException(missing.get() + " is required in production");
        }
        LOG.info("SMS not configured ({} unset): login codes are written to the log", missing.get());
        return new LogSmsSender();
    }
}
