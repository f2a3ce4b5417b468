package com.aiphoto.server.auth;

import com.aiphoto.server.platform.ApiException;
import com.aiphoto.server.platform.ClientIp;
import com.aiphoto.server.platform.ErrorCode;
import com.aiphoto.server.platform.Json;
import com.aiphoto.server.platform.Responses;
import com.aiphoto.server.platform.kv.RateLimiter;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.HttpRules;
import io.helidon.webserver.http.HttpService;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/** Under {@code /api/auth} (see ApiRouting): SMS-code, password and WeChat login, token refresh and logout, password, profile. */
final class AuthService implements HttpService {
    record SendCode(String phone) {}

    record CodeLogin(String phone, String code) {}

    record PasswordLogin(String phone, String password) {}

    record WechatLogin(String code) {}

    record Refresh(String refreshToken) {}

    record Logout(String refreshToken) {}

    /**
     * {@code code}: an SMS code for the account's phone, needed for a first password unless the access token is
     * from a login within {@link #RECENT_LOGIN}; {@code refreshToken}: the caller's session, kept when the others
     * are revoked.
     */
    record SetPassword(String newPassword, String oldPassword, String code, String refreshToken) {}

    record Session(String accessToken, String refreshToken, long expiresIn, UserView user) {}

    /** A first password needs a login this recent (or an SMS code), so a stolen token cannot set one later. */
    static final Duration RECENT_LOGIN = Duration.ofMinutes(5);

    private final Json json;
    private final Clock clock;
    private final ClientIp clientIp;
    private final Users users;
    private final Passwords passwords;
    private final VerificationCodes codes;
    private final WeChatLogin wechat;
    private final AccessTokens accessTokens;
    private final RefreshTokens refreshTokens;
    private final Authenticator auth;
    private final RateLimiter limiter;
    private final int ipPerMinute;

    /** @param ipPerMinute code logins, password logins and password sets allowed per client address a minute */
    AuthService(
            Json json,
            Clock clock,
            ClientIp clientIp,
            Users users,
            Passwords passwords,
            VerificationCodes codes,
            WeChatLogin wechat,
            AccessTokens accessTokens,
            RefreshTokens refreshTokens,
            Authenticator auth,
            RateLimiter limiter,
            int ipPerMinute) {
        this.json = json;
        this.clock = clock;
        this.clientIp = clientIp;
        this.users = users;
        this.passwords = passwords;
        this.codes = codes;
        this.wechat = wechat;
        this.accessTokens = accessTokens;
        this.refreshTokens = refreshTokens;
        this.auth = auth;
        this.limiter = limiter;
        this.ipPerMinute = ipPerMinute;
    }

    @Override
    public void routing(HttpRules rules) {
        rules.post("/send-code", this::sendCode)
                .post("/login", this::login)
                .post("/password-login", this::passwordLogin)
                .post("/wechat-login", this::wechatLogin)
                .post("/refresh", this::refresh)
                .post("/logout", auth.user(this::logout))
                .post("/set-password", auth.user(this::setPassword))
                .get("/me", auth.user(this::me));
    }

    private void sendCode(ServerRequest req, ServerResponse res) {
        String phone = Phones.require(json.read(req, SendCode.class).phone());
        codes.send(phone, clientIp.of(req));
        Responses.ok(res, Map.of("expireIn", VerificationCodes.TTL.toSeconds()));
    }

    private void login(ServerRequest req, ServerResponse res) {
        limitClient(req);
        CodeLogin body = json.read(req, CodeLogin.class);
        String phone = Phones.require(body.phone());
        if (body.code() == null || !body.code().matches("\\d{6}")) {
            throw new ApiException(ErrorCode.AUTH_VALIDATION, "code must be 6 digits");
        }
        codes.verify(phone, body.code());
        session(res, users.findOrCreateByPhone(phone, clock.instant()));
    }

    private void passwordLogin(ServerRequest req, ServerResponse res) {
        limitClient(req);
        PasswordLogin body = json.read(req, PasswordLogin.class);
        String phone = Phones.require(body.phone());
        if (body.password() == null || body.password().isEmpty()) {
            throw new ApiException(ErrorCode.AUTH_VALIDATION, "password is required");
        }
        limitPasswordGuesses("pwd-login:" + phone);
        var user = users.byPhone(phone);
        if (!passwords.matches(body.password(), user.map(User::passwordHash).orElse(null)) || user.isEmpty()) {
            throw new ApiException(ErrorCode.WRONG_PASSWORD);
        }
        session(res, user.get());
    }

    private void wechatLogin(ServerRequest req, ServerResponse res) {
        WechatLogin body = json.read(req, WechatLogin.class);
        if (body.code() == null || body.code().isBlank() || body.code().length() > 128) {
            throw new ApiException(ErrorCode.AUTH_VALIDATION, "code is required");
        }
        WeChatLogin.Identity id = wechat.exchange(body.code());
        session(res, users.findOrCreateByOpenid(id.openid(), id.unionid(), clock.instant()));
    }

