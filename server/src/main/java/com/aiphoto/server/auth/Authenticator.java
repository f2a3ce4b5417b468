package com.aiphoto.server.auth;

import com.aiphoto.core.account.Role;
import com.aiphoto.server.platform.ApiException;
import com.aiphoto.server.platform.ErrorCode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.Optional;

/**
 * The one authentication step: a filter reads {@code Authorization: Bearer} on every request and puts the verified
 * claims into the request context; routes declare what they need with {@link #user} or {@link #admin}, which
 * load the account (a deleted user's token stops working) and, for admin, re-check the role in the database (a
 * demoted admin loses access on the next request, whatever the token says). The account comes from a short-lived
 * {@link UserCache} that every writer evicts when its change commits.
 */
public final class Authenticator implements Filter {
    /** A route body that runs for a logged-in user. */
    @FunctionalInterface
    public interface UserHandler {
        void handle(User user, ServerRequest req, ServerResponse res) throws Exception;
    }

    private final AccessTokens tokens;
    private final Users users;
    private final UserCache cache;

    Authenticator(AccessTokens tokens, Users users, UserCache cache) {
        this.tokens = tokens;
        this.users = users;
        this.cache = cache;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        req.headers()
                .first(HeaderNames.AUTHORIZATION)
                .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                .flatMap(h -> tokens.verify(h.substring(7).strip()))
                .ifPresent(claims -> req.context().register(claims));
        chain.proceed();
    }

    /** Any logged-in user; 401/1001 otherwise. */
    public Handler user(UserHandler handler) {
        return (req, res) -> handler.handle(caller(req), req, res);
    }

    /**
     * Like {@link #user}, with the account read from the database now (and the cache refreshed): for routes that
     * decide on the balance before their transaction (task creation refuses an empty balance without one), where
     * a burst of one user's requests must see each other's deductions.
     */
    public Handler freshUser(UserHandler handler) {
        return (req, res) -> handler.handle(caller(req, true), req, res);
    }

    /** A user whose role is admin in the database now; 401/1001 or 403/4003 otherwise. */
    public Handler admin(UserHandler handler) {
        return (req, res) -> {
            User user = caller(req);
            if (user.role() != Role.ADMIN) {
                throw new ApiException(ErrorCode.FORBIDDEN, "admin only");
            }
            handler.handle(user, req, res);
        };
    }

    /** The current account behind the request's token. */
    public User caller(ServerRequest req) {
        return caller(req, false);
    }

    private User caller(ServerRequest req, boolean fresh) {
        Optional<AccessTokens.Claims> claims = req.context().get(AccessTokens.Claims.class);
        if (claims.isEmpty()) {
            throw new ApiException(ErrorCode.NOT_LOGGED_IN, "not logged in or token expired");
        }
        long id = claims.get().userId();
        if (fresh) {
            cache.evict(id);
        }
        return cache.get(id, users::byId)
                .orElseThrow(() -> new ApiException(ErrorCode.NOT_LOGGED_IN, "not logged in or token expired"));
    }
}
