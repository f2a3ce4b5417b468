package com.aiphoto.server.platform;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs around every API request: assigns the request id (response header and every log line through MDC), counts
 * in-flight requests for the graceful stop, and writes the access log line. Route errors are turned into responses
 * inside {@code chain.proceed()}, so the status logged here is the one the client got.
 *
 * <p>While the instance drains, every response says {@code Connection: close}, so nginx keeps no idle connection
 * to it, and requests nginx may send again to another server (any method but POST, PATCH, LOCK: see nginx's
 * {@code proxy_next_upstream}) are answered 503 before any handler runs. nginx retries those on the other
 * instance and counts each as a failure, so after {@code max_fails} it sends this one nothing more: open-source
 * nginx has no active health check, failures are its only signal. POSTs are served, never shed: nginx does not
 * retry them once sent.
 */
public final class RequestFilter implements Filter {
    public static final String MDC_KEY = "requestId";
    private static final Logger ACCESS = LoggerFactory.getLogger("access");

    /** nginx never passes these to the next upstream once sent: never shed them. */
    private static final Set<Method> NOT_RETRIED = Set.of(Method.POST, Method.PATCH, Method.create("LOCK"));

    private static final byte[] SHED_BODY_START =
            "{\"success\":false,\"error\":{\"code\":5030,\"message\":\"draining: retry on another instance\"},\"requestId\":\""
                    .getBytes(StandardCharsets.US_ASCII);

    private final ClientIp clientIp;
    private final Lifecycle lifecycle;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong received = new AtomicLong();

    public RequestFilter(ClientIp clientIp, Lifecycle lifecycle) {
        this.clientIp = clientIp;
        this.lifecycle = lifecycle;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        String id = RequestIds.fromOrNew(req.headers());
        MDC.put(MDC_KEY, id);
        req.context().register(new RequestInfo(id));
        res.header(RequestIds.HEADER, id);
        inFlight.incrementAndGet();
        received.incrementAndGet();
        try {
            if (!lifecycle.draining()) {
                chain.proceed();
            } else {
                res.header(HeaderValues.CONNECTION_CLOSE);
                if (NOT_RETRIED.contains(req.prologue().method())) {
                    chain.proceed();
                } else {
                    shed(res, id);
                }
            }
        } finally {
            inFlight.decrementAndGet();
            long micros = (System.nanoTime() - start) / 1000;
            // the path only: query strings can carry callback tokens
            String path = req.path().rawPath();
            ACCESS.info(
                    "{} {} {} {}ms",
                    req.prologue().method().text(),
                    path,
                    res.status().code(),
                    micros / 1000,
                    new AccessLogEncoder.Field("method", req.prologue().method().text()),
                    new AccessLogEncoder.Field("path", path),
                    new AccessLogEncoder.Field("status", res.status().code()),
                    new AccessLogEncoder.Field("durationMs", micros / 1000.0),
                    new AccessLogEncoder.Field("bytes", res.bytesWritten()),
                    new AccessLogEncoder.Field("clientIp", clientIp.of(req)));
            MDC.remove(MDC_KEY);
        }
    }

    /** The request ids are sane tokens (RequestIds), safe inside a JSON string as they are. */
    private static void shed(RoutingResponse res, String id) {
        byte[] idBytes = id.getBytes(StandardCharsets.US_ASCII);
        byte[] body = new byte[SHED_BODY_START.length + idBytes.length + 2];
        System.arraycopy(SHED_BODY_START, 0, body, 0, SHED_BODY_START.length);
        System.arraycopy(idBytes, 0, body, SHED_BODY_START.length, idBytes.length);
        body[body.length - 2] = '"';
        body[body.length - 1] = '}';
        res.status(Status.SERVICE_UNAVAILABLE_503)
                .header(HeaderNames.CONTENT_TYPE, "application/json")
                .send(body);
    }

    /** Requests currently inside a handler. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Requests received since start (shed ones included): a drain watches it to see traffic has moved away. */
    public long received() {
        return received.get();
    }

    /** Stored in the request context so error handlers find the id even where MDC is not set. */
    public record RequestInfo(String requestId) {}
}