    private void refresh(ServerRequest req, ServerResponse res) {
        Refresh body = json.read(req, Refresh.class);
        if (body.refreshToken() == null
                || body.refreshToken().isBlank()
                || body.refreshToken().length() > 128) {
            throw new ApiException(ErrorCode.REFRESH_INVALID);
        }
        RefreshTokens.Issued issued = refreshTokens.rotate(body.refreshToken());
        User user = users.byId(issued.userId()).orElseThrow(() -> new ApiException(ErrorCode.REFRESH_INVALID));
        sendTokens(
                res,
                new Session(
                        accessTokens.issue(user),
                        issued.token(),
                        accessTokens.lifetime().toSeconds(),
                        UserView.of(user, true, clock.instant())));
    }

    private void logout(User user, ServerRequest req, ServerResponse res) {
        String token = req.content().hasEntity() ? json.read(req, Logout.class).refreshToken() : null;
        if (token == null || token.isBlank()) {
            refreshTokens.revokeAll(user.id());
        } else {
            refreshTokens.revokeFamily(user.id(), token);
        }
        Responses.ok(res, Map.of());
    }

    private void setPassword(User user, ServerRequest req, ServerResponse res) {
        limitClient(req);
        SetPassword body = json.read(req, SetPassword.class);
        Passwords.validate(body.newPassword(), "newPassword");
        if (user.hasPassword()) {
            if (body.oldPassword() == null || body.oldPassword().isEmpty()) {
                throw new ApiException(ErrorCode.AUTH_VALIDATION, "oldPassword is required to change a password");
            }
            limitPasswordGuesses("pwd-set:" + user.id());
            if (!passwords.matches(body.oldPassword(), user.passwordHash())) {
                throw new ApiException(ErrorCode.WRONG_PASSWORD, "old password is wrong");
            }
        } else if (body.code() != null && !body.code().isEmpty()) {
            if (user.phone() == null || !body.code().matches("\\d{6}")) {
                throw new ApiException(ErrorCode.WRONG_CODE);
            }
            codes.verify(user.phone(), body.code());
        } else {
            Instant issued = req.context()
                    .get(AccessTokens.Claims.class)
                    .map(AccessTokens.Claims::issuedAt)
                    .orElse(Instant.EPOCH);
            if (issued.plus(RECENT_LOGIN).isBefore(clock.instant())) {
                throw new ApiException(
                        ErrorCode.AUTH_VALIDATION,
                        "code is required: request an SMS code to set a " + "first password, or log in again");
            }
        }
        users.setPasswordHash(user.id(), passwords.hash(body.newPassword()), clock.instant());
        if (user.hasPassword()) {
            // a change may follow a leak: whoever else held a session must log in again with the new password
            refreshTokens.revokeAllBut(user.id(), body.refreshToken());
        }
        Responses.ok(res, Map.of());
    }

    /**
     * Per client address (IPv6 by /64), before any bcrypt: the per-phone limit alone let random phones each
     * cost a hash.
     */
    private void limitClient(ServerRequest req) {
        RateLimiter.Decision d = limiter.tryAcquire(
                "auth-ip:" + ClientIp.limitKey(clientIp.of(req)), ipPerMinute, Duration.ofMinutes(1));
        if (!d.allowed()) {
            long seconds = d.retryAfterSeconds();
            throw new ApiException(
                    ErrorCode.RATE_LIMITED,
                    "too many logins from this address; retry in " + seconds + " s",
                    Map.of("Retry-After", Long.toString(seconds)),
                    null);
        }
    }

    /** Guessing is slowed per account across instances (bcrypt slows each guess; this bounds their number). */
    private void limitPasswordGuesses(String key) {
        if (!limiter.tryAcquire(key, 10, Duration.ofMinutes(15)).allowed()) {
            throw new ApiException(ErrorCode.RATE_LIMITED, "too many password attempts; try later or use a code");
        }
    }

    private void me(User user, ServerRequest req, ServerResponse res) {
        Responses.ok(res, UserView.of(user, true, clock.instant()));
    }

    private void session(ServerResponse res, User user) {
        sendTokens(
                res,
                new Session(
                        accessTokens.issue(user),
                        refreshTokens.issue(user.id()),
                        accessTokens.lifetime().toSeconds(),
                        UserView.of(user, true, clock.instant())));
    }

    /** Tokens must not stay in a browser or proxy cache (RFC 6749 5.1). */
    private static void sendTokens(ServerResponse res, Session session) {
        res.header(HeaderNames.CACHE_CONTROL, "no-store");
        Responses.ok(res, session);
    }
}
