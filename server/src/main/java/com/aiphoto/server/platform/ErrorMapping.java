package com.aiphoto.server.platform;

import com.aiphoto.core.db.SqlErrors;
import com.aiphoto.core.ledger.LedgerException;
import com.aiphoto.server.platform.kv.KvUnavailableException;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.helidon.common.buffers.DataReader;
import io.helidon.http.BadRequestException;
import io.helidon.http.HeaderNames;
import io.helidon.http.HttpException;
import io.helidon.http.NotFoundException;
import io.helidon.http.media.jackson.JacksonRuntimeException;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.net.ConnectException;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Turns every failure inside routing into the JSON error envelope: API errors as they are, unknown routes 404/4040
 * or 405, bad input 400/4001, an unreachable, stalled or locked database 503/5030, anything else 500/9999 with a generic message
 * while the detail goes to the log under the request id.
 */
public final class ErrorMapping {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);

    private final RouteCatalog routes;

    public ErrorMapping(RouteCatalog routes) {
        this.routes = routes;
    }

    public void register(HttpRouting.Builder routing) {
        routing.error(ApiException.class, (req, res, e) -> send(req, res, e))
                .error(NotFoundException.class, (req, res, e) -> send(req, res, notFound(req)))
                .error(JacksonRuntimeException.class, (req, res, e) -> send(req, res, fromJackson(e)))
                .error(
                        BadRequestException.class,
                        (req, res, e) -> send(req, res, new ApiException(ErrorCode.INVALID_PARAMETER, "bad request")))
                .error(LedgerException.class, (req, res, e) -> send(req, res, fromLedger(e)))
                .error(HttpException.class, this::httpException)
                .error(Throwable.class, this::unexpected);
    }

    private ApiException notFound(ServerRequest req) {
        Set<String> allowed = routes.allowedMethods(req.path().path());
        if (allowed.isEmpty()) {
            return new ApiException(
                    ErrorCode.NO_ROUTE,
                    "no route for " + req.prologue().method().text() + " "
                            + req.path().path());
        }
        return new ApiException(
                ErrorCode.METHOD_NOT_ALLOWED,
                "method " + req.prologue().method().text() + " not allowed here",
                java.util.Map.of("Allow", String.join(", ", allowed)),
                null);
    }

    /** The ledger's refusals as the API's codes; its messages name user ids, so clients get the default text. */
    static ApiException fromLedger(LedgerException e) {
        return switch (e) {
            case LedgerException.MembershipRequired m -> new ApiException(ErrorCode.MEMBERSHIP_REQUIRED);
            case LedgerException.InsufficientQuota q -> new ApiException(ErrorCode.QUOTA_EXHAUSTED);
            case LedgerException.UnknownUser u -> new ApiException(ErrorCode.USER_NOT_FOUND);
            default -> new ApiException(ErrorCode.INVALID_PARAMETER, "nothing to refund");
        };
    }

    private static ApiException fromJackson(JacksonRuntimeException e) {
        return e.getCause() instanceof JsonProcessingException jpe
                ? Json.badJson(jpe)
                : new ApiException(ErrorCode.INVALID_PARAMETER, "malformed JSON");
    }

    private void httpException(ServerRequest req, ServerResponse res, HttpException e) {
        int status = e.status().code();
        ErrorCode code = switch (status) {
            case 400 -> ErrorCode.INVALID_PARAMETER;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 401 -> ErrorCode.NOT_LOGGED_IN;
            case 403 -> ErrorCode.FORBIDDEN;
            case 503 -> ErrorCode.UNAVAILABLE;
            default -> null;
        };
        if (code == null) {
            unexpected(req, res, e);
        } else {
            send(req, res, new ApiException(code));
        }
    }

    private void unexpected(ServerRequest req, ServerResponse res, Throwable e) {
        if (endedEarly(e)) {
            // the client closed before sending the body its Content-Length announced: its error, not ours
            send(
                    req,
                    res,
                    new ApiException(ErrorCode.INVALID_PARAMETER, "request body shorter than its Content-Length"));
            return;
        }
        if (isUnavailable(e)) {
            LOG.warn("dependency unavailable: {}", rootMessage(e));
            send(req, res, new ApiException(ErrorCode.UNAVAILABLE));
            return;
        }
        LOG.error(
                "unhandled error in {} {}",
                req.prologue().method().text(),
                req.path().path(),
                e);
        send(req, res, new ApiException(ErrorCode.INTERNAL));
    }

    private static boolean endedEarly(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataReader.InsufficientDataAvailableException) {
                return true;
            }
        }
        return false;
    }

    /** True when {@code e} says a dependency (database, Redis) cannot be reached, rather than a bug. */
    public static boolean isUnavailable(Throwable e) {
        // causes and suppressed exceptions alike (see SqlErrors.isUnavailable)
        return SqlErrors.anyCause(
                        e,
                        t -> t instanceof ConnectException
                                || t instanceof DependencyUnavailableException
                                || t instanceof KvUnavailableException)
                // the database's ways of saying so (connection lost, socket or statement timeout, lock wait)
                || SqlErrors.isUnavailable(e);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName();
    }

    private static void send(ServerRequest req, ServerResponse res, ApiException e) {
        String id = req.context()
                .get(RequestFilter.RequestInfo.class)
                .map(RequestFilter.RequestInfo::requestId)
                .orElseGet(() -> {
                    String mdc = MDC.get(RequestFilter.MDC_KEY);
                    return mdc != null ? mdc : RequestIds.generate();
                });
        res.status(e.error().status());
        res.header(RequestIds.HEADER, id);
        e.headers().forEach(res::header);
        res.headers().set(HeaderNames.CACHE_CONTROL, "no-store");
        res.send(new Envelope.Failure(e.error().code(), e.getMessage(), id));
    }
}
