package com.aiphoto.server.platform;

import static net.logstash.logback.argument.StructuredArguments.keyValue;

import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs around every API request: assigns the request id (response header and every log line through MDC), counts
 * in-flight requests for the graceful stop, and writes the access log line. Route errors are turned into responses
 * inside {@code chain.proceed()}, so the status logged here is the one the client got.
 */
public final class RequestFilter implements Filter {
    public static final String MDC_KEY = "requestId";
    private static final Logger ACCESS = LoggerFactory.getLogger("access");

    private final ClientIp clientIp;
    private final AtomicInteger inFlight = new AtomicInteger();

    public RequestFilter(ClientIp clientIp) {
        this.clientIp = clientIp;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        long start = System.nanoTime();
        String id = RequestIds.fromOrNew(req.headers());
        MDC.put(MDC_KEY, id);
        req.context().register(new RequestInfo(id));
        res.header(RequestIds.HEADER, id);
        inFlight.incrementAndGet();
        try {
            chain.proceed();
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
                    keyValue("method", req.prologue().method().text()),
                    keyValue("path", path),
                    keyValue("status", res.status().code()),
                    keyValue("durationMs", micros / 1000.0),
                    keyValue("bytes", res.bytesWritten()),
                    keyValue("clientIp", clientIp.of(req)));
            MDC.remove(MDC_KEY);
        }
    }

    /** Requests currently inside a handler. */
    public int inFlight() {
        return inFlight.get();
    }

    /** Stored in the request context so error handlers find the id even where MDC is not set. */
    public record RequestInfo(String requestId) {}
}
